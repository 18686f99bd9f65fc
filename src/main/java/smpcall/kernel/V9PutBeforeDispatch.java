package smpcall.kernel;

import java.util.List;

import smpcall.machine.Cpumask;
import smpcall.machine.Property;

/**
 * Reason 1 of the seed's commit message, broken: the pinned section ends after the queueing loop
 * but before the IPIs are sent, so another task on this CPU can enter
 * smp_call_function_many_cond() and rebuild the per-CPU scratch mask {@code cfd->cpumask_ipi}
 * before this caller has sent its IPIs from it.
 */
public final class V9PutBeforeDispatch extends SeriesV9 implements Mutant {

    @Override public String name() { return "v9-put-before-dispatch"; }

    @Override public String description() { return "reason 1: put_cpu() after queueing but before the IPIs are sent; the scratch cpumask_ipi is no longer protected"; }

    /** SeriesV9's smp_call_function_many_cond() with put_cpu() moved; the changed lines say MUTANT. */
    @Override
    protected void smpCallFunctionManyCond(Cpumask mask, SmpCallFunc func, Object info, int scfFlags, SmpCondFunc condFunc) {
        boolean wait = (scfFlags & SCF_WAIT) != 0;
        boolean runRemote = false;
        Ghost.Call call = ghost.callBegin(func, wait);
        boolean unpinned = false;   // MUTANT: where the early put_cpu() happened

        int thisCpu = m.getCpu();
        CallFunctionData cfd = m.thisCpuPtr(cfdData);
        Cpumask taskMask = smpTaskIpiMask(m.current());
        Cpumask cpumask = taskMask != null ? taskMask : cfd.cpumask.get();

        if (m.cpuOnline(thisCpu) && m.irqsDisabled() && m.once("many:irqs"))
            m.warn(Property.P7, SMP_C, 807, "smp_call_function_many_cond", List.of(), List.of());
        if (!m.inTask() && m.once("many:in_task"))
            m.warn(Property.P7, SMP_C, 815, "smp_call_function_many_cond", List.of(), List.of());

        if (cpumaskAnyAndBut(mask, thisCpu)) {
            cpumask.assign(mask.bits() & m.cpuOnlineMask().bits());
            cpumask.__clearCpu(thisCpu);
            Cpumask ipi = cfd.cpumaskIpi.get();
            ipi.clear();
            ghost.scratchBegin(ipi);
            Queued q = smpCallFunctionManyQueue(cfd, cpumask, ipi, func, info, wait, condFunc, thisCpu, call);
            runRemote = q.runRemote();
            m.putCpu();   // MUTANT: unpinned after queueing, before the IPIs go out
            unpinned = true;
            if (q.nrCpus() == 1) sendCallFunctionSingleIpi(q.lastCpu(), "smp_call_function_many_cond");
            else if (q.nrCpus() > 1) sendCallFunctionIpiMask(ipi, "smp_call_function_many_cond");
            ghost.scratchEnd(ipi);
        }

        if ((scfFlags & SCF_RUN_LOCAL) != 0 && mask.testCpu(thisCpu) && (condFunc == null || condFunc.test(thisCpu, info))) {
            boolean flags = m.localIrqSave();
            ghost.runsLocally(call, thisCpu);
            csdDoFunc(func, info, null);
            m.localIrqRestore(flags);
        }

        if (!unpinned) m.putCpu();   // MUTANT: the path that queued nothing remote

        if (runRemote && wait) {
            ghost.waitBegin(cpumask);
            for (long todo = cpumask.bits(); todo != 0; todo &= todo - 1) {
                int cpu = Long.numberOfTrailingZeros(todo);
                Csd csd = cfd.csd.get().on(cpu);
                csdLockWait(csd);
            }
            ghost.waitEnd(cpumask);
        }
        if (wait) ghost.callReturns(call);
    }
}
