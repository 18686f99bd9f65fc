package smpcall.lab;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.LinkedHashMap;
import java.util.Map;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import smpcall.machine.VirtualThreads;

class LatencyLabTest {
    /** 6 CPUs, 300 ms, long irq-off windows often enough to show in that time. */
    static final LabConfig SMALL = new LabConfig(6, 300_000_000L, 1_000_000L, 100_000_000L, 7, 100_000L,
            200_000L, 5_000L, 1_000_000L, 20, smpcall.machine.Costs.DEFAULT);

    static final Map<String, LabResult> RESULTS = new LinkedHashMap<>();
    static final LabModel MAINLINE = LabModel.DEFAULTS.get(0), SERIES_V9 = LabModel.DEFAULTS.get(1),
            SERIES_V9_CSDLOCK_DEBUG = LabModel.DEFAULTS.get(2);

    @BeforeAll
    static void runAll() {
        for (LabModel v : LabModel.DEFAULTS)
            RESULTS.put(v.label(), VirtualThreads.call(() -> LatencyLab.run(SMALL, v)));
    }

    private static LabResult result(LabModel v) { return RESULTS.get(v.label()); }

    private static long cpu0Max(LabModel v) { return result(v).wakeupNs()[0].getMaxValue(); }

    @Test
    void everyCpuRecordsOneWakeupPerPeriod() {
        for (LabResult r : RESULTS.values())
            for (var h : r.wakeupNs()) assertEquals(299, h.getTotalCount(), r.model());
    }

    @Test
    void seriesV9CutsCpu0WakeupLatencyAndCsdlockDebugGivesItBack() {
        long mainline = cpu0Max(MAINLINE);
        long series = cpu0Max(SERIES_V9);
        long debug = cpu0Max(SERIES_V9_CSDLOCK_DEBUG);
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
        long mainline = max(result(MAINLINE).preemptOffMaxNs());
        long series = max(result(SERIES_V9).preemptOffMaxNs());
        assertEquals(3, result(MAINLINE).preemptOffMaxNs().length);
        assertTrue(series * 20 < mainline, series + " vs " + mainline);
    }

    @Test
    void theShippedModelsRunCleanAndTheWorkloadIsCheckedAsItRuns() {
        for (LabResult r : RESULTS.values()) assertTrue(r.clean(), () -> r.model() + ": " + r.end() + " " + r.findings());
        if (!smpcall.run.Models.exists("lab-no-wait"))
            smpcall.run.Models.register("lab-no-wait", () -> new smpcall.kernel.SeriesV9() {
                @Override public String name() { return "lab-no-wait"; }
                @Override protected void csdLockWait(smpcall.kernel.Csd csd) {}     // a waiting call does not wait
            });
        LabResult broken = VirtualThreads.call(() -> LatencyLab.run(SMALL, new LabModel("lab-no-wait", "lab-no-wait", false)));
        assertFalse(broken.clean(), "a model that breaks P1 under the workload is reported, not measured as if clean");
        assertTrue(broken.findings().stream().anyMatch(f -> f.property() == smpcall.kernel.Property.P1), broken.findings()::toString);
    }

    @Test
    void theSameSeedGivesTheSameNumbers() {
        LabResult again = VirtualThreads.call(() -> LatencyLab.run(SMALL, MAINLINE));
        LabResult first = result(MAINLINE);
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
