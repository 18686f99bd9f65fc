package smpcall.kernel;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import smpcall.machine.Config;
import smpcall.machine.Finding;
import smpcall.kernel.Property;
import smpcall.machine.RunResult;
import smpcall.run.RunSpec;
import smpcall.run.Driver;

/** csd_lock_wait_toolong() as the C has it: reports, backtraces, csd_lock_is_stuck(), csd_lock_timeout=0, panic_on_ipistall. */
class CsdLockDebugTest {
    static final String CROSSCALL = "irqs-off-crosscall";

    /** The first seed whose run of the cross-call deadlock under {@code knobs} hangs (or BUGs), and its result. */
    static RunResult deadlocked(String model, RunSpec.Knobs knobs) {
        for (long seed = 1; seed < 100; seed++) {
            RunResult r = Driver.run(RunSpec.seeded(model, CROSSCALL, knobs, seed), false, false);
            if (r.findings().stream().anyMatch(f -> f.property() == Property.P2)) return r;
        }
        throw new AssertionError("no seed deadlocks");
    }

    static long count(List<String> log, String fragment) {
        return log.stream().filter(l -> l.contains(fragment)).count();
    }

    @ParameterizedTest
    @ValueSource(strings = {"mainline", "series-v9"})
    void aStuckLockIsDetectedOnceThenContinuedWithABacktraceOfTheTargetAndOneStackDump(String model) {
        RunResult r = deadlocked(model, new RunSpec.Knobs(null, null, null, true, null));
        List<String> log = r.console();
        assertEquals(RunResult.End.HANG, r.end());
        // Each CPU waits on the other: one bug id each, "Detected" once, then "Continued".
        assertEquals(2, count(log, "Detected non-responsive CSD lock"), () -> String.join("\n", log));
        assertTrue(count(log, "Continued non-responsive CSD lock (#1)") >= 1, () -> String.join("\n", log));
        // trigger_backtrace is 1 only until the first waiter takes it: one NMI backtrace of each target.
        assertEquals(2, count(log, "NMI backtrace for cpu "), () -> String.join("\n", log));
        assertTrue(log.stream().anyMatch(l -> l.matches(".*Sending NMI from CPU [01] to CPUs [01]:")), () -> String.join("\n", log));
        // dump_stack() the first time only: its call trace names the debug wait.
        assertEquals(2, count(log, "dump_stack_lvl"), () -> String.join("\n", log));
        assertTrue(log.stream().anyMatch(l -> l.contains(" csd_lock_wait_toolong+")), () -> String.join("\n", log));
        assertTrue(count(log, "Re-sending CSD lock (#1) IPI") >= 2);
        // The first report comes only once the wait is longer than the timeout (the C's "<=").
        String first = log.stream().filter(l -> l.contains("Detected")).findFirst().orElseThrow();
        long waited = Long.parseLong(first.replaceAll(".*waiting (\\d+) ns.*", "$1"));
        assertTrue(waited > 5_000_000_000L, first);
    }

    @ParameterizedTest
    @ValueSource(strings = {"mainline", "series-v9"})
    void withNoTimeoutTheDebugWaitJustSpinsAndTheDeadlockIsAHang(String model) {
        RunResult r = deadlocked(model, new RunSpec.Knobs(null, null, null, true, 0L));
        assertEquals(RunResult.End.HANG, r.end());
        Finding hang = r.findings().stream().filter(f -> f.property() == Property.P2).findFirst().orElseThrow();
        assertTrue(hang.headline().startsWith("watchdog: BUG: soft lockup"), hang.headline());
        assertEquals(0, count(r.console(), "non-responsive"));
    }

    @Test
    void panicOnIpistallIsABugOnceTheLockIsStuckLongerThanIt() {
        RunResult r = deadlocked("series-v9", new RunSpec.Knobs(null, null, null, true, null, 12_000L));
        assertEquals(RunResult.End.FINDING, r.end());
        Finding bug = r.findings().stream().filter(f -> f.property() == Property.P2).findFirst().orElseThrow();
        assertEquals("kernel BUG at kernel/smp.c:289!", bug.headline());
        // Reports at 5 s and 15 s: the BUG comes with the second, the first over 12 s.
        assertEquals(1, count(r.console(), "Continued non-responsive CSD lock"), () -> String.join("\n", r.console()));
        assertTrue(RunSpec.parse(RunSpec.seeded("series-v9", CROSSCALL, new RunSpec.Knobs(null, null, null, true, null, 12_000L), 1).id())
                .knobs().panicOnIpistallMs() == 12_000L);
    }

    /** A callback slower than csd_lock_timeout: the waiter reports it, csd_lock_is_stuck() holds meanwhile, then it gets unstuck. */
    @ParameterizedTest
    @ValueSource(strings = {"mainline", "series-v9"})
    void aSlowCallbackIsReportedThenGetsUnstuckAndCsdLockIsStuckFollows(String model) {
        Config config = SmpParams.withCsdLockTimeoutMs(SmpParams.withCsdlockDebug(Config.defaults(2), true), 1);
        KernelTestSupport.Rig rig = KernelTestSupport.rig(model, config, 1);
        List<Boolean> stuckSeen = new ArrayList<>();
        SmpCallFunc slow = SmpCallFunc.of("slow_func", info -> {
            rig.m().delay(3_000_000);
            boolean stuck = false;
            for (int i = 0; i < 1000 && !stuck; i++) stuck = rig.k().csdLockIsStuck();     // until the waiter has reported
            stuckSeen.add(stuck);
        });
        rig.m().createTask(smpcall.machine.TaskSpec.normal("T0", 0, () -> rig.k().smpCallFunctionSingle(1, slow, null, true)).pinned());
        RunResult r = rig.m().run();
        assertEquals(RunResult.End.COMPLETED, r.end(), () -> KernelTestSupport.describe(r));
        assertTrue(count(r.console(), "csd: Detected non-responsive CSD lock (#1) on CPU#0") == 1, () -> String.join("\n", r.console()));
        assertEquals(1, count(r.console(), "csd: CSD lock (#1) got unstuck on CPU#00, CPU#01 released the lock."), () -> String.join("\n", r.console()));
        assertEquals(List.of(true), stuckSeen);
        assertFalse(rig.k().csdLockIsStuckPeek());
    }

    /**
     * A stuck CSD whose destination is not a CPU (CPU 3 of a 3-CPU machine): the kernel's
     * WARN_ONCE, and no backtrace request or re-sent IPI to a CPU that does not exist; the
     * wait goes on and the run ends in a hang, not in a crash of the model.
     */
    @ParameterizedTest
    @ValueSource(strings = {"mainline", "series-v9"})
    void aStuckCsdForACpuThatDoesNotExistWarnsOnceAndSendsNothing(String model) {
        Config config = SmpParams.withCsdLockTimeoutMs(SmpParams.withCsdlockDebug(Config.defaults(3), true), 1);
        KernelTestSupport.Rig rig = KernelTestSupport.rig(model, config, 1);
        smpcall.machine.Storage frame = rig.m().staticData("stuck_csd");
        Csd stuck = new Csd(rig.m(), frame, "stuck_csd", -1, frame.addr(), Csd.CSD_FLAG_LOCK | Csd.CSD_TYPE_SYNC);
        stuck.func.set(SmpCallFunc.of("lost_func", info -> { }));
        stuck.dst.set(3);
        rig.m().createTask(smpcall.machine.TaskSpec.normal("T0", 0, () -> {
            rig.m().preemptDisable();
            rig.k().csdLockWait(stuck);
            rig.m().preemptEnable();
        }).pinned());
        RunResult r = rig.m().run();
        assertEquals(RunResult.End.HANG, r.end(), () -> KernelTestSupport.describe(r));
        List<Finding> warns = r.findings().stream().filter(f -> f.headline().startsWith("WARNING:")).toList();
        assertEquals(1, warns.size(), () -> r.findings().toString());
        assertTrue(warns.get(0).headline().contains("at kernel/smp.c:271 csd_lock_wait_toolong"), warns.get(0).headline());
        assertEquals(List.of("csd_lock_wait_toolong: cpu = 3"), warns.get(0).preface());
        assertTrue(count(r.console(), "Detected non-responsive CSD lock (#1) on CPU#0, waiting") == 1, () -> String.join("\n", r.console()));
        assertEquals(0, count(r.console(), "Re-sending"));
        assertEquals(0, count(r.console(), "NMI backtrace"));
    }
}
