package smpcall.machine;

import java.util.function.IntFunction;

/** A DEFINE_PER_CPU variable: one instance per possible CPU. */
public final class PerCpu<T> {
    final String name;
    private final Object[] slots;

    PerCpu(String name, int nrCpus, IntFunction<T> init) {
        this.name = name;
        this.slots = new Object[nrCpus];
        for (int c = 0; c < nrCpus; c++) slots[c] = init.apply(c);
    }

    public String name() { return name; }

    /** The instance of {@code cpu}: per_cpu_ptr(), which is fine from any context. */
    @SuppressWarnings("unchecked")
    public T on(int cpu) { return (T) slots[cpu]; }
}
