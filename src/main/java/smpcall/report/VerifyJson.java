package smpcall.report;

import java.util.List;

import smpcall.check.VerifySuite;
import smpcall.kernel.Property;

/** The JSON of {@code verify --json} (docs/json.md): every entry of the matrix, every reason, the exit status. */
public record VerifyJson(String command, List<String> models, List<EntryJson> entries, List<ReasonJson> reasons,
                         int exitStatus) {

    /** One entry: its verdict ({@code verified}, {@code ok}, {@code caught}, {@code found}), what was found and expected. */
    public record EntryJson(String scenario, String knobs, String model, String verdict, List<String> found,
                            List<String> expected, String runId, long executions, long states, long steps, double seconds) {}

    public record ReasonJson(int number, String summary, String mutant, String scenario, String property, boolean shown,
                             String runId, long executions) {}

    public static VerifyJson of(List<String> models, List<VerifySuite.Entry> entries, List<VerifySuite.Shown> shown, int status) {
        List<EntryJson> es = entries.stream().map(e -> new EntryJson(e.row().scenario().name(), e.row().knobs().format(),
                e.model(), e.found().isEmpty() ? (e.exhaustive() ? "verified" : "ok") : e.asExpected() ? "caught" : "found",
                names(e.found()), names(e.expected()), e.firstId(), e.executions(), e.states(), e.steps(),
                Math.round(e.seconds() * 1000) / 1000.0)).toList();
        List<ReasonJson> rs = shown.stream().map(s -> new ReasonJson(s.reason().number(), s.reason().summary(),
                s.reason().mutant(), s.reason().scenario(), s.reason().property().name(), s.shown(),
                s.shown() ? s.outcome().counterexample().runId() : null, s.outcome().executions())).toList();
        return new VerifyJson("verify", models, es, rs, status);
    }

    private static List<String> names(java.util.Set<Property> ps) {
        return ps.stream().sorted().map(Enum::name).toList();
    }
}
