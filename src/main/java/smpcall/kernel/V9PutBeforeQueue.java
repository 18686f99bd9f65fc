package smpcall.kernel;

import java.util.List;

import smpcall.machine.Cpumask;
import smpcall.machine.Property;

/**
 * Reasons 2 and 3 of the seed's commit message, broken: the pinned section ends before the
 * queueing loop. CPU offline (whose stopper needs this CPU preemptible) can then run between
 * the online check and the enqueue, so a CSD lands on a CPU after its dying flush (P3); and
 * another task on this CPU can take the same per-CPU CSD inside csd_lock(), between the wait
 * and the plain store (P4).
 */
public final class V9PutBeforeQueue extends SeriesV9 implements Mutant {

    @Override public String name() { return "v9-put-before-queue"; }

    @Override public String description() { return "reasons 2 and 3: put_cpu() before the queueing loop; CPU offline can cross the queueing, and two tasks can take one CSD"; }

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
            m.putCpu();   // MUTANT: unpinned before the queueing loop
            unpinned = true;
            Queued q = smpCallFunctionManyQueue(cfd, cpumask, ipi, func, info, wait, condFunc, thisCpu, call);
            runRemote = q.runRemote();
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
