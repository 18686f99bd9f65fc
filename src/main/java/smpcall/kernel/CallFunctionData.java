package smpcall.kernel;

import smpcall.machine.Cpumask;
import smpcall.machine.RefCell;

/**
 * struct call_function_data, one per CPU as initiator: its array of CSDs (one per target
 * CPU, from alloc_percpu), the work/wait mask and the scratch mask of CPUs that need an IPI.
 * The masks are cpumask_var_t: pointers to kmalloc'd masks with CONFIG_CPUMASK_OFFSTACK,
 * otherwise embedded in the structure.
 */
final class CallFunctionData {
    /** cfd->csd: null before the first smpcfd_prepare_cpu(). */
    final RefCell<CsdArray> csd;
    final CpumaskVar cpumask;
    final CpumaskVar cpumaskIpi;

    CallFunctionData(RefCell<CsdArray> csd, CpumaskVar cpumask, CpumaskVar cpumaskIpi) {
        this.csd = csd;
        this.cpumask = cpumask;
        this.cpumaskIpi = cpumaskIpi;
    }

    /** An alloc_percpu(call_single_data_t) area: one CSD per possible CPU. */
    record CsdArray(smpcall.machine.Storage storage, Csd[] perCpu) implements smpcall.machine.StateHash.Identified {
        @Override public long stableId() { return storage.addr(); }

        Csd on(int cpu) { return perCpu[cpu]; }   // per_cpu_ptr(cfd->csd, cpu)
    }

    /** cpumask_var_t: offstack (a pointer, allocated and freed) or embedded. */
    static final class CpumaskVar {
        private final RefCell<Cpumask> ptr;
        private final Cpumask embedded;

        CpumaskVar(RefCell<Cpumask> ptr, Cpumask embedded) {
            this.ptr = ptr;
            this.embedded = embedded;
        }

        boolean offstack() { return ptr != null; }

        /** The mask; with OFFSTACK a load of the pointer. */
        Cpumask get() { return ptr != null ? ptr.get() : embedded; }

        Cpumask peek() { return ptr != null ? ptr.peek() : embedded; }

        RefCell<Cpumask> pointer() { return ptr; }
    }
}
