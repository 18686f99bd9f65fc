package smpcall.kernel;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

import org.junit.jupiter.api.Test;

import smpcall.check.VerifySuite;
import smpcall.kernel.Property;
import smpcall.machine.VirtualThreads;
import smpcall.run.Scenario;
import smpcall.run.Models;

/**
 * The checker's mutation score: every planted bug ({@link PlantedBugs}) must be flagged by a
 * cell of verify, with the property it names. A cell is what verify runs: the stateful
 * exhaustive search cut at 100,000 executions, then 500 random runs; it flags the properties
 * it finds that its scenario does not expect (or a missing expected one). Each bug's hinted
 * scenario goes first, then verify's rows in order, up to the first cell that flags.
 */
class MutationScoreTest {
    /** What an entry of verify flagged: the properties not as expected, and the row. */
    record Flagged(String row, Set<Property> properties) {}

    static List<VerifySuite.Row> rows(String first) {
        List<VerifySuite.Row> rows = new ArrayList<>(VerifySuite.rows());
        rows.sort((a, b) -> Boolean.compare(!a.scenario().name().equals(first), !b.scenario().name().equals(first)));
        return rows;
    }

    /** The properties verify's entry for {@code model} on {@code row} reports beyond (or short of) what the scenario expects. */
    static Set<Property> cell(VerifySuite.Row row, String model) {
        VerifySuite.Entry e = VirtualThreads.call(() -> VerifySuite.entry(row, model, VerifySuite.RANDOM_RUNS));
        Set<Property> off = new TreeSet<>(e.found());
        off.removeAll(e.expected());
        for (Property p : e.expected()) if (!e.found().contains(p)) off.add(p);
        return off;
    }

    /** The first cell, in the bug's order of rows, that flags it; null if none does. */
    static Flagged firstFlagging(PlantedBugs.Bug bug) {
        for (VerifySuite.Row row : rows(bug.scenario())) {
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
