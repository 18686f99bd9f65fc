package smpcall.machine;

import java.util.function.Predicate;

/** A pointer-sized location holding a reference (a list head, a function pointer, info). */
public final class RefCell<T> extends Location {
    T value;

    RefCell(Machine m, Storage storage, String base, int index, String field, T initial) {
        super(m, storage, base, index, field);
        this.value = initial;
        if (m.stateHashes) m.memHash ^= StateHash.cell(id, StateHash.of(initial));
    }

    public T get() {
        m.access(this, Access.LOAD, null);
        return m.exec.observe(value);
    }

    public void set(T v) {
        m.access(this, Access.STORE, null);
        write(v);
    }

    public T readOnce() {
        m.access(this, Access.READ_ONCE, null);
        return m.exec.observe(value);
    }

    /** smp_load_acquire() of a pointer. */
    public T loadAcquire() {
        m.access(this, Access.ACQUIRE, null);
        return m.exec.observe(value);
    }

    public void writeOnce(T v) {
        m.access(this, Access.WRITE_ONCE, null);
        write(v);
    }

    public T xchg(T v) {
        m.access(this, Access.RMW, null);
        T old = value;
        write(v);
        return m.exec.observe(old);
    }

    /** cmpxchg() on a pointer: compares by identity, returns the old value. */
    public T cmpxchg(T expected, T v) {
        m.access(this, Access.RMW, null);
        T old = value;
        if (old == expected) write(v);
        return m.exec.observe(old);
    }

    /** Spin until {@code cond} holds of the pointer (acquire), then return it. */
    public T condLoadAcquire(Predicate<? super T> cond) {
        m.access(this, Access.ACQUIRE, () -> cond.test(value));
        return m.exec.observe(value);
    }

    /** The value without a step: for properties and reports only. */
    public T peek() { return m.exec.peeked(value); }

    private void write(T v) {
        if (m.stateHashes) m.memHash ^= StateHash.cell(id, StateHash.of(value)) ^ StateHash.cell(id, StateHash.of(v));
        changing();
        value = v;
        lastWriteNs = m.clock.now(m.runningCpu());
    }
}
