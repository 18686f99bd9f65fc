package smpcall.machine;

/**
 * A CPU's context from {@code timestampNs} on, recorded where it changed (not printed by
 * ftrace; the pictures draw preempt-off, irqs-off and hardirq spans from it).
 *
 * @param timestampNs virtual time of the CPU
 * @param cpu         the CPU
 * @param before      how many trace events had been recorded when it changed (orders it among them)
 * @param preemptOff  the current (non-idle) task has a non-zero preempt count
 * @param irqsOff     the CPU has irqs disabled
 * @param hardirq     the CPU runs an interrupt handler
 */
public record ContextChange(long timestampNs, int cpu, int before, boolean preemptOff, boolean irqsOff,
                            boolean hardirq) {
}
