package smpcall.lab;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.EnumMap;
import java.util.Map;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import smpcall.machine.VirtualThreads;

class LatencyLabTest {
    /** 6 CPUs, 300 ms, long irq-off windows often enough to show in that time. */
    static final LabConfig SMALL = new LabConfig(6, 300_000_000L, 1_000_000L, 100_000_000L, 7, 100_000L,
            200_000L, 5_000L, 1_000_000L, 20, smpcall.machine.Costs.DEFAULT);

    static final Map<LatencyLab.Variant, LabResult> RESULTS = new EnumMap<>(LatencyLab.Variant.class);

    @BeforeAll
    static void runAll() {
        for (LatencyLab.Variant v : LatencyLab.Variant.values())
            RESULTS.put(v, VirtualThreads.call(() -> LatencyLab.run(SMALL, v)));
    }

    private static long cpu0Max(LatencyLab.Variant v) { return RESULTS.get(v).wakeupNs()[0].getMaxValue(); }

    @Test
    void everyCpuRecordsOneWakeupPerPeriod() {
        for (LabResult r : RESULTS.values())
            for (var h : r.wakeupNs()) assertEquals(299, h.getTotalCount(), r.model());
    }

    @Test
    void seriesV9CutsCpu0WakeupLatencyAndCsdlockDebugGivesItBack() {
        long mainline = cpu0Max(LatencyLab.Variant.MAINLINE);
        long series = cpu0Max(LatencyLab.Variant.SERIES_V9);
        long debug = cpu0Max(LatencyLab.Variant.SERIES_V9_CSDLOCK_DEBUG);
        assertTrue(mainline > 500_000, "mainline's worst CPU0 wakeup should reach the long irq-off windows: " + mainline);
        assertTrue(series * 20 < mainline, "series-v9 " + series + " vs mainline " + mainline);
        assertTrue(debug * 2 > mainline, "csdlock_debug " + debug + " vs mainline " + mainline);
    }

    @Test
    void remoteCpusSeeTheirOwnIrqOffWindowsUnderEveryModel() {
        for (LabResult r : RESULTS.values()) assertTrue(r.wakeupNs()[1].getMaxValue() > 500_000, r.model());
    }

    @Test
    void preemptOffWindowsOnCpu0AreLongOnlyWhereTheWaitIsPinned() {
        long mainline = max(RESULTS.get(LatencyLab.Variant.MAINLINE).preemptOffMaxNs());
        long series = max(RESULTS.get(LatencyLab.Variant.SERIES_V9).preemptOffMaxNs());
        assertEquals(3, RESULTS.get(LatencyLab.Variant.MAINLINE).preemptOffMaxNs().length);
        assertTrue(series * 20 < mainline, series + " vs " + mainline);
    }

    @Test
    void theSameSeedGivesTheSameNumbers() {
        LabResult again = VirtualThreads.call(() -> LatencyLab.run(SMALL, LatencyLab.Variant.MAINLINE));
        LabResult first = RESULTS.get(LatencyLab.Variant.MAINLINE);
        assertEquals(first.steps(), again.steps());
        assertEquals(first.calls(), again.calls());
        assertArrayEquals(first.preemptOffMaxNs(), again.preemptOffMaxNs());
        for (int cpu = 0; cpu < SMALL.cpus(); cpu++) assertEquals(first.wakeupNs()[cpu], again.wakeupNs()[cpu]);
    }

    private static long max(long[] a) {
        long m = 0;
        for (long x : a) m = Math.max(m, x);
        return m;
    }
}
