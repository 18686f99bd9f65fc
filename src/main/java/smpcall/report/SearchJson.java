package smpcall.report;

import java.util.List;

import smpcall.check.Counterexample;
import smpcall.check.SearchResult;

/** The JSON of {@code check --json} (docs/json.md): the verdict, its exit status, the counts, the counterexample. */
public record SearchJson(String command, String model, String scenario, String knobs, String strategy, String reduction,
                         String verdict, int exitStatus, long executions, long states, long steps, double seconds,
                         long stepLimited, CounterexampleJson counterexample) {

    /** A counterexample: the property, its one-line summary, the run-id to replay, the kernel log lines of the finding. */
    public record CounterexampleJson(String property, String summary, String runId, List<String> kernelLog) {
        static CounterexampleJson of(Counterexample cx) {
            if (cx == null) return null;
            return new CounterexampleJson(cx.finding().property().name(), cx.finding().summary(), cx.runId(),
                    cx.finding().kernelLog());
        }
    }

    public static SearchJson of(SearchResult r) {
        return new SearchJson("check", r.model(), r.scenario(), r.knobs(), r.strategy(), r.reduction(), r.verdict().key(),
                r.verdict().exitStatus(), r.executions(), r.states(), r.steps(), Math.round(r.seconds() * 1000) / 1000.0,
                r.stepLimited(), CounterexampleJson.of(r.counterexample()));
    }
}
