package smpcall.kernel;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

import org.junit.jupiter.api.Test;

import smpcall.check.Dfs;
import smpcall.machine.Finding;
import smpcall.machine.Property;
import smpcall.machine.RunResult;
import smpcall.machine.VirtualThreads;

/**
 * The checker's mutation score: every planted bug ({@link PlantedBugs}) must be flagged by a
 * cell of verify, with the property it names. A cell is what verify runs: the stateful
 * exhaustive search cut at 100,000 executions, then 500 random runs; it flags the properties
 * it finds that its scenario does not expect (or a missing expected one). Each bug's hinted
 * scenario goes first, then verify's rows in order, up to the first cell that flags.
 */
class MutationScoreTest {
    static final long DFS_EXECUTIONS = 100_000;
    static final int RANDOM_RUNS = 500;

    /** What a cell flagged: the properties not as expected, and the row. */
    record Flagged(String row, Set<Property> properties) {}

    /** One row of verify's matrix: a scenario under one of its knob variants. */
    record Row(Scenario scenario, RunSpec.Knobs knobs) {
        String name() { return scenario.name() + (knobs.equals(RunSpec.Knobs.NONE) ? "" : " [" + knobs.format() + "]"); }
    }

    static List<Row> rows(String first) {
        List<Row> rows = new ArrayList<>();
        for (Scenario s : Scenarios.all()) for (RunSpec.Knobs k : s.variants()) rows.add(new Row(s, k));
        rows.sort((a, b) -> Boolean.compare(!a.scenario.name().equals(first), !b.scenario.name().equals(first)));
        return rows;
    }

    /** The properties verify's cell for {@code model} on {@code row} reports beyond (or short of) what the scenario expects. */
    static Set<Property> cell(Row row, String model) {
        Scenario s = row.scenario();
        Set<Property> found = new TreeSet<>();
        boolean searched = false;
        if (s.expectedViolations().isEmpty()) {
            Dfs.Outcome d = VirtualThreads.call(() -> new Dfs(model, s.name(), row.knobs(), -1).stateful()
                    .run(DFS_EXECUTIONS, 120, () -> false));
            if (d.counterexample() != null) found.add(d.counterexample().finding().property());
            searched = d.exhaustive() || d.counterexample() != null;
        }
        if (!searched) {
            for (long seed = 1; seed <= RANDOM_RUNS; seed++) {
                RunResult r = Runs.run(RunSpec.seeded(model, s.name(), row.knobs(), seed), false, false);
                for (Finding f : r.findings()) found.add(f.property());
            }
        }
        Set<Property> off = new TreeSet<>(found);
        off.removeAll(s.expectedViolations());
        for (Property p : s.expectedViolations()) if (!found.contains(p)) off.add(p);
        return off;
    }

    /** The first cell, in the bug's order of rows, that flags it; null if none does. */
    static Flagged firstFlagging(PlantedBugs.Bug bug) {
        for (Row row : rows(bug.scenario())) {
            Set<Property> off = cell(row, bug.model());
            if (!off.isEmpty()) return new Flagged(row.name(), off);
        }
        return null;
    }

    @Test
    void everyPlantedBugIsFlaggedWithItsProperty() {
        List<String> missed = new ArrayList<>();
        int caught = 0;
        for (PlantedBugs.Bug bug : PlantedBugs.ALL) {
            long t0 = System.nanoTime();
            Flagged f = firstFlagging(bug);
            double secs = (System.nanoTime() - t0) / 1e9;
            boolean ok = f != null && f.properties().contains(bug.property());
            if (ok) caught++;
            else missed.add(bug.model() + " (" + bug.property() + "): " + (f == null ? "no cell flags it" : f.row() + " flags " + f.properties()));
            System.out.printf("  %-36s %s %s (%.1f s)%n", bug.model(), ok ? "caught" : "MISSED", f == null ? "" : f.properties() + " on " + f.row(), secs);
        }
        System.out.printf("mutation score: %d/%d caught%n", caught, PlantedBugs.ALL.size());
        assertTrue(missed.isEmpty(), () -> "missed: " + missed);
        assertEquals(PlantedBugs.ALL.size(), caught);
    }

    /** The suite covers what it should: at least a dozen planted bugs, each named, described and with one property. */
    @Test
    void theSuiteHasAtLeastADozenBugsWithDistinctNames() {
        assertTrue(PlantedBugs.ALL.size() >= 12, () -> "" + PlantedBugs.ALL.size());
        assertEquals(PlantedBugs.ALL.size(), PlantedBugs.ALL.stream().map(PlantedBugs.Bug::model).distinct().count());
        for (PlantedBugs.Bug b : PlantedBugs.ALL) assertTrue(Models.exists(b.model()) && !b.description().isBlank(), b.model());
    }
}
