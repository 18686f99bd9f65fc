package smpcall.machine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/**
 * The machine offers a preemption point wherever the C could be preempted and the outcome
 * can differ: between "read which CPU I am on" and "pin myself" a task can be preempted and
 * migrated, so the CPU it read and the CPU it pinned differ in some run.
 */
class PreemptionPointTest {

    /** How many of {@code seeds} random runs saw a task pin itself on another CPU than it had read. */
    private static int staleReads(Config config, int seeds, boolean irqSave) {
        int stale = 0;
        for (long seed = 0; seed < seeds; seed++) {
            Machine m = new Machine(config, new RandomChooser(seed), Clock.Mode.GLOBAL, false);
            Cell x = m.cell(m.staticData("x"), "x", 0);
            int[] seen = {-1, -1};
            m.createTask(TaskSpec.normal("T", 0, () -> {
                x.set(1);
                int read = m.rawSmpProcessorId();
                if (irqSave) {
                    boolean flags = m.localIrqSave();
                    seen[1] = m.current().cpu();
                    m.localIrqRestore(flags);
                } else {
                    int pinned = m.getCpu();
                    seen[1] = pinned;
                    m.putCpu();
                }
                seen[0] = read;
            }));
            m.createTask(TaskSpec.normal("U", 0, () -> x.set(2)));
            RunResult r = m.run();
            assertEquals(RunResult.End.COMPLETED, r.end(), "seed " + seed);
            if (seen[0] != seen[1]) stale++;
        }
        return stale;
    }

    @Test
    void aTaskCanBeMovedBetweenReadingItsCpuAndGetCpu() {
        assertTrue(staleReads(Config.defaults(2), 400, false) > 0);
    }

    @Test
    void aTaskCanBeMovedBetweenReadingItsCpuAndLocalIrqSave() {
        assertTrue(staleReads(Config.defaults(2), 400, true) > 0);
    }

    @Test
    void withoutConfigPreemptionItCannot() {
        assertEquals(0, staleReads(Config.defaults(2).withPreemption(false), 400, false));
    }

    /** A point is offered only where the task did something since its last one: two pins in a row give one. */
    @Test
    void backToBackPinsOfferOnePoint() {
        Machine m = new Machine(Config.defaults(1), new RandomChooser(1), Clock.Mode.GLOBAL, false);
        long[] points = new long[3];
        m.createTask(TaskSpec.normal("T", 0, () -> {
            m.preemptDisable();
            m.preemptEnable();
            points[0] = m.exec.points;
            m.preemptDisable();      // nothing happened since the last point (none offered at all yet)
            m.preemptEnable();
            points[1] = m.exec.points;
            m.rawSmpProcessorId();   // a value returned to the task: the next pin is a new place
            m.preemptDisable();
            m.preemptEnable();
            points[2] = m.exec.points;
        }));
        RunResult r = m.run();
        assertEquals(RunResult.End.COMPLETED, r.end());
        assertEquals(points[0], points[1]);
        assertEquals(points[1] + 1, points[2], "one point before the pin after the CPU read");
    }
}
