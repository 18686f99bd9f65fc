package smpcall.check;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Set;
import java.util.TreeSet;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import smpcall.machine.VirtualThreads;
import smpcall.run.RunSpec;
import smpcall.run.Scenarios;

/**
 * The search that restores saved states explores exactly the branches of the one that
 * replays each branch from the boot state: the same executions, states and final states,
 * and every rebuild of a task from its record fits.
 */
class RestoringTest {
    private static final RunSpec.Knobs DEFAULT = new RunSpec.Knobs(null, null, null, null, null);


    @ParameterizedTest
    @CsvSource({"mainline, single-async", "series-v9, single-async", "mainline, boot-task", "series-v9, boot-task",
            "mainline, same-cpu-callers", "series-v9, same-cpu-callers", "series-v9, preempt-waiter",
            // stop_machine and cpumask_clear_cpu(), whose peek a rebuild once did not get back
            "mainline, hotplug-target", "mainline, any-offline", "series-v9, self-calls", "series-v9, async-free"})
    void restoringExploresWhatReplayingExplores(String model, String scenario) {
        Set<String> replayed = new TreeSet<>(), restored = new TreeSet<>();
        Dfs.Outcome a = VirtualThreads.call(() -> new Dfs(model, Scenarios.get(scenario), DEFAULT, -1, Dfs.Reduction.SLEEP_SETS)
                .stateful().observe(r -> replayed.add(DfsTest.outcome(r))).run(3_000_000, 120, () -> false));
        Dfs restoring = new Dfs(model, Scenarios.get(scenario), DEFAULT, -1, Dfs.Reduction.SLEEP_SETS).restoring();
        Dfs.Outcome b = VirtualThreads.call(() -> restoring.observe(r -> restored.add(DfsTest.outcome(r))).run(3_000_000, 120, () -> false));
        assertTrue(a.exhaustive(), a.toString());
        assertTrue(b.exhaustive(), b.toString());
        assertTrue(restoring.restored(), "the search went back to saved states");
        assertEquals(0, restoring.rebuildsFailed(), "rebuilds that did not fit");
        assertEquals(a.states(), b.states(), "states");
        assertEquals(a.executions(), b.executions(), "executions");
        assertEquals(replayed, restored);
    }
}
