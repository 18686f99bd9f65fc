package smpcall.kernel;

import java.util.List;

/**
 * The six reasons the seed's commit message gives for why enabling preemption before the
 * wait is safe, each with the mutant that drops it, the scenario that shows it and the
 * property that then breaks.
 */
public final class Reasons {
    private Reasons() {}

    /** One reason: its number in the commit message, our summary, and how to show it necessary. */
    public record Reason(int number, String summary, String mutant, String scenario, Property property) {}

    public static final List<Reason> ALL = List.of(
            new Reason(1, "the pinned dispatch protects the per-CPU scratch mask cfd->cpumask_ipi",
                    "v9-put-before-dispatch", "preempt-waiter", Property.P8),
            new Reason(2, "pinning until the IPIs are sent keeps CPU offline out of the queueing",
                    "v9-put-before-queue", "hotplug-target", Property.P3),
            new Reason(3, "csd_lock()'s plain store needs the caller pinned: one taker per per-CPU CSD",
                    "v9-put-before-queue", "same-cpu-callers", Property.P4),
            new Reason(4, "a task reusing a CSD still in flight blocks in csd_lock() until it is unlocked",
                    "v9-lock-nowait", "preempt-waiter", Property.P4),
            new Reason(5, "the wait mask is task-local, so no other task on the CPU rewrites it",
                    "v9-percpu-waitmask", "preempt-waiter", Property.P9),
            new Reason(6, "the per-CPU CSD storage stays allocated across CPU offline",
                    "v9-free-csd-on-dead", "migrate-offline", Property.P5));
}
