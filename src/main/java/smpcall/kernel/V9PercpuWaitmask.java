package smpcall.kernel;

import smpcall.machine.Cpumask;
import smpcall.machine.Task;

/**
 * Reason 5 of the seed's commit message, broken: the early put_cpu() stays, but no task has a
 * task-local mask, so every caller works and waits on the per-CPU {@code cfd->cpumask}, which
 * another task on the original CPU may rewrite while the first one waits.
 */
public class V9PercpuWaitmask extends SeriesV9 implements Mutant {

    @Override public String name() { return "v9-percpu-waitmask"; }

    @Override public String description() {
        return "reason 5: early put_cpu() but the wait iterates the per-CPU cfd->cpumask";
    }

    @Override
    protected Cpumask smpTaskIpiMask(Task cur) {
        return null;   // MUTANT: always fall back to cfd->cpumask
    }
}
