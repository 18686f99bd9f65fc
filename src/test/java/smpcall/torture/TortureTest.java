package smpcall.torture;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import smpcall.kernel.SeriesV9;
import smpcall.kernel.SmpCallFunc;
import smpcall.kernel.Property;
import smpcall.machine.VirtualThreads;
import smpcall.run.Models;

/** scftorture on the model: its verdicts, its own checks, the invokers, run-ids. */
class TortureTest {
    /** A short test with hotplug every jiffy, 8 threads on 4 CPUs. */
    static TortureParams hotplug(long seed, long durationNs) {
        return TortureParams.defaults().with("holdoff", "0").with("onoff_interval", "1").with("nthreads", "8")
                .withMachine(4, durationNs, seed);
    }

    static Torture.Result run(String model, Invoker invoker, TortureParams p) {
        return VirtualThreads.call(() -> Torture.run(new Torture.Run(model, invoker, p, false), false));
    }

    private static String log(Torture.Result r) { return String.join("\n", r.console()); }

    /** series-v9 whose smp_call_function_single() runs a call on the next CPU, not the one named. */
    static final class WrongCpu extends SeriesV9 {
        @Override public String name() { return "test-torture-wrong-cpu"; }

        @Override
        public int smpCallFunctionSingle(int cpu, SmpCallFunc func, Object info, boolean wait) {
            int other = (cpu + 1) % m.nrCpuIds();
            return super.smpCallFunctionSingle(m.cpuOnline(other) ? other : cpu, func, info, wait);
        }
    }

    /** series-v9 whose smp_call_function_single() never waits. */
    static final class NoWait extends SeriesV9 {
        @Override public String name() { return "test-torture-no-wait"; }

        @Override
        public int smpCallFunctionSingle(int cpu, SmpCallFunc func, Object info, boolean wait) {
            return super.smpCallFunctionSingle(cpu, func, info, false);
        }
    }

    @BeforeAll
    static void register() {
        if (!Models.exists("test-torture-wrong-cpu")) Models.register("test-torture-wrong-cpu", WrongCpu::new);
        if (!Models.exists("test-torture-no-wait")) Models.register("test-torture-no-wait", NoWait::new);
    }

    @ParameterizedTest
    @ValueSource(strings = {"mainline", "series-v9"})
    void theShippedModelsSucceedUnderHotplug(String model) {
        for (long seed = 1; seed <= 2; seed++) {
            Torture.Result r = run(model, null, hotplug(seed, 20_000_000L));
            assertEquals("SUCCESS", r.verdict(), () -> model + " seed " + r.run().params().seed() + "\n" + log(r));
            assertTrue(r.invoked() > 1000, () -> r.invoked() + " handler invocations");
            assertTrue(r.console().get(r.console().size() - 1).contains("scftorture: --- End of test: SUCCESS:  verbose=0 holdoff=0"), () -> log(r));
            assertTrue(log(r).matches("(?s).*onoff: [1-9][0-9]*/[1-9][0-9]*:[1-9][0-9]*/[1-9][0-9]* .*"), () -> "no hotplug happened\n" + log(r));
        }
    }

    /** Every mutant fails a test of 100 ms with hotplug on one of the first eight seeds; what fails first is a property's finding. */
    @Test
    void everyMutantFails() {
        for (var mutant : Models.mutants()) {
            Torture.Result failed = null;
            for (long seed = 1; seed <= 8 && failed == null; seed++) {
                Torture.Result r = run(mutant.name(), null, hotplug(seed, 100_000_000L));
                if (r.failed()) failed = r;
            }
            assertTrue(failed != null, mutant.name() + " never failed");
            assertFalse(failed.findings().isEmpty(), mutant.name());
            assertTrue(failed.console().stream().noneMatch(l -> l.contains("End of test")), () -> "a stopped test has no end line");
        }
    }

    @Test
    void theSameRunGivesTheSameBytes() {
        TortureParams p = hotplug(3, 10_000_000L);
        assertEquals(run("series-v9", null, p).console(), run("series-v9", null, p).console());
        assertFalse(run("series-v9", null, p).console().equals(run("series-v9", null, hotplug(4, 10_000_000L)).console()));
    }

    @Test
    void aSingleCallOnTheWrongCpuIsScfHandler1sWarning() {
        Torture.Result r = run("test-torture-wrong-cpu", null, hotplug(1, 10_000_000L));
        assertEquals("FAILURE", r.verdict());
        assertEquals(Property.P1, r.findings().get(0).property());
        assertTrue(log(r).matches("(?s).*\\] scf_handler_1: Wanted CPU [0-3] got CPU [0-3]\n.*WARNING: CPU: [0-3] PID: [0-9]+ at kernel/scftorture.c:305 scf_handler_1\\+0x.*"), () -> log(r));
    }

    @Test
    void aWaitThatDoesNotWaitIsAMemoryOrderingFailure() {
        Torture.Result r = run("test-torture-no-wait", null, hotplug(1, 10_000_000L));
        assertEquals("FAILURE", r.verdict());
        assertTrue(log(r).matches("(?s).*WARNING: CPU: [0-3] PID: [0-9]+ at kernel/scftorture.c:421 scftorture_invoke_one\\+0x.*"
                + "scftorture_invoke_one: Memory-ordering failure, scfs_prim: 1\\..*"), () -> log(r));
    }

    @Test
    void cpusReadLockExcludesHotplugAndSucceeds() {
        Torture.Result r = run("series-v9", null, hotplug(1, 20_000_000L).with("use_cpus_read_lock", "1"));
        assertEquals("SUCCESS", r.verdict(), () -> log(r));
        assertTrue(log(r).contains("use_cpus_read_lock=1"));
    }

    /** Mainline's smp_call_function_many() must be called with preemption disabled: patch 09's invoker breaks it. */
    @Test
    void mainlineUnderTheSeriesInvokerIsAPreemptionBug() {
        Torture.Result r = run("mainline", Invoker.SERIES_V9, hotplug(1, 20_000_000L));
        assertEquals("FAILURE", r.verdict());
        assertEquals(Property.P6, r.findings().get(0).property(), () -> log(r));
    }

    @Test
    void theSelectionTableFollowsScftortureWeights() {
        Selector d = new Selector(TortureParams.defaults(), 4);
        assertEquals(List.of("scf_sel_dump:  21.052 resched_cpu(nowait)", "scf_sel_dump:  21.052 smp_call_function_single(nowait)",
                "scf_sel_dump:  21.052 smp_call_function_single_rpc(wait)", "scf_sel_dump:  21.052 smp_call_function_single(wait)",
                "scf_sel_dump:   5.263 smp_call_function_many(nowait)", "scf_sel_dump:   5.263 smp_call_function_many(wait)",
                "scf_sel_dump:   2.631 smp_call_function(nowait)", "scf_sel_dump:   2.631 smp_call_function(wait)"), d.dump());
        Selector one = new Selector(TortureParams.defaults().with("weight_many", "3"), 4);
        assertEquals(List.of("scf_sel_dump: 100.000 smp_call_function_many(nowait)"), one.dump());
        Selector zero = new Selector(TortureParams.defaults().with("weight_resched", "0"), 4);
        assertEquals(7, zero.rows.size());
        assertThrows(IllegalArgumentException.class, () -> new Selector(TortureParams.defaults().with("weight_single", "0")
                .with("weight_resched", "0").with("weight_single_rpc", "0").with("weight_single_wait", "0").with("weight_many", "0")
                .with("weight_many_wait", "0").with("weight_all", "0").with("weight_all_wait", "0"), 4));
    }

    @Test
    void aRunIdRoundTrips() {
        Torture.Run run = new Torture.Run("series-v9", Invoker.SERIES_V9_OLD_WARN, hotplug(7, 5_000_000L), true);
        assertEquals("torture:series-v9:duration=5000000ns,invoker=series-v9-old-warn,csdlock_debug=1,holdoff=0,nthreads=8,onoff_interval=1:s7", run.id());
        assertEquals(run, Torture.Run.parse(run.id()));
        assertThrows(IllegalArgumentException.class, () -> Torture.Run.parse("torture:series-v9:nthreads=x:s1"));
        assertThrows(IllegalArgumentException.class, () -> Torture.Run.parse("torture:series-v9:-:1"));
        assertThrows(IllegalArgumentException.class, () -> Torture.Run.parse("torture:series-v9:bogus=1:s1"));
    }

    /**
     * Why patch 09 narrowed the memory-ordering check: with its invoker the caller is
     * preemptible, so a MANY or ALL call made while CPU1 was offline (no handler ran) can be
     * followed, before the check counts CPUs, by CPU1 coming up. The old check then reports a
     * failure nothing caused; the narrowed one does not, on the same seed.
     */
    @Test
    void patch09sInvokerWithTheOldCheckReportsAFalseFailure() {
        TortureParams p = TortureParams.defaults().with("holdoff", "0").with("onoff_interval", "1").with("nthreads", "4")
                .with("stutter", "0").with("weight_many_wait", "1").with("weight_all_wait", "1").withMachine(2, 110_000_000L, 4);
        Torture.Result old = run("series-v9", Invoker.SERIES_V9_OLD_WARN, p);
        assertEquals("FAILURE", old.verdict());
        assertTrue(log(old).matches("(?s).*scftorture_invoke_one: Memory-ordering failure, scfs_prim: [34]\\..*"), () -> log(old));
        Torture.Result narrowed = run("series-v9", Invoker.SERIES_V9, p);
        assertEquals("SUCCESS", narrowed.verdict(), () -> log(narrowed));
    }

    /**
     * A patch to SeriesV9.java compiles a class of its own, which does not extend the shipped
     * SeriesV9: it must still get the series' invoker. (It got mainline's, whose
     * preempt_disable() hid the docs' example bug from torture, though check found it at once.)
     */
    @Test
    void aPatchedSeriesV9GetsTheSeriesInvokerAndTheDocsBugIsCaught(@org.junit.jupiter.api.io.TempDir java.nio.file.Path dir) throws Exception {
        var m = java.util.regex.Pattern.compile("```diff\n(.*?)```", java.util.regex.Pattern.DOTALL)
                .matcher(java.nio.file.Files.readString(java.nio.file.Path.of("docs/user-models.md")));
        assertTrue(m.find(), "docs/user-models.md has its patch");
        java.nio.file.Path patch = dir.resolve("my-change.patch");
        java.nio.file.Files.writeString(patch, m.group(1));
        String name = Models.resolve(patch.toString());
        assertEquals(Invoker.SERIES_V9, Invoker.of(Models.create(name)));
        assertEquals(Invoker.MAINLINE, Invoker.of(Models.create("mainline")));
        Torture.Result r = run(name, null, hotplug(1, 1_000_000L));
        assertEquals("FAILURE", r.verdict(), () -> log(r));
        assertEquals(Property.P9, r.findings().get(0).property(), () -> log(r));
    }
}
