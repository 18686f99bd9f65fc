package smpcall.machine;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import smpcall.lab.LabConfig;
import smpcall.lab.LabResult;
import smpcall.lab.LabModel;
import smpcall.lab.LatencyLab;

/**
 * Time-ordered runs keep each CPU's moves until something marks the CPU dirty. With
 * {@link Enabled#verify} on, every step compares that with a full look at every CPU and
 * fails on the first difference; the lab's workload exercises IPIs, wakeups, timers and
 * spins on every CPU.
 */
class IncrementalMovesTest {
    static java.util.List<LabModel> models() { return LabModel.DEFAULTS; }

    @AfterEach
    void off() { Enabled.verify = false; }

    @ParameterizedTest
    @MethodSource("models")
    void keptMovesAlwaysEqualAFullLook(LabModel v) {
        LabConfig c = new LabConfig(5, 60_000_000L, 1_000_000L, 20_000_000L, 3, 50_000L,
                100_000L, 5_000L, 500_000L, 50, Costs.DEFAULT);
        Enabled.verify = true;
        LabResult checked = VirtualThreads.call(() -> LatencyLab.run(c, v));
        Enabled.verify = false;
        LabResult plain = VirtualThreads.call(() -> LatencyLab.run(c, v));
        assertEquals(plain.steps(), checked.steps());
        assertEquals(plain.wakeupNs()[0], checked.wakeupNs()[0]);
    }
}
