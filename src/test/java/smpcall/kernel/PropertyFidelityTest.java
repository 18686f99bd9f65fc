package smpcall.kernel;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import smpcall.check.Dfs;
import smpcall.kernel.Property;
import smpcall.machine.RandomChooser;
import smpcall.machine.RunResult;
import smpcall.machine.VirtualThreads;
import smpcall.run.Driver;
import smpcall.run.RunSpec;
import smpcall.run.Models;
import smpcall.run.ScenarioFile;
import smpcall.run.Scenarios;

/**
 * Each property is checked at the event it names: a variant a line away from series-v9 or
 * mainline that breaks it there is caught with that property by the exhaustive search, and
 * the same scenario is verified clean on mainline and series-v9.
 */
class PropertyFidelityTest {
    static { PlantedBugs.ALL.size(); }     // registers the planted models

    static Dfs.Outcome search(String model, String scenario) {
        return VirtualThreads.call(() -> new Dfs(model, scenario, RunSpec.Knobs.NONE, -1).stateful().run(200_000, 60, () -> false));
    }

    @ParameterizedTest(name = "{0} on {1}: {2}")
    @CsvSource({
            // P1 "returns only after all finished": the mark is at the function's exit
            "planted-sync-unlock-first, same-cpu-callers, P1, before CPU(s) 1 finished it",
            "planted-no-sync-mark, same-cpu-callers, P1, before CPU(s) 1 finished it",
            "planted-single-no-wait, single-async, P1, finished it",
            // P1 "every target": a call to an online CPU that is refused
            "planted-online-check-inverted, single-async, P1, without having queued it to online CPU(s) 1",
            // P1, what each call returns: -ENXIO only for a target that is not online, -EBUSY only while in flight
            "planted-any-first-of-mask, any-offline, P1, returns -ENXIO though CPU(s) 2 of its mask are online",
            "planted-async-busy-inverted, single-async, P1, returns -EBUSY though async_csd is not in flight",
            // P2: a CSD left locked with nothing in flight to unlock it
            "planted-enxio-keeps-lock, any-offline, P2, is left locked by T0/100's call of do_work",
            // P1 "exactly once" and "with irqs off"
            "planted-this-cpu-not-cleared, self-calls, P1, a second time on CPU 0",
            "planted-local-irqs-on, self-calls, P1, with irqs enabled on CPU 0",
            // P5: a function may free its ASYNC CSD, which is unlocked before it runs
            "planted-async-unlock-after-run, async-free, P5, BUG: KASAN: slab-use-after-free in csd_unlock",
            // P3 at the enqueue to a CPU that is not online, and for a CSD left on a dead CPU
            "planted-and-without-online, hotplug-target, P3, is queued on CPU 2, which is offline",
            "planted-dying-without-flush, hotplug-target, P3, is queued on offline CPU 2 and never runs",
            // P8 through a preemption point before get_cpu(): the task read its CPU, was moved, then used that CPU's cfd
            "planted-many-cpu-before-get-cpu, same-cpu-callers, P8, cpumask_ipi",
    })
    void aVariantIsCaughtWithItsPropertyAndTheScenarioIsCleanOnBothModels(String model, String scenario, Property property, String text) {
        Dfs.Outcome bad = search(model, scenario);
        assertNotNull(bad.counterexample(), model + " on " + scenario + " passed");
        assertEquals(property, bad.counterexample().finding().property(), () -> bad.counterexample().finding().summary());
        assertTrue(bad.counterexample().finding().summary().contains(text), () -> bad.counterexample().finding().summary());
        if (!scenario.equals("hotplug-target")) {       // series-v9's hotplug-target does not finish in this budget: verify's cell covers it
            for (String clean : Models.names()) {
                Dfs.Outcome ok = search(clean, scenario);
                assertNull(ok.counterexample(), () -> clean + " on " + scenario + ": " + ok.counterexample().finding().summary());
                assertTrue(ok.exhaustive(), clean + " on " + scenario);
            }
        }
    }

    /**
     * might_sleep() in atomic context: a model that leaks a preempt count (on_each_cpu_cond_mask()
     * without its preempt_enable()) is caught at the task's next cond_resched(), which names
     * its call site and the context as __might_resched() prints them.
     */
    @Test
    void condReschedInAtomicContextIsTheSleepingFunctionBug() {
        var s = ScenarioFile.parse("""
                cpus: 2
                masks: {targets: 1}
                tasks:
                  - name: T0
                    pinned: true
                    program:
                      - on_each_cpu_cond_mask: {mask: targets, func: do_work}
                      - cond_resched
                """, "resched.yaml");
        for (String model : new String[] {"planted-no-preempt-enable", "mainline", "series-v9"}) {
            Dfs.Outcome o = VirtualThreads.call(() -> new Dfs(model, s, RunSpec.Knobs.NONE, -1, Dfs.Reduction.SLEEP_SETS)
                    .stateful().run(100_000, 60, () -> false));
            if (!model.startsWith("planted")) {
                assertNull(o.counterexample(), () -> model + ": " + o.counterexample().finding().summary());
                assertTrue(o.exhaustive(), model);
                continue;
            }
            var f = o.counterexample().finding();
            assertEquals(Property.P6, f.property());
            assertEquals("BUG: sleeping function called from invalid context at resched.yaml:8", f.headline());
            assertTrue(f.kernelLog().contains("in_atomic(): 1, irqs_disabled(): 0, non_block: 0, pid: 100, name: T0"), () -> String.join("\n", f.kernelLog()));
            assertTrue(f.kernelLog().contains("preempt_count: 1, expected: 0"), () -> String.join("\n", f.kernelLog()));
            assertTrue(f.kernelLog().contains("RCU nest depth: 0, expected: 0"), () -> String.join("\n", f.kernelLog()));
        }
    }

    /**
     * might_sleep() in every sleeping primitive, not only cond_resched(): with the count
     * leaked, the hotplug that follows reaches wait_for_completion() (stop_machine waiting for
     * its stoppers) in atomic context, and __wait_for_common()'s might_sleep() names itself.
     */
    @Test
    void waitForCompletionInAtomicContextIsTheSleepingFunctionBug() {
        var s = ScenarioFile.parse("""
                cpus: 3
                masks: {targets: 2}
                tasks:
                  - name: cpuhp-ctl
                    pinned: true
                    program:
                      - on_each_cpu_cond_mask: {mask: targets, func: do_work}
                      - cpu_down: {cpu: 2}
                """, "down.yaml");
        for (String model : new String[] {"planted-no-preempt-enable", "mainline", "series-v9"}) {
            RunResult r = Driver.run(model, s, s.config(), new RandomChooser(1), false, false);
            List<String> bugs = r.findings().stream().map(f -> f.headline()).toList();
            if (!model.startsWith("planted")) {
                assertEquals(List.of(), bugs, model);
                continue;
            }
            assertEquals("BUG: sleeping function called from invalid context at kernel/sched/completion.c:113", bugs.get(0));
            assertTrue(r.findings().get(0).kernelLog().contains("in_atomic(): 1, irqs_disabled(): 0, non_block: 0, pid: 100, name: cpuhp-ctl"),
                    () -> String.join("\n", r.findings().get(0).kernelLog()));
        }
    }

    /**
     * A livelock is the lockup the kernel's watchdog reports, not a spent budget: a CSD queued
     * twice (v9-put-before-queue, two callers on one CPU) makes a cycle of CPU1's call queue,
     * and its IPI handler walks it with irqs off until the step budget runs out.
     */
    @Test
    void aHandlerLoopingWithIrqsOffIsAHardLockup() {
        var s = Scenarios.get("preempt-waiter");
        RunResult r = Driver.run("v9-put-before-queue", s, s.config(), new RandomChooser(3), false, false);
        assertEquals(RunResult.End.STEP_LIMIT, r.end());
        var lockup = r.findings().get(r.findings().size() - 1);
        assertEquals(Property.P2, lockup.property());
        assertEquals("watchdog: CPU1: Watchdog detected hard LOCKUP on cpu 1", lockup.headline());
        assertTrue(lockup.kernelLog().contains(" __flush_smp_call_function_queue+0x20/0xa0"), () -> String.join("\n", lockup.kernelLog()));
    }

    /** A run cut by its budget while it still makes progress is no finding: the lockup needs a CPU stuck for half the run. */
    @Test
    void aRunCutWhileItProgressesIsNoLockup() {
        var s = Scenarios.get("preempt-waiter");
        for (String model : new String[] {"mainline", "series-v9"}) {
            for (long steps = 10; steps <= 40; steps += 3) {
                RunResult r = Driver.run(model, s, s.config().withMaxSteps(steps), new RandomChooser(3), false, false);
                assertEquals(RunResult.End.STEP_LIMIT, r.end(), model + " " + steps);
                assertEquals(List.of(), r.findings(), model + " " + steps);
            }
        }
    }
}
