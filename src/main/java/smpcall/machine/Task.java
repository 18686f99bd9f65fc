package smpcall.machine;

import java.util.IdentityHashMap;
import java.util.Map;

/** A task: comm, pid, priority, affinity, preempt count, state, task-local storage. */
public final class Task {
    /** Scheduling classes, highest first: the stopper, RT, fair, idle. */
    public enum SchedClass { STOP, RT, FAIR, IDLE }

    public enum State { RUNNING, RUNNABLE, SLEEPING, DEAD }

    final Machine m;
    final String comm;
    final int pid;
    final SchedClass cls;
    /** The kernel prio as sched tracepoints print it: 0..99 RT (lower is higher), 120 for nice 0. */
    final int prio;
    final long allowed;
    final Runnable body;
    final boolean boot;
    /** Kernel threads that wait for work forever (idle, stoppers): never a hang. */
    boolean daemon;
    /** Never migrates at will (only pushed off a dying CPU). */
    boolean stays;
    /** Position in the machine's task list, for migration moves. */
    int index;
    State state = State.RUNNABLE;
    int cpu;
    int preemptCount;
    int migrateDisable;
    int preemptions;
    /** A hash of every value the machine has returned to this task's code (see StateHash). */
    long hist;
    /**
     * The task's code has done something since its last scheduling point (an access, a value
     * returned to it): a preemption point now would not be the same as the last one.
     */
    boolean progressed;
    /** At the point cond_resched() offers without CONFIG_PREEMPTION: it may be preempted there. */
    boolean atCondResched;
    /** Whether it has run yet: only a task that ran (and was preempted) is migrated at will. */
    boolean hasRun;
    int migrations;
    /** Exploration budgets: preemptions at will and migrations this task may get. */
    int maxPreemptions, maxMigrations;
    long lastRanNs;
    /** Copied on write (it changes seldom), so that a saved state holds it as it is. */
    Map<Object, Object> locals = Map.of();

    // Hand-off between the virtual threads (see Exec): which move to run when woken. A thread
    // that is no longer the task's (a restoring search rebuilt the task on another) unwinds.
    /** The thread that runs the task's code; volatile, as a thread it no longer is checks it when it wakes. */
    volatile Thread thread;
    volatile boolean go;
    int move;
    // The access this task will make when next stepped (for enabledness, hangs, DPOR).
    Location nextLoc;
    /** A task that has not run yet starts with a scheduling step. */
    Access nextKind = Access.RESUME;
    java.util.function.BooleanSupplier nextAwait;
    /** What a task waits for before its first move (an idle task: need_resched), for a rebuild. */
    java.util.function.BooleanSupplier startAwait;
    /** An await may also end when this CPU's clock reaches the deadline (a timed spin). */
    long nextDeadline = Long.MAX_VALUE;
    /** When the task began to wait at its current point (a spin), in its CPU's time. */
    long spinSinceNs;
    /** The location of the timed spin under way, or null. */
    Location spinLoc;
    /** With an IPI as the next access: the CPUs it goes to. */
    long nextTargets;
    /** The machine-level waits of a sleeping task (a completion, a timer), for hang reports. */
    String sleepReason;

    /**
     * Not in the C: what the machine gave this task's code, in order (the moves it made,
     * the values it read, the objects it was handed, the machine's own decisions on its
     * stack), kept only for a search that restores states: running the task's code again
     * alone against this record rebuilds its continuation (Exec#rebuild).
     */
    long[] record;
    Object[] recordObjects;
    byte[] recordKinds;
    int recordLength;

    Task(Machine m, String comm, int pid, SchedClass cls, int prio, long allowed, int cpu,
         boolean boot, Runnable body) {
        this.m = m;
        this.comm = comm;
        this.pid = pid;
        this.cls = cls;
        this.prio = prio;
        this.allowed = allowed;
        this.cpu = cpu;
        this.boot = boot;
        this.body = body;
    }

    public String comm() { return comm; }
    public int pid() { return pid; }
    public int prio() { return prio; }
    public SchedClass schedClass() { return cls; }
    public long allowedCpus() { return allowed; }
    public boolean allowedOn(int c) { return (allowed >>> c & 1) != 0; }
    public int nrCpusAllowed() { return Long.bitCount(allowed); }
    public State state() { return state; }
    /** The CPU the task runs on, or last ran or is queued on. */
    public int cpu() { return cpu; }
    public int preemptCount() { return preemptCount; }
    /** Whether this is the boot task (init_task), which never went through fork. */
    public boolean isBootTask() { return boot; }
    public boolean isIdle() { return cls == SchedClass.IDLE; }

    @SuppressWarnings("unchecked")
    public <T> T local(Object key) { return m.exec.handed((T) locals.get(key)); }
    public void setLocal(Object key, Object value) {
        Map<Object, Object> copy = new IdentityHashMap<>(locals);
        copy.put(key, value);
        locals = copy;
    }

    /** Higher priority than {@code o}: a better class, or the same class and a lower prio. */
    boolean beats(Task o) {
        if (cls != o.cls) return cls.ordinal() < o.cls.ordinal();
        return cls == SchedClass.RT && prio < o.prio;
    }

    @Override public String toString() { return comm + "-" + pid; }
}
