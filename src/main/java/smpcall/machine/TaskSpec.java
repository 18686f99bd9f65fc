package smpcall.machine;

/**
 * How to create a task: comm, CPU, class and priority, affinity, whether it is the boot
 * task (which never went through fork), whether it starts asleep, whether it may migrate
 * at will (else only when pushed off a dying CPU), its code, and its own exploration
 * budgets (preemptions at will, migrations; negative: the configuration's).
 */
public record TaskSpec(String comm, int cpu, Task.SchedClass cls, int prio, long allowed,
                       boolean boot, boolean sleeping, boolean stays, Runnable body,
                       int maxPreemptions, int maxMigrations) {

    /** With the configuration's budgets. */
    public TaskSpec(String comm, int cpu, Task.SchedClass cls, int prio, long allowed,
                    boolean boot, boolean sleeping, boolean stays, Runnable body) {
        this(comm, cpu, cls, prio, allowed, boot, sleeping, stays, body, -1, -1);
    }

    /** A SCHED_NORMAL task at nice 0 (prio 120) that may run on every CPU. */
    public static TaskSpec normal(String comm, int cpu, Runnable body) {
        return new TaskSpec(comm, cpu, Task.SchedClass.FAIR, 120, -1L, false, false, false, body);
    }

    /** SCHED_FIFO at user priority {@code rtprio} (1..99); the kernel prio is 99 - rtprio. */
    public TaskSpec fifo(int rtprio) {
        return new TaskSpec(comm, cpu, Task.SchedClass.RT, 99 - rtprio, allowed, boot, sleeping, stays, body, maxPreemptions, maxMigrations);
    }

    public TaskSpec allowed(long mask) {
        return new TaskSpec(comm, cpu, cls, prio, mask, boot, sleeping, stays, body, maxPreemptions, maxMigrations);
    }

    public TaskSpec pinned() { return allowed(1L << cpu); }

    public TaskSpec bootTask() {
        return new TaskSpec(comm, cpu, cls, prio, allowed, true, sleeping, stays, body, maxPreemptions, maxMigrations);
    }

    /** Starts asleep; a timer ({@link Machine#armWakeTimer}) or another task wakes it. */
    public TaskSpec asleep() {
        return new TaskSpec(comm, cpu, cls, prio, allowed, boot, true, stays, body, maxPreemptions, maxMigrations);
    }

    /** Never migrates at will: it moves only when pushed off a dying CPU. */
    public TaskSpec withoutMigration() {
        return new TaskSpec(comm, cpu, cls, prio, allowed, boot, sleeping, true, body, maxPreemptions, maxMigrations);
    }

    /**
     * This task's own budgets: how often exploration may preempt it at will and migrate it
     * (negative: {@link Config#maxPreemptions()} / {@link Config#maxMigrations()}).
     */
    public TaskSpec withBudgets(int preemptions, int migrations) {
        return new TaskSpec(comm, cpu, cls, prio, allowed, boot, sleeping, stays, body, preemptions, migrations);
    }
}
