package smpcall.machine;

/**
 * A struct cpumask of up to 64 CPUs: one machine word, so each cpumask operation is one
 * access of the kind its C counterpart makes.
 */
public final class Cpumask {
    private final Cell bits;

    public Cpumask(Cell bits) { this.bits = bits; }

    public Cell cell() { return bits; }
    public Storage storage() { return bits.storage; }
    public String name() { return bits.name(); }

    /** Reads the whole mask (for_each_cpu, cpumask_and's source, cpumask_weight). */
    public long bits() { return bits.get(); }

    /** cpumask_copy() / cpumask_and() / cpumask_clear() as the destination: one store. */
    public void assign(long v) { bits.set(v); }

    public void clear() { bits.set(0); }

    /** cpumask_set_cpu(): atomic set_bit. */
    public void setCpu(int cpu) {
        long old;
        do {
            old = bits.peek();
        } while (bits.cmpxchg(old, old | 1L << cpu) != old);
    }

    /** cpumask_clear_cpu(): atomic clear_bit. */
    public void clearCpu(int cpu) {
        long old;
        do {
            old = bits.peek();
        } while (bits.cmpxchg(old, old & ~(1L << cpu)) != old);
    }

    /** __cpumask_set_cpu(): a non-atomic read-modify-write, a load and a store. */
    public void __setCpu(int cpu) { bits.set(bits.get() | 1L << cpu); }

    /** __cpumask_clear_cpu(): non-atomic. */
    public void __clearCpu(int cpu) { bits.set(bits.get() & ~(1L << cpu)); }

    /** cpumask_test_cpu(). */
    public boolean testCpu(int cpu) { return (bits.get() >>> cpu & 1) != 0; }

    /** The value without a step: for properties and reports only. */
    public long peek() { return bits.peek(); }

    @Override public String toString() { return bits.name(); }
}
