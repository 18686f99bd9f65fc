package smpcall.machine;

/**
 * One line of the machine's trace buffer, as ftrace records it: who ran (comm, pid),
 * where ([cpu]), in what context (the latency flags), when, and the event with its
 * already formatted fields ({@code "cpu=2 callsite=... callback=..."}).
 *
 * @param timestampNs virtual time of the CPU that recorded the event, in nanoseconds
 * @param cpu         the CPU whose buffer holds the event
 * @param comm        the current task's comm ({@code <idle>} for the idle task, as ftrace prints swapper)
 * @param pid         the current task's pid (0 for the idle tasks)
 * @param irqsOff     irqs were disabled ('d')
 * @param needResched need_resched was set ('N')
 * @param hardirq     running in hardirq context ('h')
 * @param preemptDepth the preempt count (0..15, printed as a hex digit, '.' when 0)
 * @param name        the event name, for example {@code csd_queue_cpu}
 * @param fields      the event's fields as its TP_printk prints them
 */
public record TraceEvent(long timestampNs, int cpu, String comm, int pid,
                         boolean irqsOff, boolean needResched, boolean hardirq, int preemptDepth,
                         String name, String fields) {
}
