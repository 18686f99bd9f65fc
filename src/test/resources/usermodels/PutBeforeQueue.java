package smpcall.kernel;

import java.util.List;

import smpcall.machine.Cpumask;
import smpcall.kernel.Property;

/** series-v9 with put_cpu() before the queueing loop (as the shipped v9-put-before-queue). */
public class PutBeforeQueue extends SeriesV9 {

    @Override
    protected void smpCallFunctionManyCond(Cpumask mask, SmpCallFunc func, Object info, int scfFlags, SmpCondFunc condFunc) {
        long mark = m.historyMark();
        boolean wait = (scfFlags & SCF_WAIT) != 0;
        boolean runRemote = false, unpinned = false;

        int thisCpu = m.getCpu();
        Ghost.Call call = ghost.callBegin(func, wait, ghost.manyTargets(mask, (scfFlags & SCF_RUN_LOCAL) != 0, condFunc));
        CallFunctionData cfd = m.thisCpuPtr(cfdData);
        Cpumask taskMask = smpTaskIpiMask(m.current());
        Cpumask cpumask = taskMask != null ? taskMask : cfd.cpumask.get();

        if (m.cpuOnline(thisCpu) && m.irqsDisabled() && m.once("many:irqs"))
            m.warn(Property.P7, SMP_C, 816, "smp_call_function_many_cond", List.of(), List.of());
        if (!m.inTask() && m.once("many:in_task"))
            m.warn(Property.P7, SMP_C, 824, "smp_call_function_many_cond", List.of(), List.of());

        if (cpumaskAnyAndBut(mask, thisCpu)) {
            cpumask.assign(mask.bits() & m.cpuOnlineMask().bits());
            cpumask.__clearCpu(thisCpu);
            ghost.waitMaskBegin(cpumask);
            Cpumask ipi = cfd.cpumaskIpi.get();
            ipi.clear();
            ghost.scratchBegin(ipi);
            m.putCpu(); unpinned = true;     // my change: unpin before the queueing
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

        if (!unpinned) m.putCpu();

        if (runRemote && wait) smpCallFunctionManyWait(cfd, cpumask, thisCpu, mark);
        ghost.waitMaskEnd(cpumask);
        ghost.callReturns(call);
        m.historyRewind(mark, RETURNED);
    }
}
