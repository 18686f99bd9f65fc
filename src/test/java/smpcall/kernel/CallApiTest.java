package smpcall.kernel;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static smpcall.kernel.KernelTestSupport.bit;
import static smpcall.kernel.KernelTestSupport.cpusOf;
import static smpcall.kernel.KernelTestSupport.describe;
import static smpcall.kernel.KernelTestSupport.events;
import static smpcall.kernel.KernelTestSupport.rig;

import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import smpcall.kernel.KernelTestSupport.Call;
import smpcall.kernel.KernelTestSupport.Rig;
import smpcall.machine.Cell;
import smpcall.machine.Cpumask;
import smpcall.machine.Finding;
import smpcall.machine.Machine;
import smpcall.kernel.Property;
import smpcall.machine.RunResult;
import smpcall.machine.TaskSpec;
import smpcall.run.Models;

/**
 * The call API of kernel/smp.c, for every shipped model: where and how each call runs its
 * callback (DESIGN §1 and property P1), and its return values. Where the outcome may depend
 * on the interleaving, each test sweeps many seeds of the random chooser.
 */
class CallApiTest {
    private static final int SEEDS = 200;
    private static final int ENXIO = 6, EBUSY = 16;

    static List<String> models() { return Models.names(); }

    private static void assertClean(RunResult r, String what) {
        assertEquals(RunResult.End.COMPLETED, r.end(), what + ": " + describe(r));
        assertTrue(r.findings().isEmpty(), what + ": " + describe(r));
    }

    /** Each call ran once, on a distinct CPU, and exactly the CPUs of {@code expected}. */
    private static void assertRanOnceOn(long expected, List<Call> calls, String what) {
        assertEquals(Long.bitCount(expected), calls.size(), what + ": " + calls);
        assertEquals(expected, cpusOf(calls), what + ": " + calls);
    }

    // ------------------------------------------------------------------ smp_call_function_single

    @ParameterizedTest
    @MethodSource("models")
    void singleWaitRunsOnceOnTargetInHardirqBeforeReturning(String model) {
        for (long seed = 0; seed < SEEDS; seed++) {
            Rig rig = rig(model, 3, seed);
            Machine m = rig.m();
            List<Call> calls = new ArrayList<>();
            SmpCallFunc f = rig.recording("remote_func", calls);
            int[] ret = {Integer.MIN_VALUE};
            int[] ranAtReturn = {-1};
            m.createTask(TaskSpec.normal("T0", 0, () -> {
                ret[0] = rig.k().smpCallFunctionSingle(1, f, "info-1", true);
                ranAtReturn[0] = calls.size();
            }).pinned());
            RunResult r = m.run();
            String what = model + " seed " + seed;
            assertClean(r, what);
            assertEquals(0, ret[0], what);
            assertEquals(1, ranAtReturn[0], what + ": the callback had not run when the call returned");
            assertEquals(1, calls.size(), what + ": " + calls);
            Call c = calls.get(0);
            assertEquals(1, c.cpu(), what);
            assertTrue(c.irqsOff(), what + ": irqs on in the callback");
            assertFalse(c.inTask(), what + ": a remote callback runs from the IPI, not in task context");
            assertEquals("info-1", c.info(), what);
        }
    }

    @ParameterizedTest
    @MethodSource("models")
    void singleToSelfRunsLocallyWithIrqsOff(String model) {
        for (boolean wait : new boolean[] {true, false}) {
            for (long seed = 0; seed < 20; seed++) {
                Rig rig = rig(model, 3, seed);
                Machine m = rig.m();
                List<Call> calls = new ArrayList<>();
                SmpCallFunc f = rig.recording("self_func", calls);
                int[] ret = {Integer.MIN_VALUE};
                int[] ranAtReturn = {-1};
                m.createTask(TaskSpec.normal("T0", 2, () -> {
                    ret[0] = rig.k().smpCallFunctionSingle(2, f, null, wait);
                    ranAtReturn[0] = calls.size();
                }).pinned());
                RunResult r = m.run();
                String what = model + " wait=" + wait + " seed " + seed;
                assertClean(r, what);
                assertEquals(0, ret[0], what);
                assertEquals(1, ranAtReturn[0], what + ": a self call runs before it returns");
                assertEquals(1, calls.size(), what);
                assertEquals(2, calls.get(0).cpu(), what);
                assertTrue(calls.get(0).irqsOff(), what + ": local call with irqs on");
                assertTrue(calls.get(0).inTask(), what + ": a local call runs in the caller's context");
                assertTrue(events(r, "csd_queue_cpu").isEmpty(), what + ": a self call queues nothing");
                assertTrue(events(r, "ipi_send_cpu").isEmpty(), what + ": a self call sends no IPI");
            }
        }
    }

    @ParameterizedTest
    @MethodSource("models")
    void singleToInvalidCpuIsEnxioAndNeverRuns(String model) {
        for (boolean wait : new boolean[] {true, false}) {
            for (long seed = 0; seed < 20; seed++) {
                Rig rig = rig(model, 3, seed);
                Machine m = rig.m();
                List<Call> calls = new ArrayList<>();
                SmpCallFunc f = rig.recording("never", calls);
                int[] ret = {Integer.MIN_VALUE};
                m.createTask(TaskSpec.normal("T0", 0, () -> ret[0] = rig.k().smpCallFunctionSingle(m.nrCpuIds(), f, null, wait)).pinned());
                RunResult r = m.run();
                String what = model + " wait=" + wait + " seed " + seed;
                assertClean(r, what);
                assertEquals(-ENXIO, ret[0], what);
                assertTrue(calls.isEmpty(), what + ": " + calls);
                assertTrue(events(r, "csd_queue_cpu").isEmpty(), what);
            }
        }
    }

    @ParameterizedTest
    @MethodSource("models")
    void singleToOfflineCpuIsEnxio(String model) {
        for (boolean wait : new boolean[] {true, false}) {
            for (long seed = 0; seed < 30; seed++) {
                Rig rig = rig(model, 3, seed);
                Machine m = rig.m();
                List<Call> calls = new ArrayList<>();
                SmpCallFunc f = rig.recording("never", calls);
                int[] ret = {Integer.MIN_VALUE, Integer.MIN_VALUE};
                m.createTask(TaskSpec.normal("T0", 0, () -> {
                    ret[0] = m.hotplug().cpuDown(2);
                    ret[1] = rig.k().smpCallFunctionSingle(2, f, null, wait);
                }).pinned());
                RunResult r = m.run();
                String what = model + " wait=" + wait + " seed " + seed;
                assertClean(r, what);
                assertEquals(0, ret[0], what + ": cpu_down");
                assertFalse(m.cpu(2).online(), what);
                assertEquals(-ENXIO, ret[1], what);
                assertTrue(calls.isEmpty(), what + ": " + calls);
            }
        }
    }

    @ParameterizedTest
    @MethodSource("models")
    void singleNoWaitEventuallyRunsOnceOnTarget(String model) {
        for (long seed = 0; seed < SEEDS; seed++) {
            Rig rig = rig(model, 3, seed);
            Machine m = rig.m();
            List<Call> calls = new ArrayList<>();
            SmpCallFunc f1 = rig.recording("nowait_1", calls);
            SmpCallFunc f2 = rig.recording("nowait_2", calls);
            int[] ret = {Integer.MIN_VALUE, Integer.MIN_VALUE};
            // Both use this CPU's csd_data: the second call waits until the first is done with it.
            m.createTask(TaskSpec.normal("T0", 0, () -> {
                ret[0] = rig.k().smpCallFunctionSingle(1, f1, null, false);
                ret[1] = rig.k().smpCallFunctionSingle(2, f2, null, false);
            }).pinned());
            RunResult r = m.run();
            String what = model + " seed " + seed;
            assertClean(r, what);
            assertEquals(0, ret[0], what);
            assertEquals(0, ret[1], what);
            assertEquals(2, calls.size(), what + ": " + calls);
            for (Call c : calls) {
                assertEquals(c.func().equals("nowait_1") ? 1 : 2, c.cpu(), what + ": " + c);
                assertTrue(c.irqsOff() && !c.inTask(), what + ": " + c);
            }
            assertEquals(1, calls.stream().filter(c -> c.func().equals("nowait_1")).count(), what);
        }
    }

    // ------------------------------------------------------------------ smp_call_function_single_async

    /**
     * CPU1 keeps irqs off until told otherwise, so the first async CSD stays queued and
     * locked: the second queueing of the same CSD must see it busy. After the callback ran
     * (an ASYNC CSD is unlocked before its function runs), the CSD can be queued again.
     */
    @ParameterizedTest
    @MethodSource("models")
    void asyncOnBusyCsdIsEbusyAndRunsOncePerQueueing(String model) {
        for (long seed = 0; seed < SEEDS; seed++) {
            Rig rig = rig(model, 3, seed);
            Machine m = rig.m();
            Cell ready = m.cell(m.staticData("ready"), "ready", 0);
            Cell release = m.cell(m.staticData("release"), "release", 0);
            Cell ran = m.cell(m.staticData("ran"), "ran", 0);
            List<Call> calls = new ArrayList<>();
            SmpCallFunc f = SmpCallFunc.of("async_func", info -> {
                calls.add(new Call("async_func", m.rawSmpProcessorId(), m.irqsDisabled(), m.inTask(), info));
                ran.fetchAdd(1);
            });
            Csd csd = rig.k().initCsd(m.staticData("async_csd"), "async_csd", f, "a");
            int[] ret = {Integer.MIN_VALUE, Integer.MIN_VALUE, Integer.MIN_VALUE};
            m.createTask(TaskSpec.normal("blocker", 1, () -> {
                m.localIrqDisable();
                ready.set(1);
                release.condLoadAcquire(v -> v == 1);
                m.localIrqEnable();
            }).pinned());
            m.createTask(TaskSpec.normal("T0", 0, () -> {
                ready.condLoadAcquire(v -> v == 1);
                ret[0] = rig.k().smpCallFunctionSingleAsync(1, csd);
                ret[1] = rig.k().smpCallFunctionSingleAsync(1, csd);
                release.set(1);
                ran.condLoadAcquire(v -> v == 1);
                ret[2] = rig.k().smpCallFunctionSingleAsync(1, csd);
            }).pinned());
            RunResult r = m.run();
            String what = model + " seed " + seed;
            assertClean(r, what);
            assertEquals(0, ret[0], what + ": first queueing");
            assertEquals(-EBUSY, ret[1], what + ": the CSD is still locked");
            assertEquals(0, ret[2], what + ": the CSD is free again after its callback started");
            assertEquals(2, calls.size(), what + ": once per successful queueing: " + calls);
            for (Call c : calls) assertTrue(c.cpu() == 1 && c.irqsOff() && !c.inTask(), what + ": " + c);
        }
    }

    /**
     * Two async calls on one CSD, a seed-dependent number of steps apart: the second is 0 or
     * -EBUSY depending on whether the target has run the first yet; both occur.
     */
    @ParameterizedTest
    @MethodSource("models")
    void asyncSecondCallIsZeroOrEbusyAcrossSeeds(String model) {
        int busy = 0, queued = 0;
        for (long seed = 0; seed < 300; seed++) {
            Rig rig = rig(model, 3, seed);
            Machine m = rig.m();
            List<Call> calls = new ArrayList<>();
            Csd csd = rig.k().initCsd(m.staticData("async_csd"), "async_csd", rig.recording("async_func", calls), null);
            int[] ret = {Integer.MIN_VALUE, Integer.MIN_VALUE};
            int gap = (int) (seed % 24);
            m.createTask(TaskSpec.normal("T0", 0, () -> {
                ret[0] = rig.k().smpCallFunctionSingleAsync(1, csd);
                for (int i = 0; i < gap; i++) m.delay(10);
                ret[1] = rig.k().smpCallFunctionSingleAsync(1, csd);
            }).pinned());
            RunResult r = m.run();
            String what = model + " seed " + seed;
            assertClean(r, what);
            assertEquals(0, ret[0], what);
            assertTrue(ret[1] == 0 || ret[1] == -EBUSY, what + ": " + ret[1]);
            if (ret[1] == 0) queued++;
            else busy++;
            assertEquals(ret[1] == 0 ? 2 : 1, calls.size(), what + ": " + calls);
            for (Call c : calls) assertTrue(c.cpu() == 1 && c.irqsOff() && !c.inTask(), what + ": " + c);
        }
        assertTrue(busy > 0, model + ": no seed found the CSD busy");
        assertTrue(queued > 0, model + ": no seed found the CSD free again");
    }

    // ------------------------------------------------------------------ smp_call_function_any

    private record AnyCase(int callerCpu, long mask, int offline, int expectedCpu) {}

    @ParameterizedTest
    @MethodSource("models")
    void anyPicksThisCpuIfInMaskElseFirstOnlineOfMask(String model) {
        List<AnyCase> cases = List.of(
                new AnyCase(1, bit(1) | bit(2), -1, 1),     // this CPU is in the mask: local
                new AnyCase(3, bit(0) | bit(3), -1, 3),
                new AnyCase(0, bit(2) | bit(3), -1, 2),     // else the first online one
                new AnyCase(0, bit(2) | bit(3), 2, 3));     // ... skipping an offline one
        for (AnyCase ac : cases) {
            for (long seed = 0; seed < 40; seed++) {
                Rig rig = rig(model, 4, seed);
                Machine m = rig.m();
                Cpumask mask = rig.mask("any_mask", ac.mask());
                List<Call> calls = new ArrayList<>();
                SmpCallFunc f = rig.recording("any_func", calls);
                int[] ret = {Integer.MIN_VALUE};
                int[] ranAtReturn = {-1};
                m.createTask(TaskSpec.normal("T0", ac.callerCpu(), () -> {
                    if (ac.offline() >= 0) m.hotplug().cpuDown(ac.offline());
                    ret[0] = rig.k().smpCallFunctionAny(mask, f, null, true);
                    ranAtReturn[0] = calls.size();
                }).pinned());
                RunResult r = m.run();
                String what = model + " " + ac + " seed " + seed;
                assertClean(r, what);
                assertEquals(0, ret[0], what);
                assertEquals(1, ranAtReturn[0], what);
                assertEquals(1, calls.size(), what + ": " + calls);
                Call c = calls.get(0);
                assertEquals(ac.expectedCpu(), c.cpu(), what);
                assertTrue(c.irqsOff(), what);
                boolean local = ac.expectedCpu() == ac.callerCpu();
                assertEquals(local, c.inTask(), what + ": local runs in the caller, remote in the IPI");
                assertEquals(local ? 0 : 1, events(r, "csd_queue_cpu").size(), what);
            }
        }
    }

    // ------------------------------------------------------------------ the many-target calls

    @ParameterizedTest
    @MethodSource("models")
    void manyRunsOnceOnEveryOnlineTargetButSelf(String model) {
        for (boolean wait : new boolean[] {true, false}) {
            for (long seed = 0; seed < SEEDS; seed++) {
                Rig rig = rig(model, 4, seed);
                Machine m = rig.m();
                Cpumask mask = rig.mask("many_mask", bit(0) | bit(1) | bit(3));
                List<Call> calls = new ArrayList<>();
                SmpCallFunc f = rig.recording("many_func", calls);
                int[] ranAtReturn = {-1};
                m.createTask(TaskSpec.normal("T0", 0, () -> {
                    m.preemptDisable();     // smp_call_function_many() wants its caller pinned
                    rig.k().smpCallFunctionMany(mask, f, "m", wait);
                    ranAtReturn[0] = calls.size();
                    m.preemptEnable();
                }).pinned());
                RunResult r = m.run();
                String what = model + " wait=" + wait + " seed " + seed;
                assertClean(r, what);
                assertRanOnceOn(bit(1) | bit(3), calls, what);
                if (wait) assertEquals(2, ranAtReturn[0], what + ": returned before every target ran");
                for (Call c : calls) assertTrue(c.irqsOff() && !c.inTask() && "m".equals(c.info()), what + ": " + c);
            }
        }
    }

    /**
     * Mainline's smp_call_function_many_cond() asserts that its caller disabled preemption
     * (lockdep); the series pins itself inside, so a preemptible caller is fine there.
     */
    @ParameterizedTest
    @MethodSource("models")
    void manyFromPreemptibleCallerWarnsOnlyInMainline(String model) {
        boolean mainline = model.equals("mainline");
        for (long seed = 0; seed < 50; seed++) {
            Rig rig = rig(model, 4, seed);
            Machine m = rig.m();
            Cpumask mask = rig.mask("many_mask", bit(0) | bit(1) | bit(3));
            List<Call> calls = new ArrayList<>();
            SmpCallFunc f = rig.recording("many_func", calls);
            m.createTask(TaskSpec.normal("T0", 0, () -> rig.k().smpCallFunctionMany(mask, f, null, true)).pinned());
            RunResult r = m.run();
            String what = model + " seed " + seed + ": " + describe(r);
            assertEquals(RunResult.End.COMPLETED, r.end(), what);
            assertRanOnceOn(bit(1) | bit(3), calls, what);
            if (mainline) {
                assertEquals(1, r.findings().size(), what);
                Finding fd = r.findings().get(0);
                assertEquals(Property.P6, fd.property(), what);
                assertEquals(List.of("lockdep_assert_preemption_disabled()"), fd.preface(), what);
                assertTrue(fd.headline().startsWith("WARNING: CPU: 0 PID: ")
                        && fd.headline().contains(" at kernel/smp.c:")
                        && fd.headline().contains("smp_call_function_many_cond+0x"), fd.headline());
            } else {
                assertTrue(r.findings().isEmpty(), what);
            }
        }
    }

    @ParameterizedTest
    @MethodSource("models")
    void onEachCpuCondMaskRunsOnFilteredTargetsIncludingSelf(String model) {
        record CondCase(long mask, int excluded, long expected) {}
        List<CondCase> cases = List.of(
                new CondCase(bit(0) | bit(1) | bit(3), 3, bit(0) | bit(1)),   // cond filters a remote CPU
                new CondCase(bit(0) | bit(1) | bit(3), 0, bit(1) | bit(3)),   // cond filters this CPU
                new CondCase(bit(1) | bit(2), -1, bit(1) | bit(2)),           // this CPU not in the mask
                new CondCase(bit(0), -1, bit(0)));                              // only this CPU
        for (CondCase cc : cases) {
            for (boolean wait : new boolean[] {true, false}) {
                for (long seed = 0; seed < 60; seed++) {
                    Rig rig = rig(model, 4, seed);
                    Machine m = rig.m();
                    Cpumask mask = rig.mask("mask", cc.mask());
                    List<Call> calls = new ArrayList<>();
                    SmpCallFunc f = rig.recording("cond_func", calls);
                    List<Object> condInfo = new ArrayList<>();
                    SmpCondFunc cond = (cpu, info) -> {
                        condInfo.add(info);
                        return cpu != cc.excluded();
                    };
                    int[] ranAtReturn = {-1};
                    m.createTask(TaskSpec.normal("T0", 0, () -> {
                        rig.k().onEachCpuCondMask(cond, f, "ci", wait, mask);
                        ranAtReturn[0] = calls.size();
                    }).pinned());
                    RunResult r = m.run();
                    String what = model + " " + cc + " wait=" + wait + " seed " + seed;
                    assertClean(r, what);
                    assertRanOnceOn(cc.expected(), calls, what);
                    if (wait) assertEquals(Long.bitCount(cc.expected()), ranAtReturn[0], what + ": returned early");
                    for (Call c : calls) {
                        assertTrue(c.irqsOff(), what + ": " + c);
                        assertEquals(c.cpu() == 0, c.inTask(), what + ": local in task context (irqs off), remote in the IPI: " + c);
                        assertEquals("ci", c.info(), what);
                    }
                    assertTrue(!condInfo.isEmpty() && condInfo.stream().allMatch("ci"::equals), what + ": " + condInfo);
                }
            }
        }
    }

    @ParameterizedTest
    @MethodSource("models")
    void onEachCpuRunsOnEveryOnlineCpu(String model) {
        for (long seed = 0; seed < 100; seed++) {
            Rig rig = rig(model, 4, seed);
            Machine m = rig.m();
            List<Call> calls = new ArrayList<>();
            SmpCallFunc f = rig.recording("each_func", calls);
            int[] ranAtReturn = {-1};
            m.createTask(TaskSpec.normal("T0", 1, () -> {
                m.hotplug().cpuDown(2);
                rig.k().onEachCpu(f, null, true);
                ranAtReturn[0] = calls.size();
            }).pinned());
            RunResult r = m.run();
            String what = model + " seed " + seed;
            assertClean(r, what);
            assertRanOnceOn(bit(0) | bit(1) | bit(3), calls, what);
            assertEquals(3, ranAtReturn[0], what);
        }
    }

    @ParameterizedTest
    @MethodSource("models")
    void smpCallFunctionRunsOnAllOtherOnlineCpus(String model) {
        for (long seed = 0; seed < SEEDS; seed++) {
            Rig rig = rig(model, 4, seed);
            Machine m = rig.m();
            List<Call> before = new ArrayList<>();
            List<Call> after = new ArrayList<>();
            SmpCallFunc f1 = rig.recording("all_before", before);
            SmpCallFunc f2 = rig.recording("all_after", after);
            int[] ranAtReturn = {-1, -1};
            m.createTask(TaskSpec.normal("T0", 0, () -> {
                rig.k().smpCallFunction(f1, null, true);
                ranAtReturn[0] = before.size();
                m.hotplug().cpuDown(2);
                rig.k().smpCallFunction(f2, null, true);
                ranAtReturn[1] = after.size();
            }).pinned());
            RunResult r = m.run();
            String what = model + " seed " + seed;
            assertClean(r, what);
            assertRanOnceOn(bit(1) | bit(2) | bit(3), before, what + " (all online)");
            assertRanOnceOn(bit(1) | bit(3), after, what + " (CPU2 offline)");
            assertEquals(3, ranAtReturn[0], what);
            assertEquals(2, ranAtReturn[1], what);
            for (Call c : before) assertTrue(c.irqsOff() && !c.inTask(), what + ": " + c);
            for (Call c : after) assertTrue(c.irqsOff() && !c.inTask(), what + ": " + c);
        }
    }
}
