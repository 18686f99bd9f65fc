package smpcall.check;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import smpcall.check.LateMigrationsTest.Searched;
import smpcall.run.Scenario;
import smpcall.run.Scenarios;

/**
 * A stopper's private step taken first, alone (StopperSteps): the same verdicts and final
 * states as the search without footprints, far fewer states where stop_machine runs.
 * (DfsTest holds it, without the table, against plain sleep sets and DPOR on a hotplug.)
 */
class StopperStepsTest {
    @ParameterizedTest
    @CsvSource({"mainline, hotplug-target", "mainline, any-offline", "series-v9, any-offline", "mainline, migrate-offline"})
    void hotplugScenariosReachTheSameFinalStatesInFewerStates(String model, String scenario) {
        Scenario s = Scenarios.get(scenario);
        Searched plain = LateMigrationsTest.search(s, model, d -> d.restoring().withoutFootprints(), Dfs.Reduction.SLEEP_SETS);
        Searched reduced = LateMigrationsTest.search(s, model, Dfs::restoring, Dfs.Reduction.SLEEP_SETS);
        assertEquals(plain.outcome().counterexample() == null, reduced.outcome().counterexample() == null);
        assertEquals(plain.finals(), reduced.finals());
        assertTrue(reduced.outcome().states() * 3 < plain.outcome().states() * 2,
                reduced.outcome().states() + " states against " + plain.outcome().states());
    }

    /** The figures in docs/checker.md: hotplug-target on series-v9, without and with footprints; replaying agrees. */
    @Test
    void hotplugTargetOnSeriesV9() {
        Scenario s = Scenarios.get("hotplug-target");
        Dfs.Outcome plain = LateMigrationsTest.search(s, "series-v9", d -> d.restoring().withoutFootprints(), Dfs.Reduction.SLEEP_SETS).outcome();
        Dfs.Outcome reduced = LateMigrationsTest.search(s, "series-v9", Dfs::restoring, Dfs.Reduction.SLEEP_SETS).outcome();
        Dfs.Outcome replayed = LateMigrationsTest.search(s, "series-v9", Dfs::stateful, Dfs.Reduction.SLEEP_SETS).outcome();
        assertEquals(599_845, plain.states());
        assertEquals(229_999, reduced.states());
        assertEquals(reduced.states(), replayed.states());
        assertEquals(reduced.executions(), replayed.executions());
    }
}
