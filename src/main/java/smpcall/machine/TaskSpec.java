package smpcall.machine;

/**
 * How to create a task: comm, CPU, class and priority, affinity, whether it is the boot
 * task (which never went through fork), whether it starts asleep, whether it may migrate
 * at will (else only when pushed off a dying CPU), and its code.
 */
public record TaskSpec(String comm, int cpu, Task.SchedClass cls, int prio, long allowed,
                       boolean boot, boolean sleeping, boolean stays, Runnable body) {

    /** A SCHED_NORMAL task at nice 0 (prio 120) that may run on every CPU. */
    public static TaskSpec normal(String comm, int cpu, Runnable body) {
        return new TaskSpec(comm, cpu, Task.SchedClass.FAIR, 120, -1L, false, false, false, body);
    }

    /** SCHED_FIFO at user priority {@code rtprio} (1..99); the kernel prio is 99 - rtprio. */
    public TaskSpec fifo(int rtprio) {
        return new TaskSpec(comm, cpu, Task.SchedClass.RT, 99 - rtprio, allowed, boot, sleeping, stays, body);
    }

    public TaskSpec allowed(long mask) {
        return new TaskSpec(comm, cpu, cls, prio, mask, boot, sleeping, stays, body);
    }

    public TaskSpec pinned() { return allowed(1L << cpu); }

    public TaskSpec bootTask() {
        return new TaskSpec(comm, cpu, cls, prio, allowed, true, sleeping, stays, body);
    }

    /** Starts asleep; a timer ({@link Machine#armWakeTimer}) or another task wakes it. */
    public TaskSpec asleep() {
        return new TaskSpec(comm, cpu, cls, prio, allowed, boot, true, stays, body);
    }

    /** Never migrates at will: it moves only when pushed off a dying CPU. */
    public TaskSpec withoutMigration() {
        return new TaskSpec(comm, cpu, cls, prio, allowed, boot, sleeping, true, body);
    }
}
