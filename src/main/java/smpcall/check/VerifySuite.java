package smpcall.check;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

import smpcall.kernel.Reasons;
import smpcall.machine.Finding;
import smpcall.kernel.Property;
import smpcall.machine.RunResult;
import smpcall.run.Driver;
import smpcall.run.RunSpec;
import smpcall.run.Scenario;
import smpcall.run.Scenarios;

/**
 * What {@code verify} checks: every built-in scenario under each of its knob variants (a
 * row) on each model (an entry of the matrix), and each of the seed's six reasons shown
 * necessary by its mutant. An entry's search is cut by counts, never by time, so that its
 * verdict does not depend on the machine.
 */
public final class VerifySuite {
    private VerifySuite() {}

    /** The exhaustive search of an entry stops after this many executions. */
    public static final long DFS_EXECUTIONS = 400_000;
    /** A safety net only. */
    static final double DFS_SECONDS = 120;
    /** The random runs of an entry whose exhaustive search was cut. */
    public static final int RANDOM_RUNS = 500;
    /** How long the random walk may look for each reason's violation. */
    public static final double REASON_SECONDS = 5;

    /** One row of the matrix: a scenario under one of its knob variants. */
    public record Row(Scenario scenario, RunSpec.Knobs knobs) {
        public String name() {
            return scenario.name() + (knobs.equals(RunSpec.Knobs.NONE) ? "" : " [" + knobs.format() + "]");
        }
    }

    /**
     * One entry: what the search of a row on a model found, what the scenario expects, the
     * run-id of the first unexpected finding (and of the first expected one, {@code caughtId}),
     * the counts, and whether it was exhaustive.
     */
    public record Entry(Row row, String model, Set<Property> found, Set<Property> expected, String firstId, String caughtId,
                        long steps, long executions, long states, double seconds, boolean exhaustive) {
        public boolean asExpected() { return found.equals(expected); }

        /** Every expectation holds, and a clean entry was explored exhaustively. */
        public boolean conclusive() { return asExpected() && (exhaustive || !found.isEmpty()); }
    }

    /** The rows: every built-in scenario under each of its variants. */
    public static List<Row> rows() {
        List<Row> rows = new ArrayList<>();
        for (Scenario s : Scenarios.all()) for (RunSpec.Knobs k : s.variants()) rows.add(new Row(s, k));
        return rows;
    }

    /**
     * One entry: first an exhaustive search cut at {@link #DFS_EXECUTIONS} (it completes on
     * the small configurations); if it is cut, {@code randomRuns} random runs over seeds 1...
     * A negative scenario (one that expects violations) gets only the random runs.
     */
    public static Entry entry(Row row, String model, int randomRuns) {
        Scenario s = row.scenario();
        Set<Property> found = new TreeSet<>();
        String firstId = null, caughtId = null;
        long steps = 0, dfsRuns = 0, states = 0;
        long t0 = System.nanoTime();
        if (s.expectedViolations().isEmpty()) {
            Dfs.Outcome d = new Dfs(model, s, row.knobs(), -1, Dfs.Reduction.SLEEP_SETS).restoring()
                    .run(DFS_EXECUTIONS, DFS_SECONDS, () -> false);
            if (d.exhaustive() || d.counterexample() != null) {
                if (d.counterexample() != null) {
                    found.add(smpcall.kernel.Property.of(d.counterexample().finding()));
                    firstId = d.counterexample().runId();
                }
                return new Entry(row, model, found, s.expectedViolations(), firstId, null, d.steps(), d.executions(),
                        d.states(), secs(t0), d.exhaustive());
            }
            steps += d.steps();
            dfsRuns = d.executions();
            states = d.states();
        }
        for (long seed = 1; seed <= randomRuns; seed++) {
            RunSpec spec = RunSpec.seeded(model, s.ref(), row.knobs(), seed);
            RunResult r = Driver.run(model, s, row.knobs().apply(s.config()), spec.chooser(), false, false);
            steps += r.steps();
            for (Finding f : r.findings()) {
                Property p = smpcall.kernel.Property.of(f);
                boolean expected = s.expectedViolations().contains(p);
                if (found.add(p) && firstId == null && !expected) firstId = spec.checked(r).id();
                if (expected && caughtId == null) caughtId = spec.checked(r).id();
            }
        }
        return new Entry(row, model, found, s.expectedViolations(), firstId, caughtId, steps, dfsRuns + randomRuns, states,
                secs(t0), false);
    }

    /** A reason of the seed's commit message, and the mutant's run that breaks its property (null: not shown). */
    public record Shown(Reasons.Reason reason, Search.Outcome outcome) {
        public boolean shown() { return outcome.found(); }
    }

    /** Searches the reason's mutant on its scenario for a run that breaks the reason's property (random walk). */
    public static Shown reason(Reasons.Reason reason) {
        Search.Outcome o = new Search(reason.mutant(), reason.scenario(), RunSpec.Knobs.NONE)
                .run(Search.Strategy.RANDOM, 1, reason.property(), Long.MAX_VALUE, REASON_SECONDS, () -> false);
        return new Shown(reason, o);
    }

    private static double secs(long t0) { return (System.nanoTime() - t0) / 1e9; }
}
