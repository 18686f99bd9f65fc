package smpcall.kernel;

import java.util.List;

import smpcall.machine.Cpumask;

/**
 * The mutants that end SeriesV9's pinned section of smp_call_function_many_cond() early:
 * the function is SeriesV9's with put_cpu() moved to {@link #where()}.
 */
abstract class V9EarlyPutCpu extends SeriesV9 implements Mutant {

    /** Where the early put_cpu() goes. */
    enum Where {
        /** Before the queueing loop (reasons 2 and 3). */
        BEFORE_QUEUE,
        /** After the queueing loop, before the IPIs are sent (reason 1). */
        BEFORE_DISPATCH
    }

    abstract Where where();

    /** The early put_cpu(); true, so the caller knows it happened. */
    private boolean putCpuEarly() {
        m.putCpu();
        return true;
    }

    /** SeriesV9's smp_call_function_many_cond() with put_cpu() at {@link #where()}; the changed lines say MUTANT. */
    @Override
    protected void smpCallFunctionManyCond(Cpumask mask, SmpCallFunc func, Object info, int scfFlags, SmpCondFunc condFunc) {
        long mark = m.historyMark();     // not in the C: where a stateful search may rewind this task's history to
        boolean wait = (scfFlags & SCF_WAIT) != 0;
        boolean runRemote = false;
        boolean unpinned = false;   // MUTANT: where the early put_cpu() happened

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
            if (where() == Where.BEFORE_QUEUE) unpinned = putCpuEarly();     // MUTANT
            Queued q = smpCallFunctionManyQueue(cfd, cpumask, ipi, func, info, wait, condFunc, thisCpu, call);
            runRemote = q.runRemote();
            if (where() == Where.BEFORE_DISPATCH) unpinned = putCpuEarly();  // MUTANT
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

        if (runRemote && wait) smpCallFunctionManyWait(cfd, cpumask, thisCpu, mark);
        ghost.waitMaskEnd(cpumask);
        ghost.callReturns(call);
        m.historyRewind(mark, RETURNED);     // not in the C: the call is over, how it went is forgotten
    }
}
