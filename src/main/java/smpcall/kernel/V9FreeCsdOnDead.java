package smpcall.kernel;

/**
 * Reason 6 of the seed's commit message, broken: smpcfd_dead_cpu() frees the per-CPU CSD
 * array again (as before patch 05), while a task that started its call on that CPU may have
 * migrated and still be waiting on one of those CSDs.
 */
public class V9FreeCsdOnDead extends SeriesV9 implements Mutant {

    @Override public String name() { return "v9-free-csd-on-dead"; }

    @Override public String description() {
        return "reason 6: the CSD array is freed in smpcfd_dead_cpu()";
    }

    @Override
    public int smpcfdDeadCpu(int cpu) {
        CallFunctionData cfd = cfdData.on(cpu);
        freeCpumaskVar(cfd.cpumask);
        freeCpumaskVar(cfd.cpumaskIpi);
        m.kfree(cfd.csd.get().storage());   // MUTANT: free_percpu(cfd->csd), as mainline does
        return 0;
    }
}
