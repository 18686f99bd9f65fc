package smpcall.kernel;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;

import java.util.List;
import java.util.Set;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import smpcall.check.Dfs;
import smpcall.machine.VirtualThreads;
import smpcall.run.RunSpec;
import smpcall.run.Scenarios;

/**
 * The search's reductions where stop_machine runs (a stopper's private step first, late
 * migrations) keep every planted bug of a hotplug scenario within reach: the exhaustive search
 * alone, with no random runs, finds each on its scenario with the property it names.
 */
class HotplugMutantsDfsTest {
    private static final Set<String> HOTPLUG = Set.of("hotplug-target", "any-offline", "migrate-offline");

    static List<PlantedBugs.Bug> hotplugBugs() {
        return PlantedBugs.ALL.stream().filter(b -> HOTPLUG.contains(b.scenario())).toList();
    }

    @ParameterizedTest
    @MethodSource("hotplugBugs")
    void theSearchFindsIt(PlantedBugs.Bug bug) {
        Dfs dfs = new Dfs(bug.model(), Scenarios.get(bug.scenario()), RunSpec.Knobs.NONE, -1, Dfs.Reduction.SLEEP_SETS).restoring();
        Dfs.Outcome o = VirtualThreads.call(() -> dfs.run(5_000_000, 120, () -> false));
        assertNotNull(o.counterexample(), bug.model() + " on " + bug.scenario() + ": " + o);
        assertEquals(bug.property(), o.counterexample().finding().property(), bug.model());
    }
}
