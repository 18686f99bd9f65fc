package smpcall.kernel;

/**
 * Reason 1 of the seed's commit message, broken: the pinned section ends after the queueing loop
 * but before the IPIs are sent, so another task on this CPU can enter
 * smp_call_function_many_cond() and rebuild the per-CPU scratch mask {@code cfd->cpumask_ipi}
 * before this caller has sent its IPIs from it.
 */
public class V9PutBeforeDispatch extends V9EarlyPutCpu {

    @Override public String name() { return "v9-put-before-dispatch"; }

    @Override public String description() { return "reason 1: put_cpu() after queueing but before the IPIs are sent; the scratch cpumask_ipi is no longer protected"; }

    @Override Where where() { return Where.BEFORE_DISPATCH; }
}
