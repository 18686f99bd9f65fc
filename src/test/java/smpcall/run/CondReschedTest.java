package smpcall.run;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;

import org.junit.jupiter.api.Test;

import smpcall.machine.RandomChooser;
import smpcall.machine.RunResult;

/**
 * cond_resched() on a kernel without CONFIG_PREEMPTION: the scheduler tick sets need_resched
 * at any moment, so a task gives way to another of its CPU there, and only there.
 */
class CondReschedTest {
    /** T0 makes two calls on CPU0, with or without a cond_resched() between; T1 on CPU0 makes one. */
    private static final String TWO_TASKS = """
            cpus: 3
            config: {preempt: false}
            masks: {one: 2}
            tasks:
              - name: T0
                pinned: true
                program:
                  - smp_call_function_single: {cpu: 1, func: f, printk: true}
                  %s
                  - smp_call_function_any: {mask: one, func: f, printk: true}
              - name: T1
                pinned: true
                program:
                  - smp_call_function_single: {cpu: 2, func: f, printk: true}
            """;

    /** Whether some of 200 random runs has T1's call between T0's two. */
    private static boolean t1RunsBetween(String between) {
        FileScenario s = ScenarioFile.parse(TWO_TASKS.formatted(between), "two.yaml");
        boolean seen = false;
        for (long seed = 0; seed < 200; seed++) {
            RunResult r = Driver.run("series-v9", s, s.config(), new RandomChooser(seed), false, false);
            assertEquals(RunResult.End.COMPLETED, r.end(), "seed " + seed);
            assertTrue(r.findings().isEmpty(), () -> r.findings().toString());
            List<String> log = r.console().stream().filter(l -> l.contains(") = ")).toList();
            assertEquals(3, log.size(), log::toString);
            if (log.get(1).contains("] smp_call_function_single(2")) seen = true;
        }
        return seen;
    }

    @Test
    void withoutPreemptionATaskGivesWayOnlyAtCondResched() {
        assertFalse(t1RunsBetween("- delay: 1us"), "T1 ran between two calls with no scheduling point");
        assertTrue(t1RunsBetween("- cond_resched"), "cond_resched() never let T1 run");
    }
}
