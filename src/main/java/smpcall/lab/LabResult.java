package smpcall.lab;

import org.HdrHistogram.Histogram;

/**
 * What one model did under the lab's workload.
 *
 * @param model            the model's label, e.g. {@code series-v9+csdlock_debug}
 * @param wakeupNs         per CPU: the measuring task's wakeup latency (timer expiry to running), ns
 * @param preemptOffMaxNs  per window: the longest section on CPU0 with preemption or irqs disabled, ns
 * @param calls            cross-calls the caller completed
 * @param steps            machine steps
 * @param simulatedNs      virtual time simulated
 * @param wallNs           wall time taken
 */
public record LabResult(String model, Histogram[] wakeupNs, long[] preemptOffMaxNs, long calls, long steps,
                        long simulatedNs, long wallNs) {
}
