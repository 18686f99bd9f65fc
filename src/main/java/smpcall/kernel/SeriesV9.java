package smpcall.kernel;

import java.util.List;

import smpcall.kernel.CallFunctionData.CsdArray;
import smpcall.machine.Cpumask;
import smpcall.kernel.Property;
import smpcall.machine.Storage;
import smpcall.machine.Task;

/**
 * The series "Allow preemption during IPI completion waiting to improve real-time
 * performance" as posted on 30 Jun 2026 (v9; patch 06/14 is the seed). It overrides exactly
 * the functions the series changes, in the order of the patches:
 * <ul>
 * <li>01: __csd_lock_wait() disables preemption itself;</li>
 * <li>02, 03: smp_call_function_single() and _any() go through one helper that pins only
 *     the target selection and dispatch, then waits preemptibly;</li>
 * <li>04: a task-local IPI mask (inline in the task when a cpumask fits a word, else
 *     allocated at fork; the boot task may have none);</li>
 * <li>05: the per-CPU CSD array is allocated once and never freed;</li>
 * <li>06: smp_call_function_many_cond() pins itself with get_cpu() and calls put_cpu()
 *     before the wait;</li>
 * <li>07, 08: smp_call_function() and on_each_cpu_cond_mask() lose their preempt_disable().</li>
 * </ul>
 */
public class SeriesV9 extends Mainline {

    @Override public String name() { return "series-v9"; }

    @Override public String description() {
        return "the 2026 series (v9, 06/14 is the seed): the wait runs preemptible, on a task-local mask";
    }

    // ---- 01: smp: Disable preemption explicitly in __csd_lock_wait()

    @Override
    protected void __csdLockWait(Csd csd) {
        m.preemptDisable();     // guard(preempt)(): the timestamps must not count other tasks' time
        super.__csdLockWait(csd);
        m.preemptEnable();
    }

    // ---- 02, 03: the single-target calls

    @Override
    public int smpCallFunctionSingle(int cpu, SmpCallFunc func, Object info, boolean wait) {
        return __smpCallFunctionSingle(cpu, func, info, null, wait);
    }

    /**
     * The common helper: with a {@code mask}, the target is picked inside the same pinned
     * section as the dispatch, so a CPU going offline in between cannot turn into -ENXIO.
     */
    protected int __smpCallFunctionSingle(int cpu, SmpCallFunc func, Object info, Cpumask mask, boolean wait) {
        Storage frame = m.stackFrame("__smp_call_function_single:csd_stack");
        Csd csdStack = m.built(() -> new Csd(m, frame, "csd_stack", -1, frame.addr(), Csd.CSD_FLAG_LOCK | Csd.CSD_TYPE_SYNC));
        int thisCpu = m.getCpu();
        if (mask != null) {
            // Try for the same CPU (cheapest), else the nearest.
            cpu = mask.testCpu(thisCpu) ? thisCpu : schedNumaFindNthCpu(mask);
        }
        if (m.cpuOnline(thisCpu) && m.irqsDisabled() && m.once("single:irqs"))
            m.warn(Property.P7, SMP_C, 675, "__smp_call_function_single", List.of(), List.of());
        if (!m.inTask() && m.once("single:in_task"))
            m.warn(Property.P7, SMP_C, 684, "__smp_call_function_single", List.of(), List.of());
        Csd csd = csdStack;
        if (!wait) {
            csd = m.thisCpuPtr(csdData);
            csdLock(csd);
        }
        csd.func.set(func);
        csd.info.set(info);
        if (SmpParams.csdlockDebug(config)) {
            csd.src.set(thisCpu);
            csd.dst.set(cpu);
        }
        Ghost.Call call = ghost.singleCall(func, wait, cpu, mask);
        ghost.owns(csd, call);
        int err = genericExecSingle(cpu, csd);
        // Only the completion path touches the on-stack CSD from here on: no need to stay.
        m.putCpu();
        if (wait) csdLockWait(csd);
        ghost.callReturns(call, err);
        m.popStack(frame);
        return err;
    }

    @Override
    public int smpCallFunctionAny(Cpumask mask, SmpCallFunc func, Object info, boolean wait) {
        return __smpCallFunctionSingle(-1, func, info, mask, wait);
    }

    // ---- 04: smp: Use task-local IPI cpumask in smp_call_function_many_cond()

    private static final Object IPI_MASK = new Object();

    /** The ipi_mask_inlined static key: CONFIG_PREEMPTION and cpumask_size() <= sizeof(long). */
    private boolean ipiMaskInlined() {
        return config.preemption() && SmpParams.ipiMaskInline(config);
    }

    /** smp_task_ipi_mask_alloc(), from dup_task_struct(). */
    @Override
    protected void dupTaskStruct(Task task) {
        if (!config.preemption()) return;
        if (ipiMaskInlined()) {
            Storage ts = m.kmalloc("task_struct " + task.comm());
            task.setLocal(IPI_MASK, m.cpumask(ts, task.comm() + "->ipi_mask_val"));
        } else {
            Storage s = m.kmalloc(task.comm() + "->ipi_mask_ptr");
            task.setLocal(IPI_MASK, m.cpumask(s, task.comm() + "->ipi_mask_ptr"));
        }
    }

    /**
     * smp_task_ipi_mask(): the inline mask, the allocated one, or NULL (no CONFIG_PREEMPTION,
     * or the boot task when the mask is not inline: it never went through fork).
     */
    @Override
    protected Cpumask smpTaskIpiMask(Task cur) {
        if (!config.preemption()) return null;
        Cpumask mask = cur.local(IPI_MASK);
        if (mask == null && ipiMaskInlined()) {
            // init_task is static: its inline field exists without a fork.
            mask = m.cpumask(m.staticData("init_task"), cur.comm() + "->ipi_mask_val");
            cur.setLocal(IPI_MASK, mask);
        }
        return mask;
    }

    // ---- 05: smp: Alloc percpu csd data in smpcfd_prepare_cpu() only once

    @Override
    public int smpcfdPrepareCpu(int cpu) {
        CallFunctionData cfd = cfdData.on(cpu);
        zallocCpumaskVar(cfd.cpumask);
        zallocCpumaskVar(cfd.cpumaskIpi);
        if (cfd.csd.get() == null) cfd.csd.set(allocPercpuCsd(cpu));
        return 0;
    }

    @Override
    public int smpcfdDeadCpu(int cpu) {
        CallFunctionData cfd = cfdData.on(cpu);
        freeCpumaskVar(cfd.cpumask);
        freeCpumaskVar(cfd.cpumaskIpi);
        return 0;
    }

    // ---- 06: smp: Enable preemption early in smp_call_function_many_cond()

    @Override
    protected void smpCallFunctionManyCond(Cpumask mask, SmpCallFunc func, Object info, int scfFlags, SmpCondFunc condFunc) {
        long mark = m.historyMark();     // not in the C: where a stateful search may rewind this task's history to
        boolean wait = (scfFlags & SCF_WAIT) != 0;
        boolean runRemote = false;

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

        // The work is queued and the IPIs are out. The wait mask is task-local, so another
        // task on this CPU cannot overwrite it; the boot task may fall back to cfd->cpumask,
        // but every other task has its own mask. Without CONFIG_PREEMPTION, put_cpu()
        // cannot schedule, so the per-CPU mask stays ours.
        m.putCpu();

        if (runRemote && wait) smpCallFunctionManyWait(cfd, cpumask, thisCpu, mark);
        ghost.waitMaskEnd(cpumask);
        ghost.callReturns(call);
        m.historyRewind(mark, RETURNED);     // not in the C: the call is over, how it went is forgotten
    }

    // ---- 07: smp: Remove preempt_disable() from smp_call_function()

    @Override
    public void smpCallFunction(SmpCallFunc func, Object info, boolean wait) {
        smpCallFunctionManyCond(m.cpuOnlineMask(), func, info, wait ? SCF_WAIT : 0, null);
    }

    // ---- 08: smp: Remove preempt_disable() from on_each_cpu_cond_mask()

    @Override
    public void onEachCpuCondMask(SmpCondFunc condFunc, SmpCallFunc func, Object info, boolean wait, Cpumask mask) {
        int scfFlags = SCF_RUN_LOCAL;
        if (wait) scfFlags |= SCF_WAIT;
        smpCallFunctionManyCond(mask, func, info, scfFlags, condFunc);
    }
}
