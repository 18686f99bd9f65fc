package smpcall.lab;

import java.util.List;

import org.HdrHistogram.Histogram;

import smpcall.machine.Finding;
import smpcall.machine.RunResult;

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
 * @param end              how the run ended: {@code COMPLETED} unless the model hung, failed or
 *                         (a user's model) broke a property on the way
 * @param findings         what the run found (the properties stay checked in the lab)
 */
public record LabResult(String model, Histogram[] wakeupNs, long[] preemptOffMaxNs, long calls, long steps,
                        long simulatedNs, long wallNs, RunResult.End end, List<Finding> findings) {

    public LabResult {
        findings = List.copyOf(findings);
    }

    /** A run that completed with no finding. */
    public LabResult(String model, Histogram[] wakeupNs, long[] preemptOffMaxNs, long calls, long steps,
                     long simulatedNs, long wallNs) {
        this(model, wakeupNs, preemptOffMaxNs, calls, steps, simulatedNs, wallNs, RunResult.End.COMPLETED, List.of());
    }

    /** The run went to its end and found nothing: its figures are the model's. */
    public boolean clean() { return end == RunResult.End.COMPLETED && findings.isEmpty(); }
}
