package smpcall.lab;

import smpcall.machine.Costs;

/**
 * The latency lab's workload and measurement settings; every field is a command-line flag.
 *
 * @param cpus             number of CPUs (CPU0 runs the caller)
 * @param durationNs       virtual time to simulate
 * @param intervalNs       period of the cyclictest-like measuring task on each CPU
 * @param windowNs         window for the longest preemption-disabled section
 * @param seed             seed of the workload's random draws and of ties between CPUs
 * @param thinkNs          the caller's work between two cross-calls
 * @param irqoffGapNs      mean time between two irq-disabled windows on a remote CPU
 * @param irqoffShortNs    mean length of a short irq-disabled window (exponential)
 * @param irqoffLongNs     scale of a long window (Pareto, shape 1.5, capped at 20x)
 * @param irqoffLongPermille how many windows in a thousand are long
 * @param costs            the cost model
 */
public record LabConfig(int cpus, long durationNs, long intervalNs, long windowNs, long seed, long thinkNs,
                        long irqoffGapNs, long irqoffShortNs, long irqoffLongNs, int irqoffLongPermille, Costs costs) {

    public static LabConfig defaults() {
        return new LabConfig(16, 10_000_000_000L, 1_000_000L, 1_000_000_000L, 1, 100_000L,
                200_000L, 5_000L, 1_000_000L, 1, Costs.DEFAULT);
    }
}
