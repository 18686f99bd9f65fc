package smpcall.kernel;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static smpcall.kernel.KernelTestSupport.describe;
import static smpcall.kernel.KernelTestSupport.events;
import static smpcall.kernel.KernelTestSupport.funcField;
import static smpcall.kernel.KernelTestSupport.intField;
import static smpcall.kernel.KernelTestSupport.queuesTo;
import static smpcall.kernel.KernelTestSupport.rig;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import smpcall.kernel.KernelTestSupport.Call;
import smpcall.kernel.KernelTestSupport.Rig;
import smpcall.machine.Cell;
import smpcall.machine.Chooser;
import smpcall.machine.Hotplug;
import smpcall.machine.Machine;
import smpcall.machine.Moves;
import smpcall.machine.RandomChooser;
import smpcall.machine.RunResult;
import smpcall.machine.Task;
import smpcall.machine.TaskSpec;
import smpcall.machine.TraceEvent;
import smpcall.run.Driver;
import smpcall.run.Scenario;
import smpcall.run.Scenarios;
import smpcall.run.Models;

/** CPU hotplug with the smp.c callbacks: cpu_down, cpu_up, and work queued to a dying CPU. */
class HotplugTest {
    private static final Pattern CPUHP_ENTER = Pattern.compile("cpu: (\\d+) target:\\s+(\\d+) step:\\s+(\\d+) \\((\\w+)\\)");

    static List<String> models() { return Models.names(); }

    /** A cpuhp_enter event: the CPU, the target state, the step and the callback's name. */
    private record Enter(int cpu, int target, int step, String callback) {}

    private static List<Enter> cpuhpEnters(RunResult r) {
        List<Enter> out = new ArrayList<>();
        for (TraceEvent e : events(r, "cpuhp_enter")) {
            Matcher mt = CPUHP_ENTER.matcher(e.fields());
            assertTrue(mt.find(), "cpuhp_enter fields: " + e.fields());
            out.add(new Enter(Integer.parseInt(mt.group(1)), Integer.parseInt(mt.group(2)), Integer.parseInt(mt.group(3)), mt.group(4)));
        }
        return out;
    }

    /** The positions of {@code names} in {@code enters}, in order, each after the previous one; fails if one is missing. */
    private static void assertInOrder(List<Enter> enters, List<String> names, String what) {
        int from = 0;
        for (String name : names) {
            int at = -1;
            for (int i = from; i < enters.size(); i++) {
                if (enters.get(i).callback().equals(name)) {
                    at = i;
                    break;
                }
            }
            assertTrue(at >= 0, what + ": no cpuhp_enter for " + name + " after position " + from + " in " + enters);
            from = at + 1;
        }
    }

    @ParameterizedTest
    @MethodSource("models")
    void cpuDownRunsTheTeardownInOrderAndMigratesTasks(String model) {
        for (long seed = 0; seed < 200; seed++) {
            Rig rig = rig(model, 3, seed);
            Machine m = rig.m();
            Cell done = m.cell(m.staticData("done"), "done", 0);
            int[] ret = {Integer.MIN_VALUE};
            int[] ranOn = {-1};
            // RT, so that W spinning on CPU0 after its migration cannot keep it off its CPU.
            m.createTask(TaskSpec.normal("ctl", 0, () -> {
                ret[0] = m.hotplug().cpuDown(2);
                done.set(1);
            }).pinned().fifo(50));
            // A task on CPU2 that is still there (running or queued) when CPU2 dies.
            Task w = m.createTask(TaskSpec.normal("W", 2, () -> {
                done.condLoadAcquire(v -> v == 1);
                ranOn[0] = m.rawSmpProcessorId();
            }));
            RunResult r = m.run();
            String what = model + " seed " + seed;
            assertEquals(RunResult.End.COMPLETED, r.end(), what + ": " + describe(r));
            assertTrue(r.findings().isEmpty(), what + ": " + describe(r));
            assertEquals(0, ret[0], what);
            assertFalse(m.cpu(2).online(), what + ": CPU2 is still online");
            assertEquals(0, m.cpuOnlineMask().peek() >>> 2 & 1, what + ": CPU2 still in cpu_online_mask");

            List<Enter> enters = cpuhpEnters(r);
            for (Enter e : enters) {
                assertEquals(2, e.cpu(), what + ": " + e);
                assertEquals(Hotplug.CPUHP_OFFLINE, e.target(), what + ": " + e);
            }
            assertInOrder(enters, List.of("sched_cpu_deactivate", "takedown_cpu", "smpcfd_dying_cpu", "sched_cpu_dying", "smpcfd_dead_cpu"), what);
            assertEquals(1, enters.stream().filter(e -> e.callback().equals("smpcfd_dying_cpu")).count(), what);
            assertEquals(1, enters.stream().filter(e -> e.callback().equals("smpcfd_dead_cpu")).count(), what);
            // The dying callbacks run on the dying CPU, the dead ones on the control CPU.
            for (TraceEvent e : events(r, "cpuhp_enter")) {
                if (e.fields().contains("(smpcfd_dying_cpu)")) assertEquals(2, e.cpu(), what + ": " + e);
                if (e.fields().contains("(smpcfd_dead_cpu)")) assertEquals(0, e.cpu(), what + ": " + e);
            }

            boolean migrated = false;
            for (TraceEvent e : events(r, "sched_migrate_task")) {
                if (e.fields().startsWith("comm=W ") && intField(e, "orig_cpu") == 2) {
                    migrated = true;
                    assertNotEquals(2, intField(e, "dest_cpu"), what + ": " + e);
                }
            }
            assertTrue(migrated, what + ": W was never migrated off CPU2");
            assertNotEquals(2, ranOn[0], what + ": W ran on CPU2 after it went down");
            assertNotEquals(2, w.cpu(), what);
        }
    }

    /**
     * The hotplug-target scenario (on_each_cpu_cond_mask(wait) to CPUs 1-2 while CPU2 goes
     * down): no finding, every queued callback runs on its target CPU, CPU1 (always online)
     * runs it exactly once, CPU2 at most once. T0 may migrate, so it may run the callback
     * itself (SCF_RUN_LOCAL, no CSD) on CPU1 or CPU2, never on CPU0 (not in the mask). Across
     * seeds, CPU2 is sometimes offline already when the call picks its targets. In the
     * series (the wait is preemptible, so stop_machine can start while CSDs are queued) CPU2
     * sometimes runs its CSD from its dying flush (in the stopper, not from an IPI); in
     * mainline never: the caller stays pinned until every target ran, which keeps its CPU's
     * stopper, and so stop_machine, from getting past PREPARE.
     */
    @ParameterizedTest
    @MethodSource("models")
    void workQueuedToADyingCpuRunsBeforeItGoes(String model) {
        Scenario s = Scenarios.get("hotplug-target");
        String noCsd = "csd=" + "0".repeat(16);
        int flushedWhileDying = 0, skippedOffline = 0;
        for (long run = 0; run < 800; run++) {
            // Half the runs uniformly random, half with interrupts held back (which makes a
            // CSD still queued when the stoppers disable irqs far more likely).
            long seed = run / 2;
            boolean shy = run % 2 == 1;
            RunResult r = Driver.run(model, s, s.config(), shy ? new IrqShyChooser(seed) : new RandomChooser(seed), true, false);
            String what = model + " seed " + seed + (shy ? " (irq-shy)" : "");
            assertEquals(RunResult.End.COMPLETED, r.end(), what + ": " + describe(r));
            assertTrue(r.findings().isEmpty(), what + ": " + describe(r));
            List<TraceEvent> entries = events(r, "csd_function_entry");
            for (TraceEvent e : entries) assertEquals("do_work", funcField(e), what);
            int[] runsOn = new int[3];
            for (int cpu = 0; cpu < 3; cpu++) {
                int c = cpu;
                long remote = entries.stream().filter(e -> e.cpu() == c && !e.fields().endsWith(noCsd)).count();
                long local = entries.stream().filter(e -> e.cpu() == c && e.fields().endsWith(noCsd)).count();
                assertEquals(queuesTo(r, cpu), remote, what + ": CSDs queued to CPU" + cpu + " vs run there");
                assertTrue(local <= 1, what);
                for (TraceEvent e : entries)
                    if (e.cpu() == c && e.fields().endsWith(noCsd)) assertEquals("T0", e.comm(), what + ": local run not in T0: " + e);
                runsOn[cpu] = (int) (remote + local);
            }
            assertEquals(0, runsOn[0], what + ": CPU0 is not in the mask");
            assertEquals(1, runsOn[1], what + ": CPU1 is always online");
            assertTrue(runsOn[2] <= 1, what);
            assertEquals(events(r, "csd_queue_cpu").size(), queuesTo(r, 1) + queuesTo(r, 2), what);
            if (runsOn[2] == 0) skippedOffline++;
            for (TraceEvent e : entries) if (e.cpu() == 2 && !e.hardirq() && e.comm().equals("migration/2")) flushedWhileDying++;
        }
        if (model.equals("mainline"))
            assertEquals(0, flushedWhileDying, model + ": a CSD of a pinned caller reached the dying flush");
        else
            assertTrue(flushedWhileDying > 0, model + ": no seed ran the CSD from CPU2's dying flush");
        assertTrue(skippedOffline > 0, model + ": no seed had CPU2 offline before the call");
    }

    /** Random, but a pending interrupt is taken only one time in ten when anything else can move. */
    static final class IrqShyChooser implements Chooser {
        private final SplittableRandom random;

        IrqShyChooser(long seed) { this.random = new SplittableRandom(seed); }

        @Override
        public int choose(Moves moves) {
            int others = 0;
            for (int i = 0; i < moves.size(); i++) if (Moves.kind(moves.get(i)) != Moves.Kind.IRQ) others++;
            if (others == 0 || others == moves.size() || random.nextInt(10) == 0) return random.nextInt(moves.size());
            int pick = random.nextInt(others);
            for (int i = 0; i < moves.size(); i++)
                if (Moves.kind(moves.get(i)) != Moves.Kind.IRQ && pick-- == 0) return i;
            throw new AssertionError();
        }
    }

    @ParameterizedTest
    @MethodSource("models")
    void cpuUpBringsTheCpuBackAndPreparesIt(String model) {
        for (long seed = 0; seed < 150; seed++) {
            Rig rig = rig(model, 3, seed);
            Machine m = rig.m();
            List<Call> calls = new ArrayList<>();
            SmpCallFunc f = rig.recording("after_up", calls);
            int[] ret = {Integer.MIN_VALUE, Integer.MIN_VALUE, Integer.MIN_VALUE, Integer.MIN_VALUE};
            boolean[] offlineBetween = {false};
            m.createTask(TaskSpec.normal("ctl", 0, () -> {
                ret[0] = m.hotplug().cpuDown(2);
                offlineBetween[0] = !m.cpu(2).online();
                ret[1] = m.hotplug().cpuUp(2);
                ret[2] = rig.k().smpCallFunctionSingle(2, f, null, true);
                ret[3] = rig.k().smpCallFunctionSingle(2, f, null, false);
            }).pinned());
            RunResult r = m.run();
            String what = model + " seed " + seed;
            assertEquals(RunResult.End.COMPLETED, r.end(), what + ": " + describe(r));
            assertTrue(r.findings().isEmpty(), what + ": " + describe(r));
            assertEquals(0, ret[0], what + ": cpu_down");
            assertTrue(offlineBetween[0], what);
            assertEquals(0, ret[1], what + ": cpu_up");
            assertTrue(m.cpu(2).online(), what + ": CPU2 not back online");
            assertEquals(1, m.cpuOnlineMask().peek() >>> 2 & 1, what);

            List<Enter> enters = cpuhpEnters(r);
            assertInOrder(enters, List.of("smpcfd_dying_cpu", "smpcfd_dead_cpu", "smpcfd_prepare_cpu", "bringup_cpu"), what);
            Enter prepare = enters.stream().filter(e -> e.callback().equals("smpcfd_prepare_cpu")).findFirst().orElseThrow();
            assertEquals(new Enter(2, Hotplug.CPUHP_ONLINE, Hotplug.CPUHP_SMPCFD_PREPARE, "smpcfd_prepare_cpu"), prepare, what);

            // And it takes cross-calls again.
            assertEquals(0, ret[2], what);
            assertEquals(0, ret[3], what);
            assertEquals(2, calls.size(), what + ": " + calls);
            for (Call c : calls) assertTrue(c.cpu() == 2 && c.irqsOff() && !c.inTask(), what + ": " + c);
        }
    }

    @ParameterizedTest
    @MethodSource("models")
    void offliningTheLastOnlineCpuIsEbusy(String model) {
        for (long seed = 0; seed < 50; seed++) {
            Rig rig = rig(model, 2, seed);
            Machine m = rig.m();
            int[] ret = {Integer.MIN_VALUE, Integer.MIN_VALUE, Integer.MIN_VALUE};
            m.createTask(TaskSpec.normal("ctl", 0, () -> {
                ret[0] = m.hotplug().cpuDown(1);
                ret[1] = m.hotplug().cpuDown(0);     // the last one
                ret[2] = m.hotplug().cpuDown(1);     // not online
            }));
            RunResult r = m.run();
            String what = model + " seed " + seed;
            assertEquals(RunResult.End.COMPLETED, r.end(), what + ": " + describe(r));
            assertTrue(r.findings().isEmpty(), what + ": " + describe(r));
            assertEquals(0, ret[0], what);
            assertEquals(-Hotplug.EBUSY, ret[1], what);
            assertEquals(-16, ret[1], what);
            assertEquals(-Hotplug.EINVAL, ret[2], what);
            assertTrue(m.cpu(0).online(), what);
            assertFalse(m.cpu(1).online(), what);
        }
    }
}
