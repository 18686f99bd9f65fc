package smpcall.machine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;

import org.junit.jupiter.api.Test;

class MachineTest {

    private static Machine machine(int cpus, long seed) {
        return new Machine(Config.defaults(cpus), new RandomChooser(seed), Clock.Mode.GLOBAL, true);
    }

    @Test
    void twoTasksIncrementAtomicallyAndFinish() {
        for (long seed = 0; seed < 50; seed++) {
            Machine m = machine(2, seed);
            Storage s = m.staticData("counter");
            Cell counter = m.cell(s, "counter", 0);
            for (int i = 0; i < 2; i++) {
                m.createTask(TaskSpec.normal("T" + i, i, () -> {
                    for (int k = 0; k < 10; k++) counter.fetchAdd(1);
                }));
            }
            RunResult r = m.run();
            assertEquals(RunResult.End.COMPLETED, r.end(), "seed " + seed);
            assertEquals(20, counter.peek());
            assertTrue(r.findings().isEmpty(), r.findings().toString());
        }
    }

    @Test
    void ipiRunsHandlerOnTargetWithIrqsOff() {
        Machine m = machine(2, 7);
        Cell seen = m.cell(m.staticData("x"), "seen", -1);
        boolean[] irqsOff = new boolean[1];
        m.requestIrq(Vector.CALL_FUNCTION_SINGLE, () -> {
            irqsOff[0] = m.irqsDisabled() && !m.inTask();
            seen.set(m.rawSmpProcessorId());
        });
        m.createTask(TaskSpec.normal("sender", 0, () -> {
            m.sendIpi(1, Vector.CALL_FUNCTION_SINGLE);
            seen.condLoadAcquire(v -> v == 1);
        }));
        RunResult r = m.run();
        assertEquals(RunResult.End.COMPLETED, r.end());
        assertEquals(1, seen.peek());
        assertTrue(irqsOff[0]);
    }

    @Test
    void spinningWithIrqsOffOnBothCpusIsAHang() {
        Machine m = machine(2, 1);
        Cell flag = m.cell(m.staticData("x"), "flag", 0);
        m.requestIrq(Vector.CALL_FUNCTION_SINGLE, () -> flag.set(1));
        for (int i = 0; i < 2; i++) {
            int other = 1 - i;
            m.createTask(TaskSpec.normal("T" + i, i, () -> {
                m.localIrqDisable();
                m.sendIpi(other, Vector.CALL_FUNCTION_SINGLE);
                flag.condLoadAcquire(v -> v == 2);
                m.localIrqEnable();
            }).pinned());
        }
        RunResult r = m.run();
        assertEquals(RunResult.End.HANG, r.end());
        assertEquals(Check.HANG, r.findings().get(0).property());
        assertTrue(r.findings().get(0).headline().startsWith("watchdog: BUG: soft lockup - CPU#"), r.findings().get(0).headline());
    }

    @Test
    void sameSeedSameTraceAndReplayReproducesIt() {
        List<TraceEvent> first = null;
        int[] choices = null;
        for (int round = 0; round < 2; round++) {
            Machine m = machine(3, 42);
            Cell c = m.cell(m.staticData("x"), "c", 0);
            for (int i = 0; i < 3; i++) m.createTask(TaskSpec.normal("T" + i, i % 2, () -> { c.fetchAdd(1); c.fetchAdd(1); }));
            RunResult r = m.run();
            if (first == null) {
                first = r.trace();
                choices = r.moves();
            } else {
                assertEquals(first, r.trace());
            }
        }
        Machine m = new Machine(Config.defaults(3), new ReplayChooser(choices), Clock.Mode.GLOBAL, true);
        Cell c = m.cell(m.staticData("x"), "c", 0);
        for (int i = 0; i < 3; i++) m.createTask(TaskSpec.normal("T" + i, i % 2, () -> { c.fetchAdd(1); c.fetchAdd(1); }));
        assertEquals(first, m.run().trace());
    }

    @Test
    void smpProcessorIdInPreemptibleCodeIsReported() {
        Machine m = machine(2, 3);
        m.createTask(TaskSpec.normal("T0", 0, m::smpProcessorId));
        RunResult r = m.run();
        assertEquals(1, r.findings().size());
        assertEquals("BUG: using smp_processor_id() in preemptible [00000000] code: T0/100", r.findings().get(0).headline());
    }

    /**
     * A task spinning preemptibly while the task it waits for is runnable on the same CPU is
     * not a hang: the tick preempts it, whatever the exploration budget (seed 4 once
     * reported a soft lockup here). Without CONFIG_PREEMPTION nothing preempts it: a hang.
     */
    @Test
    void spinnerWaitingForSameCpuTaskIsPreemptedByTheTickButNotWithoutPreemption() {
        for (boolean preempt : new boolean[] {true, false}) {
            for (long seed = 0; seed < 200; seed++) {
                Machine m = new Machine(Config.defaults(2).withPreemption(preempt).withBudgets(0, 0),
                        new RandomChooser(seed), Clock.Mode.GLOBAL, false);
                Cell done = m.cell(m.staticData("x"), "done", 0);
                m.createTask(TaskSpec.normal("W", 0, () -> done.condLoadAcquire(v -> v == 1)).pinned());
                m.createTask(TaskSpec.normal("ctl", 0, () -> done.set(1)).pinned());
                RunResult r = m.run();
                if (preempt) {
                    assertEquals(RunResult.End.COMPLETED, r.end(), "seed " + seed);
                } else if (r.end() == RunResult.End.HANG) {
                    assertTrue(r.findings().get(0).headline().startsWith("watchdog: BUG: soft lockup - CPU#0"));
                }
            }
        }
    }
}
