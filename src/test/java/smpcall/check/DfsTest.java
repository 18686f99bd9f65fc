package smpcall.check;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Set;
import java.util.TreeSet;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import smpcall.machine.VirtualThreads;
import smpcall.kernel.Mainline;
import smpcall.run.RunSpec;
import smpcall.run.Driver;
import smpcall.run.Scenario;
import smpcall.run.Scenarios;
import smpcall.kernel.SmpCallFunc;
import smpcall.machine.Cell;
import smpcall.machine.Config;
import smpcall.machine.Machine;
import smpcall.machine.RunResult;
import smpcall.machine.Storage;
import smpcall.machine.TaskSpec;

class DfsTest {
    private static final RunSpec.Knobs NO_PREEMPT = new RunSpec.Knobs(null, false, null, null, null);

    /** A final state: how the run ended, what it found, what the tasks printed, in a canonical order. */
    static String outcome(RunResult r) {
        TreeSet<String> lines = new TreeSet<>();
        r.findings().forEach(f -> lines.add(f.property() + " " + f.headline()));
        r.console().forEach(l -> lines.add(l.replaceFirst("^\\[[ .0-9]+\\] ", "")));
        return r.end() + " " + lines;
    }

    /**
     * Small enough for plain DFS: two CPUs, each task makes three accesses to cells some of
     * which are shared, and prints what it read.
     */
    private static Scenario tiny(int variant) {
        return new Scenario() {
            @Override public String name() { return "tiny"; }
            @Override public String description() { return "three tasks, three accesses each"; }
            @Override public Config config() { return Config.defaults(2).withPreemption(false); }
            @Override public void setUp(Machine m, Mainline k) {
                Storage s = m.staticData("cells");
                Cell x = m.cell(s, "x", 0), y = m.cell(s, "y", 0), z = m.cell(s, "z", 0);
                m.createTask(TaskSpec.normal("A", 0, () -> {
                    x.set(1);
                    long r = variant == 0 ? y.get() : z.get();
                    x.fetchAdd(r);
                    m.printk("A read " + r);
                }).pinned());
                m.createTask(TaskSpec.normal("B", 1, () -> {
                    y.set(2);
                    long r = variant == 2 ? z.get() : x.get();
                    z.set(r);
                    // Reads that are accesses: a peek is invisible to the reduction, which may
                    // then take two runs that differ only in what it saw as one.
                    m.printk("B read " + r + " x=" + x.get() + " y=" + y.get() + " z=" + z.get());
                }).pinned());
            }
        };
    }

    /**
     * Two CPUs: a task on CPU0 calls CPU1 and waits, while a task on CPU0 takes CPU1 down
     * (stop_machine, whose stoppers' histories a stateful search forgets at each state).
     */
    private static Scenario smallHotplug() {
        return new Scenario() {
            @Override public String name() { return "small-hotplug"; }
            @Override public String description() { return "a call to a CPU going down"; }
            @Override public Config config() { return Config.defaults(2); }
            @Override public void setUp(Machine m, Mainline k) {
                SmpCallFunc f = SmpCallFunc.of("do_work", info -> m.printk("do_work on CPU" + m.rawSmpProcessorId()));
                m.createTask(TaskSpec.normal("T0", 0, () -> m.printk("ret " + k.smpCallFunctionSingle(1, f, null, true))).pinned());
                m.createTask(TaskSpec.normal("cpuhp-ctl", 0, () -> m.hotplug().cpuDown(1)).pinned());
            }
        };
    }

    @ParameterizedTest
    @CsvSource({"0, SLEEP_SETS", "1, SLEEP_SETS", "2, SLEEP_SETS", "0, SOURCE_DPOR", "1, SOURCE_DPOR", "2, SOURCE_DPOR"})
    void reductionsReachTheSameFinalStatesAsPlainDfsWithFewerExecutions(int variant, Dfs.Reduction reduction) {
        String model = "mainline";
        Scenario scenario = tiny(variant);
        Set<String> reduced = new TreeSet<>(), plain = new TreeSet<>();
        Dfs.Outcome a = VirtualThreads.call(() -> new Dfs(model, scenario, RunSpec.Knobs.NONE, -1, reduction)
                .observe(r -> reduced.add(outcome(r))).run(1_000_000, 60, () -> false));
        Dfs.Outcome b = VirtualThreads.call(() -> new Dfs(model, scenario, RunSpec.Knobs.NONE, -1, Dfs.Reduction.NONE)
                .observe(r -> plain.add(outcome(r))).run(1_000_000, 60, () -> false));
        assertTrue(a.exhaustive() && b.exhaustive());
        assertEquals(a.counterexample() == null, b.counterexample() == null);
        assertEquals(plain, reduced);
        assertTrue(a.executions() < b.executions(), a.executions() + " vs " + b.executions());
    }

    @ParameterizedTest
    @CsvSource({"mainline", "series-v9"})
    void bootTaskWithoutPreemptionIsVerifiedExhaustively(String model) {
        Dfs.Outcome o = VirtualThreads.call(() -> new Dfs(model, "boot-task", NO_PREEMPT, -1).run(100_000, 60, () -> false));
        assertTrue(o.exhaustive());
        assertEquals(null, o.counterexample());
    }

    @ParameterizedTest
    @CsvSource({"v9-lock-nowait, preempt-waiter, P4", "v9-percpu-waitmask, preempt-waiter, P9", "v9-free-csd-on-dead, migrate-offline, P5"})
    void dfsFindsMutantViolationsAndTheyReplay(String model, String scenario, String property) {
        Dfs.Outcome o = VirtualThreads.call(() -> new Dfs(model, scenario, RunSpec.Knobs.NONE, -1).run(10_000, 60, () -> false));
        assertFalse(o.exhaustive());
        assertEquals(property, o.counterexample().finding().property().name());
        RunResult again = Driver.run(RunSpec.parse(o.counterexample().runId()), true, false);
        assertEquals(o.counterexample().result().trace(), again.trace());
    }

    /**
     * Source-DPOR, a state cache, and the footprints' reductions (late migrations, stopper
     * steps first) each prune, but must reach the same final states as the stateless search
     * with sleep sets alone; each with no more executions.
     */
    @ParameterizedTest
    @CsvSource({"mainline, boot-task, 0", "series-v9, boot-task, 0", "mainline, same-cpu-callers, 0",
            "series-v9, same-cpu-callers, 0", "series-v9, small-hotplug, 0", "mainline, small-hotplug, 0"})
    void prunedSearchesReachTheSameFinalStates(String model, String name, int preempt) {
        RunSpec.Knobs knobs = new RunSpec.Knobs(null, preempt == 1, null, null, null);
        Scenario scenario = name.equals("small-hotplug") ? smallHotplug() : Scenarios.get(name);
        Set<String> sleep = new TreeSet<>(), dpor = new TreeSet<>(), stateful = new TreeSet<>(), footprints = new TreeSet<>();
        Dfs.Outcome a = VirtualThreads.call(() -> new Dfs(model, scenario, knobs, -1, Dfs.Reduction.SLEEP_SETS).withoutFootprints()
                .observe(r -> sleep.add(outcome(r))).run(2_000_000, 60, () -> false));
        Dfs.Outcome d = VirtualThreads.call(() -> new Dfs(model, scenario, knobs, -1, Dfs.Reduction.SLEEP_SETS)
                .observe(r -> footprints.add(outcome(r))).run(2_000_000, 60, () -> false));
        Dfs.Outcome b = VirtualThreads.call(() -> new Dfs(model, scenario, knobs, -1, Dfs.Reduction.SOURCE_DPOR)
                .observe(r -> dpor.add(outcome(r))).run(2_000_000, 60, () -> false));
        Dfs pruning = new Dfs(model, scenario, knobs, -1, Dfs.Reduction.SLEEP_SETS).stateful();
        Dfs.Outcome c = VirtualThreads.call(() -> pruning.observe(r -> stateful.add(outcome(r))).run(2_000_000, 60, () -> false));
        assertTrue(a.exhaustive() && b.exhaustive() && c.exhaustive() && d.exhaustive(), a + " / " + b + " / " + c + " / " + d);
        assertEquals(sleep, dpor);
        assertEquals(sleep, stateful);
        assertEquals(sleep, footprints);
        assertTrue(d.executions() <= a.executions(), d.executions() + " vs " + a.executions());
        assertTrue(b.executions() <= a.executions(), b.executions() + " vs " + a.executions());
        assertTrue(c.executions() <= a.executions(), c.executions() + " vs " + a.executions());
    }

    @ParameterizedTest
    @CsvSource({"v9-lock-nowait, preempt-waiter, P4", "v9-percpu-waitmask, preempt-waiter, P9", "v9-free-csd-on-dead, migrate-offline, P5"})
    void statefulSearchStillFindsTheMutants(String model, String scenario, String property) {
        Dfs.Outcome o = VirtualThreads.call(() -> new Dfs(model, scenario, RunSpec.Knobs.NONE, -1).stateful().run(200_000, 60, () -> false));
        assertEquals(property, o.counterexample().finding().property().name());
    }

    /**
     * A stateful search forgets what an interrupt handler did to the interrupted task's
     * history once it returns, so runs that took the IPI at different points of the caller
     * meet again: without that, this cell took 79,142 executions.
     */
    @org.junit.jupiter.api.Test
    void runsThatTookAnInterruptAtDifferentPointsMeetInOneState() {
        RunSpec.Knobs knobs = new RunSpec.Knobs(null, true, false, null, null);
        Dfs.Outcome o = VirtualThreads.call(() -> new Dfs("series-v9", "boot-task", knobs, -1).stateful().run(2_000_000, 60, () -> false));
        assertTrue(o.exhaustive());
        assertTrue(o.executions() < 10_000, "executions: " + o.executions());
    }

    /** Workers side by side, sharing the state table, reach the same verdict and final states as one. */
    @ParameterizedTest
    @CsvSource({"series-v9, boot-task", "series-v9, same-cpu-callers", "mainline, small-hotplug", "series-v9, preempt-waiter"})
    void parallelWorkersReachTheSameFinalStates(String model, String name) {
        Scenario scenario = name.equals("small-hotplug") ? smallHotplug() : Scenarios.get(name);
        Set<String> one = new TreeSet<>(), three = new TreeSet<>();
        Dfs.Outcome a = VirtualThreads.call(() -> new Dfs(model, scenario, RunSpec.Knobs.NONE, -1, Dfs.Reduction.SLEEP_SETS).stateful()
                .observe(r -> one.add(outcome(r))).run(2_000_000, 120, () -> false, 1));
        Dfs.Outcome b = VirtualThreads.call(() -> new Dfs(model, scenario, RunSpec.Knobs.NONE, -1, Dfs.Reduction.SLEEP_SETS).stateful()
                .observe(r -> three.add(outcome(r))).run(2_000_000, 120, () -> false, 3));
        assertTrue(a.exhaustive() && b.exhaustive(), a + " / " + b);
        assertEquals(one, three);
        assertEquals(a.states(), b.states(), "every state is seen, by one worker or another");
    }

    @ParameterizedTest
    @CsvSource({"v9-lock-nowait, preempt-waiter, P4", "v9-free-csd-on-dead, migrate-offline, P5"})
    void parallelWorkersFindTheMutants(String model, String scenario, String property) {
        Dfs.Outcome o = VirtualThreads.call(() -> new Dfs(model, scenario, RunSpec.Knobs.NONE, -1).stateful().run(200_000, 60, () -> false, 3));
        assertFalse(o.exhaustive());
        assertEquals(property, o.counterexample().finding().property().name());
    }
}
