package smpcall.check;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.params.ParameterizedTest;

import smpcall.kernel.Reasons;
import smpcall.machine.RunResult;
import smpcall.machine.VirtualThreads;
import smpcall.run.Driver;
import smpcall.run.Outcome;
import smpcall.run.RunSpec;

/**
 * Every counterexample that any strategy and reduction prints replays: each strategy (random,
 * PCT, and the depth-first search with each reduction) searches every mutant on the scenario
 * of its reason within a small count of executions; whatever it finds, its printed run-id
 * gives the same run, to its end, with its check. Each strategy must find at least two.
 */
class CounterexampleReplayTest {
    /** Executions per search: a count, so that what is found does not depend on the machine. */
    private static final long BUDGET = 4_000;

    @ParameterizedTest
    @org.junit.jupiter.params.provider.ValueSource(strings = {"random", "pct", "dfs:states", "dfs:dpor", "dfs:sleep", "dfs:none"})
    void everyCounterexampleReplays(String how) {
        List<String> found = new ArrayList<>();
        for (Reasons.Reason r : Reasons.ALL) {
            Counterexample cx = VirtualThreads.call(() -> find(r.mutant(), r.scenario(), how));
            if (cx == null) continue;
            replays(cx);
            found.add(r.mutant() + " on " + r.scenario());
        }
        assertTrue(found.size() >= 2, how + " found only " + found);
    }

    private static void replays(Counterexample cx) {
        assertTrue(cx.runId().matches(".*:z[A-Za-z0-9_-]+~[0-9a-f]{8}"), cx.runId());
        Outcome o = Driver.outcome(RunSpec.parse(cx.runId()));
        assertTrue(o instanceof Outcome.Findings, () -> o.toString());
        RunResult again = o.result();
        assertEquals(cx.result().trace(), again.trace());
        assertEquals(cx.result().console(), again.console());
        assertEquals(cx.result().end(), again.end());
    }

    private static Counterexample find(String mutant, String scenario, String how) {
        if (how.equals("random") || how.equals("pct")) {
            Search.Strategy s = how.equals("random") ? Search.Strategy.RANDOM : Search.Strategy.PCT;
            return new Search(mutant, scenario, RunSpec.Knobs.NONE).run(s, 3, null, BUDGET, 60, () -> false).counterexample();
        }
        String reduction = how.substring(4);
        Dfs dfs = new Dfs(mutant, smpcall.run.Scenarios.get(scenario), RunSpec.Knobs.NONE, -1, switch (reduction) {
            case "dpor" -> Dfs.Reduction.SOURCE_DPOR;
            case "none" -> Dfs.Reduction.NONE;
            default -> Dfs.Reduction.SLEEP_SETS;
        });
        if (reduction.equals("states")) dfs.stateful();
        return dfs.run(BUDGET, 60, () -> false).counterexample();
    }
}
