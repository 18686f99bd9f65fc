package smpcall.kernel;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static smpcall.kernel.KernelTestSupport.describe;

import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import smpcall.machine.Finding;
import smpcall.kernel.Property;
import smpcall.machine.RandomChooser;
import smpcall.machine.ReplayChooser;
import smpcall.machine.RunResult;
import smpcall.run.Driver;
import smpcall.run.Scenario;
import smpcall.run.Scenarios;
import smpcall.run.Models;

/** The built-in scenarios under random schedules, for every model; determinism and replay. */
class ScenarioTest {
    private static final String IRQS_OFF = "irqs-off-crosscall";
    private static final int SEEDS = 300;

    static Stream<Arguments> modelsAndScenarios() {
        List<Arguments> out = new ArrayList<>();
        for (String model : Models.names())
            for (Scenario s : Scenarios.all()) out.add(Arguments.of(model, s.name()));
        return out.stream();
    }

    static Stream<Arguments> modelsAndCleanScenarios() {
        return modelsAndScenarios().filter(a -> !a.get()[1].equals(IRQS_OFF));
    }

    static List<String> models() { return Models.names(); }

    @ParameterizedTest(name = "{0} {1}")
    @MethodSource("modelsAndCleanScenarios")
    void randomSeedsCompleteWithoutFindings(String model, String scenario) {
        Scenario s = Scenarios.get(scenario);
        for (long seed = 0; seed < SEEDS; seed++) {
            RunResult r = Driver.run(model, s, s.config(), new RandomChooser(seed), false, false);
            String what = model + " " + scenario + " seed " + seed;
            assertEquals(RunResult.End.COMPLETED, r.end(), what + ": " + describe(r));
            assertTrue(r.findings().isEmpty(), what + ": " + describe(r));
        }
    }

    /**
     * Two CPUs cross-call each other with irqs off: the irq-discipline warning (P7) in every
     * run, and in some runs both spin with irqs off for good, which the soft-lockup watchdog
     * reports (P2); the other runs (one side finished before the other disabled irqs) complete.
     */
    @ParameterizedTest
    @MethodSource("models")
    void irqsOffCrosscallWarnsAlwaysAndSometimesHangs(String model) {
        Scenario s = Scenarios.get(IRQS_OFF);
        int hangs = 0, completed = 0;
        for (long seed = 0; seed < SEEDS; seed++) {
            RunResult r = Driver.run(model, s, s.config(), new RandomChooser(seed), false, false);
            String what = model + " seed " + seed + ": " + describe(r);
            List<Finding> p7 = r.findings().stream().filter(f -> f.property() == Property.P7).toList();
            assertEquals(1, p7.size(), what + ": one WARN_ON_ONCE");
            assertTrue(p7.get(0).headline().startsWith("WARNING: CPU: ") && p7.get(0).headline().contains(" at kernel/smp.c:"),
                    p7.get(0).headline());
            if (r.end() == RunResult.End.HANG) {
                hangs++;
                List<Finding> p2 = r.findings().stream().filter(f -> f.property() == Property.P2).toList();
                assertEquals(1, p2.size(), what);
                assertTrue(p2.get(0).headline().startsWith("watchdog: BUG: soft lockup - CPU#"), what);
                assertTrue(p2.get(0).details().stream().anyMatch(l -> l.matches(".*spinning on .* with irqs( and preemption)? disabled")),
                        what + " " + p2.get(0).details());
            } else {
                assertEquals(RunResult.End.COMPLETED, r.end(), what);
                assertEquals(1, r.findings().size(), what);
                completed++;
            }
        }
        assertTrue(hangs > 0, model + ": no seed hung");
        assertEquals(SEEDS, hangs + completed, model);
    }

    /** The same seed gives the same run; replaying its choices gives it again. */
    @ParameterizedTest(name = "{0} {1}")
    @MethodSource("modelsAndScenarios")
    void sameSeedSameRunAndReplayReproducesIt(String model, String scenario) {
        Scenario s = Scenarios.get(scenario);
        for (long seed = 0; seed < 10; seed++) {
            String what = model + " " + scenario + " seed " + seed;
            RunResult a = Driver.run(model, s, s.config(), new RandomChooser(seed), true, false);
            RunResult b = Driver.run(model, s, s.config(), new RandomChooser(seed), true, false);
            assertFalse(a.trace().isEmpty(), what + ": no trace");
            assertEquals(a.trace(), b.trace(), what);
            assertEquals(a.console(), b.console(), what);
            assertEquals(a.findings(), b.findings(), what);
            assertEquals(a.end(), b.end(), what);
            assertEquals(a.steps(), b.steps(), what);
            assertArrayEquals(a.choices(), b.choices(), what);

            ReplayChooser replay = new ReplayChooser(a.moves());
            RunResult c = Driver.run(model, s, s.config(), replay, true, false);
            assertEquals(a.trace(), c.trace(), what + ": replay");
            assertEquals(a.console(), c.console(), what + ": replay");
            assertEquals(a.findings(), c.findings(), what + ": replay");
            assertEquals(a.end(), c.end(), what + ": replay");
            assertEquals(a.endNs(), c.endNs(), what + ": replay");
            assertTrue(replay.exhausted(), what + ": replay left recorded choices unused");
        }
    }

    /** Different seeds do explore different schedules (the sweep above is not one run 300 times). */
    @ParameterizedTest(name = "{0} {1}")
    @MethodSource("modelsAndScenarios")
    void seedsGiveDifferentSchedules(String model, String scenario) {
        Scenario s = Scenarios.get(scenario);
        java.util.Set<String> distinct = new java.util.HashSet<>();
        for (long seed = 0; seed < 20; seed++)
            distinct.add(java.util.Arrays.toString(Driver.run(model, s, s.config(), new RandomChooser(seed), false, false).choices()));
        assertTrue(distinct.size() > 1, model + " " + scenario + ": 20 seeds, one schedule");
    }
}
