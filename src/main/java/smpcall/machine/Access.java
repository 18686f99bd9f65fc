package smpcall.machine;

/**
 * The kind of a shared access, as the C spells it: a plain load or store, READ_ONCE /
 * WRITE_ONCE, an acquire load (smp_load_acquire, smp_cond_load_acquire), a release store,
 * an atomic read-modify-write (xchg, cmpxchg, set_bit), an IPI (a write to the target's
 * local APIC). {@code LOCAL} is a step that touches no shared memory (a delay: time passes);
 * {@code SCHED} one where the scheduler acts next across CPUs (wakeups, migrations, a CPU
 * coming or going); {@code RESUME} one where only this CPU's scheduler acts (a task starts
 * or resumes after a switch, the idle loop picks a task from this CPU's run queue);
 * {@code PREEMPTIBLE} one that touches nothing and costs no time: a place where the C could
 * be preempted between two instructions and no access gives the machine a point (before the
 * task pins itself to its CPU or reads which CPU it is on).
 */
public enum Access {
    LOAD, STORE, READ_ONCE, WRITE_ONCE, ACQUIRE, RELEASE, RMW, IPI, LOCAL, SCHED, RESUME, PREEMPTIBLE;

    public boolean isWrite() {
        return this == STORE || this == WRITE_ONCE || this == RELEASE || this == RMW || this == IPI;
    }
}
