package smpcall.machine;

import java.util.function.LongPredicate;

/**
 * A machine word in shared memory (flags, a counter, a cpumask of up to 64 CPUs). The method
 * names say which C access they stand for; each is one step of the machine.
 */
public final class Cell extends Location {
    long value;

    Cell(Machine m, Storage storage, String base, int index, String field, long initial) {
        super(m, storage, base, index, field);
        this.value = initial;
        if (m.stateHashes) m.memHash ^= StateHash.cell(id, initial);
    }

    /** A plain load: {@code x}. */
    public long get() {
        m.access(this, Access.LOAD, null);
        return m.exec.observe(value);
    }

    /** A plain store: {@code x = v}. */
    public void set(long v) {
        m.access(this, Access.STORE, null);
        write(v);
    }

    public long readOnce() {
        m.access(this, Access.READ_ONCE, null);
        return m.exec.observe(value);
    }

    public void writeOnce(long v) {
        m.access(this, Access.WRITE_ONCE, null);
        write(v);
    }

    /** smp_load_acquire(). */
    public long loadAcquire() {
        m.access(this, Access.ACQUIRE, null);
        return m.exec.observe(value);
    }

    /** smp_store_release(). */
    public void storeRelease(long v) {
        m.access(this, Access.RELEASE, null);
        write(v);
    }

    /** xchg(): returns the old value. */
    public long xchg(long v) {
        m.access(this, Access.RMW, null);
        long old = value;
        write(v);
        return m.exec.observe(old);
    }

    /** cmpxchg(): returns the old value; stores only if it was {@code expected}. */
    public long cmpxchg(long expected, long v) {
        m.access(this, Access.RMW, null);
        long old = value;
        if (old == expected) write(v);
        return m.exec.observe(old);
    }

    /** atomic_fetch_add(): returns the old value. */
    public long fetchAdd(long delta) {
        m.access(this, Access.RMW, null);
        long old = value;
        write(old + delta);
        return m.exec.observe(old);
    }

    /**
     * smp_cond_load_acquire(): spin until {@code cond} holds of the value, then return it.
     * The spinning task keeps its CPU; the machine knows it cannot move on before another
     * step writes this location, which makes exhaustive search finite and hangs visible.
     */
    public long condLoadAcquire(LongPredicate cond) {
        m.access(this, Access.ACQUIRE, () -> cond.test(value));
        return m.exec.observe(value);
    }

    /**
     * A READ_ONCE() spin with a timeout: returns once {@code cond} holds of the value or this
     * CPU's clock reaches {@code deadlineNs}, whichever comes first (csd_lock_wait_toolong's
     * loop). When nothing else can move, the machine lets time run to the deadline.
     */
    public long readOnceUntil(LongPredicate cond, long deadlineNs) {
        m.exec.timedPoint(this, () -> cond.test(value), deadlineNs);
        return m.exec.observe(value);
    }

    /** The value without a step: for properties, reports and ghost state only. */
    public long peek() { return m.exec.peeked(value); }

    /**
     * Not in the C: the machine's own change of the value (a completion's count), with no
     * step, and neither hashed nor timed as a write is.
     */
    void poke(long v) {
        changing();
        value = v;
    }

    private void write(long v) {
        if (m.stateHashes) m.memHash ^= StateHash.cell(id, value) ^ StateHash.cell(id, v);
        changing();
        value = v;
        lastWriteNs = m.clock.now(m.runningCpu());
    }
}
