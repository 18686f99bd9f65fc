package smpcall.kernel;

import java.util.List;

import smpcall.kernel.CallFunctionData.CpumaskVar;
import smpcall.kernel.CallFunctionData.CsdArray;
import smpcall.machine.Cell;
import smpcall.machine.Config;
import smpcall.machine.Cpumask;
import smpcall.machine.Hotplug;
import smpcall.machine.Machine;
import smpcall.machine.PerCpu;
import smpcall.machine.RefCell;
import smpcall.machine.StateHash;
import smpcall.machine.Storage;
import smpcall.machine.Task;
import smpcall.machine.Tracepoints;
import smpcall.machine.Vector;

/**
 * kernel/smp.c before the series (the 7.1 base): the generic cross-CPU function calls, in
 * the order of the C file. Method names are the C names in camelCase, with the leading
 * underscores kept ({@code __flushSmpCallFunctionQueue} is
 * {@code __flush_smp_call_function_queue}). Every access to shared state goes through a
 * machine cell, so each is a point where another CPU may act.
 *
 * <p>Models are variants by override: {@code SeriesV9} overrides exactly the functions the
 * series changes, and each mutant overrides what it changes of {@code SeriesV9}.
 *
 * <p>The {@code kernel/smp.c:LINE} of a WARNING or BUG this model prints is a line of
 * kernel/smp.c of Linux 7.1, the base the series applies to: the line of the WARN_ON,
 * WARN_ONCE, lockdep assertion or BUG_ON the finding stands for (271 and 289 in
 * csd_lock_wait_toolong(), 370 csd_unlock(), 516 __flush_smp_call_function_queue(), 675 and
 * 684 smp_call_function_single(), 806, 816 and 824 smp_call_function_many_cond()).
 * {@code SeriesV9} and the mutants cite the same statements at these 7.1 lines too: the
 * series moves them, and its kernel/smp.c is not a released file one could check against.
 */
public class Mainline implements Model {
    public static final int SCF_WAIT = 1 << 0;
    public static final int SCF_RUN_LOCAL = 1 << 1;
    public static final int ENXIO = 6;
    public static final int EBUSY = 16;
    static final String SMP_C = "kernel/smp.c";

    protected Machine m;
    protected Config config;
    protected PerCpu<CallFunctionData> cfdData;
    protected PerCpu<RefCell<Csd>> callSingleQueue;
    protected PerCpu<Cell> triggerBacktrace;
    protected PerCpu<Csd> csdData;
    /** Ghost state for the properties: annotations only, never read by the model. */
    protected Ghost ghost;
    private Storage data;

    @Override public String name() { return "mainline"; }

    @Override public String description() {
        return "kernel/smp.c before the series: callers pin the whole call, including the wait";
    }

    @Override
    public void boot(Machine machine) {
        this.m = machine;
        this.config = machine.config();
        this.data = m.staticData("smp.c .data");
        this.ghost = new Ghost(m);
        cfdData = m.perCpu("cfd_data", cpu -> new CallFunctionData(
                m.ref(data, "cfd_data", cpu, ".csd", null),
                cpumaskVar(cpu, ".cpumask"),
                cpumaskVar(cpu, ".cpumask_ipi")));
        callSingleQueue = m.perCpu("call_single_queue", cpu -> m.ref(data, "call_single_queue", cpu, null, null));
        triggerBacktrace = m.perCpu("trigger_backtrace", cpu -> m.cell(data, "trigger_backtrace", cpu, null, 1));
        csdData = m.perCpu("csd_data", cpu -> new Csd(m, data, "csd_data", cpu, data.addr() + 0x200 + 0x20L * cpu, 0));
        csdDebugInit();
        m.hotplug().setup(Hotplug.CPUHP_SMPCFD_PREPARE, "smpcfd:prepare", "smpcfd_prepare_cpu", this::smpcfdPrepareCpu,
                "smpcfd_dead_cpu", this::smpcfdDeadCpu, Hotplug.Where.CONTROL);
        m.hotplug().setup(Hotplug.CPUHP_AP_SMPCFD_DYING, "smpcfd:dying", null, null,
                "smpcfd_dying_cpu", this::smpcfdDyingCpu, Hotplug.Where.DYING);
        // x86 routes both call-function vectors to the same queue flush.
        m.requestIrq(Vector.CALL_FUNCTION_SINGLE, this::genericSmpCallFunctionSingleInterrupt);
        m.requestIrq(Vector.CALL_FUNCTION, this::genericSmpCallFunctionSingleInterrupt);
        m.onFork(this::dupTaskStruct);
        m.atQuiescence(this::checkQueuesDrained);
        callFunctionInit();
    }

    /** CONFIG_CPUMASK_OFFSTACK goes with NR_CPUS > BITS_PER_LONG, i.e. no inline IPI mask. */
    private CpumaskVar cpumaskVar(int cpu, String field) {
        if (SmpParams.ipiMaskInline(config)) return new CpumaskVar(null, new Cpumask(m.cell(data, "cfd_data", cpu, field, 0)));
        return new CpumaskVar(m.ref(data, "cfd_data", cpu, field, null), null);
    }

    /** The fork-time hook of the series (patch 04); mainline has nothing to do. */
    protected void dupTaskStruct(Task task) {
    }

    // ===================================================================== hotplug callbacks

    public int smpcfdPrepareCpu(int cpu) {
        CallFunctionData cfd = cfdData.on(cpu);
        zallocCpumaskVar(cfd.cpumask);
        zallocCpumaskVar(cfd.cpumaskIpi);
        cfd.csd.set(allocPercpuCsd(cpu));
        return 0;
    }

    public int smpcfdDeadCpu(int cpu) {
        CallFunctionData cfd = cfdData.on(cpu);
        freeCpumaskVar(cfd.cpumask);
        freeCpumaskVar(cfd.cpumaskIpi);
        m.kfree(cfd.csd.get().storage());   // free_percpu(cfd->csd)
        return 0;
    }

    public int smpcfdDyingCpu(int cpu) {
        // IPIs sent to this CPU may not have arrived yet (it runs with irqs off inside
        // stop_machine), so run what is queued now: nothing may be left when it goes.
        // Being inside the stopper also keeps senders (which pin their CPU) out.
        __flushSmpCallFunctionQueue(false);
        return 0;
    }

    private void callFunctionInit() {
        for (int cpu = 0; cpu < m.nrCpuIds(); cpu++) smpcfdPrepareCpu(cpu);
    }

    protected void zallocCpumaskVar(CpumaskVar var) {
        if (var.offstack()) {
            Storage s = m.kmalloc(var.pointer().name());
            var.pointer().set(new Cpumask(m.cell(s, s.name(), -1, null, 0)));
        }
        else var.peek().clear();
    }

    protected void freeCpumaskVar(CpumaskVar var) {
        if (var.offstack()) m.kfree(var.pointer().get().storage());
    }

    /** alloc_percpu(call_single_data_t) for the initiator {@code cpu}: one CSD per target. */
    protected CsdArray allocPercpuCsd(int cpu) {
        Storage s = m.allocPercpu("cfd_data", cpu, ".csd");
        Csd[] csds = new Csd[m.nrCpuIds()];
        for (int t = 0; t < csds.length; t++)
            csds[t] = new Csd(m, s, s.name(), t, s.addr() + 0x20L * t, 0);
        return new CsdArray(s, csds);
    }

    // ===================================================================== IPI send helpers

    protected void sendCallFunctionSingleIpi(int cpu, String callsite) {
        if (m.tracing()) m.trace("ipi_send_cpu", SmpTracepoints.ipiSendCpu(cpu, callsite, "generic_smp_call_function_single_interrupt"));
        m.sendIpi(cpu, Vector.CALL_FUNCTION_SINGLE);
    }

    protected void sendCallFunctionIpiMask(Cpumask mask, String callsite) {
        long bits = mask.bits();
        if (m.tracing()) m.trace("ipi_send_cpumask", SmpTracepoints.ipiSendCpumask(bits, m.nrCpuIds(), callsite, "generic_smp_call_function_single_interrupt"));
        if (bits != 0) m.sendIpiMask(bits, Vector.CALL_FUNCTION);
    }

    // ===================================================================== CONFIG_CSD_LOCK_WAIT_DEBUG

    protected PerCpu<RefCell<Csd>> curCsd;
    protected PerCpu<RefCell<SmpCallFunc>> curCsdFunc;
    protected PerCpu<RefCell<Object>> curCsdInfo;
    private Cell csdBugCount;
    /** n_csd_lock_stuck: the waits that reported a stuck lock that has not cleared yet. */
    private Cell nCsdLockStuck;

    private void csdDebugInit() {
        curCsd = m.perCpu("cur_csd", cpu -> m.ref(data, "cur_csd", cpu, null, null));
        curCsdFunc = m.perCpu("cur_csd_func", cpu -> m.ref(data, "cur_csd_func", cpu, null, null));
        curCsdInfo = m.perCpu("cur_csd_info", cpu -> m.ref(data, "cur_csd_info", cpu, null, null));
        csdBugCount = m.cell(data, "csd_bug_count", 0);
        nCsdLockStuck = m.cell(data, "n_csd_lock_stuck", 0);
    }

    /** Record which CSD this CPU is handling, null when done; read by stuck waiters. */
    protected void csdLockRecord(Csd csd) {
        if (!SmpParams.csdlockDebug(config)) return;
        int cpu = m.rawSmpProcessorId();
        if (csd == null) {
            curCsd.on(cpu).writeOnce(null);
            return;
        }
        curCsdFunc.on(cpu).writeOnce(csd.func.peek());
        curCsdInfo.on(cpu).writeOnce(csd.info.peek());
        curCsd.on(cpu).writeOnce(csd);
    }

    private int csdLockWaitGetcpu(Csd csd) {
        long type = Csd.type(csd.flags.peek());
        return type == Csd.CSD_TYPE_ASYNC || type == Csd.CSD_TYPE_SYNC ? (int) csd.dst.peek() : -1;
    }

    /** The per-wait state of __csd_lock_wait(): the first timestamp, the last report, the bug id. */
    protected static final class CsdWait {
        long ts0;
        long ts1;
        int bugId;
        long nmessages;
    }

    /**
     * csd_lock_wait_toolong(): the CSD is still locked after csd_lock_timeout (the first
     * time; then after growing multiples of it): print "Detected", then "Continued", with
     * what the destination CPU is doing; ask it for a backtrace once per handler run; re-send
     * the IPI when it is not handling any CSD; dump this stack the first time; and BUG() once
     * the lock has been stuck for panic_on_ipistall ms. "got unstuck" once the lock clears.
     * Returns true when the wait is over.
     *
     * <p>The C spins on READ_ONCE() of the flags with cpu_relax(); the model makes the spin
     * one timed wait that ends when the lock clears or the next report is due. With
     * csd_lock_timeout=0 no report is ever due: the wait is a plain spin, and a lock that
     * never clears is a hang.
     */
    protected boolean csdLockWaitToolong(Csd csd, CsdWait w) {
        long timeout = SmpParams.csdLockTimeoutNs(config);
        long threshold = timeout * (w.nmessages + 1)
                * (w.nmessages == 0 ? 1 : ilog2(Long.bitCount(m.cpuOnlineMask().peek())) / 2 + 1);
        long due = timeout == 0 ? Long.MAX_VALUE : w.ts1 + threshold + 1;     // not in the C: when the spin's next check reports
        long flags = csd.flags.readOnceUntil(v -> (v & Csd.CSD_FLAG_LOCK) == 0, due);
        int me = m.rawSmpProcessorId();
        if ((flags & Csd.CSD_FLAG_LOCK) == 0) {
            if (w.bugId == 0) return true;
            int cpu = csdLockWaitGetcpu(csd);
            m.printk(String.format("csd: CSD lock (#%d) got unstuck on CPU#%02d, CPU#%02d released the lock.",
                    w.bugId, me, cpu));
            nCsdLockStuck.fetchAdd(-1);     // atomic_dec()
            return true;
        }
        long ts2 = m.clock().now(me);
        // How long since we last checked for a stuck CSD lock.
        if (ts2 - w.ts1 <= threshold || timeout == 0) return false;
        if (w.ts0 > ts2) {
            // Our own sched_clock went backward; don't blame another CPU.
            m.printk(String.format("sched_clock on CPU %d went backward by %d ns", me, w.ts0 - ts2));
            w.ts1 = ts2;
            return false;
        }
        boolean firsttime = w.bugId == 0;
        if (firsttime) w.bugId = (int) csdBugCount.fetchAdd(1) + 1;     // atomic_inc_return()
        int cpu = csdLockWaitGetcpu(csd);
        int cpux;
        if (cpu < 0 || cpu >= m.nrCpuIds()) {
            if (m.once("csd_lock_wait_toolong:cpu"))
                m.warn(Property.P2, SMP_C, 271, "csd_lock_wait_toolong", List.of("csd_lock_wait_toolong: cpu = " + cpu), List.of());
            cpux = 0;
        } else {
            cpux = cpu;
        }
        Csd cpuCurCsd = curCsd.on(cpux).loadAcquire();     // before func and info
        // How long since this CSD lock was stuck.
        long stuckNs = ts2 - w.ts0;
        SmpCallFunc func = csd.func.peek();
        m.printk(String.format("csd: %s non-responsive CSD lock (#%d) on CPU#%d, waiting %d ns for CPU#%02d %s(%s).",
                firsttime ? "Detected" : "Continued", w.bugId, me, stuckNs, cpu,
                Tracepoints.functionSymbol(func == null ? "0x0" : func.name()), ps(csd.info.peek())));
        w.nmessages++;
        if (firsttime) nCsdLockStuck.fetchAdd(1);     // atomic_inc()
        // Still stuck after panic_on_ipistall ms: unlikely to become unstuck.
        long panicMs = SmpParams.panicOnIpistallMs(config);
        if (panicMs > 0 && stuckNs > panicMs * 1_000_000L)
            m.bug(Property.P2, SMP_C, 289, List.of("RIP: csd_lock_wait_toolong", "the CSD lock has been stuck for "
                    + stuckNs + " ns, panic_on_ipistall=" + panicMs));
        if (cpuCurCsd != null && cpuCurCsd != csd) {
            SmpCallFunc prior = curCsdFunc.on(cpux).readOnce();
            Object priorInfo = curCsdInfo.on(cpux).readOnce();
            m.printk(String.format("\tcsd: CSD lock (#%d) handling prior %s(%s) request.", w.bugId,
                    Tracepoints.functionSymbol(prior == null ? "0x0" : prior.name()), ps(priorInfo)));
        } else {
            m.printk(String.format("\tcsd: CSD lock (#%d) %s.", w.bugId, cpuCurCsd == null ? "unresponsive" : "handling this request"));
        }
        // The kernel goes on with an out-of-range CPU (per-CPU data that is not there); the
        // model stops at the warning above ("< nr_cpu_ids" is not in the C).
        if (cpu >= 0 && cpu < m.nrCpuIds()) {
            if (triggerBacktrace.on(cpu).cmpxchg(1, 0) != 0) m.dumpCpuTask(cpu);     // atomic_cmpxchg_acquire()
            if (cpuCurCsd == null) {
                m.printk(String.format("csd: Re-sending CSD lock (#%d) IPI from CPU#%02d to CPU#%02d", w.bugId, me, cpu));
                m.sendIpi(cpu, Vector.CALL_FUNCTION_SINGLE);   // arch_send_call_function_single_ipi()
            }
        }
        if (firsttime) m.dumpStack();
        w.ts1 = ts2;
        return false;
    }

    /**
     * csd_lock_is_stuck(): whether some CSD-lock wait has reported a stuck lock that has not
     * cleared since (RCU's stall warnings use it to stay short). False without csdlock_debug.
     */
    public boolean csdLockIsStuck() {
        return nCsdLockStuck.readOnce() != 0;     // atomic_read()
    }

    /** csd_lock_is_stuck() without a step: for tests and reports after a run. */
    boolean csdLockIsStuckPeek() { return nCsdLockStuck.peek() != 0; }

    /** %ps of an info pointer: NULL prints as 0x0. */
    private static String ps(Object info) { return info == null ? "0x0" : info.toString(); }

    private static int ilog2(long v) { return 63 - Long.numberOfLeadingZeros(Math.max(1, v)); }

    /** The csdlock_debug wait: spin with stuck-lock reports until the CSD is unlocked. */
    protected void __csdLockWait(Csd csd) {
        CsdWait w = new CsdWait();
        w.ts0 = w.ts1 = m.clock().now(m.rawSmpProcessorId());
        while (!csdLockWaitToolong(csd, w)) {
            // cpu_relax()
        }
    }

    protected void csdLockWait(Csd csd) {
        if (SmpParams.csdlockDebug(config)) {
            __csdLockWait(csd);
            return;
        }
        csd.flags.condLoadAcquire(v -> (v & Csd.CSD_FLAG_LOCK) == 0);   // smp_cond_load_acquire()
    }

    // ===================================================================== csd_lock / csd_unlock

    protected void csdLock(Csd csd) {
        csdLockWait(csd);
        ghost.csdTaking(csd);
        // A plain read-modify-write, not an atomic one: safe only because nobody else can be
        // taking this CSD at the same time (its owner CPU is pinned while it does this).
        csd.flags.set(csd.flags.get() | Csd.CSD_FLAG_LOCK);
        ghost.csdTaken(csd);
        // smp_wmb(): the lock bit before the func and info stores that follow.
    }

    protected void csdUnlock(Csd csd) {
        long flags = csd.flags.get();
        if ((flags & Csd.CSD_FLAG_LOCK) == 0) {
            m.warn(Property.P4, SMP_C, 370, "csd_unlock", List.of(), List.of("csd " + csd + " was not locked"));
        }
        // Release: everything the callback did is visible before the owner sees it unlocked.
        csd.flags.storeRelease(0);
        ghost.csdReleased(csd);
    }

    // ===================================================================== queueing

    protected void __smpCallSingleQueue(int cpu, Csd csd, String callsite) {
        if (m.tracing()) {
            // The type must be read before the enqueue: the target may clear the flags at once.
            SmpCallFunc func = csd.func.peek();
            m.trace("csd_queue_cpu", SmpTracepoints.csdQueueCpu(cpu, callsite, func.name(), csd.addr()));
        }
        // The llist operations make the entry visible to the target when it takes the list;
        // only the sender that made the list non-empty sends the IPI, the others rely on it.
        ghost.queued(csd, cpu);
        if (Llist.llistAdd(csd, callSingleQueue.on(cpu)))
            sendCallFunctionSingleIpi(cpu, callsite);
    }

    /** Insert a prepared CSD into the target's queue; the caller has pinned its CPU. */
    protected int genericExecSingle(int cpu, Csd csd) {
        if (cpu == m.smpProcessorId()) {
            SmpCallFunc func = csd.func.get();
            Object info = csd.info.get();
            // Unlock early even for the synchronous on-stack case: we are doing it ourselves.
            csdLockRecord(csd);
            csdUnlock(csd);
            boolean flags = m.localIrqSave();
            ghost.runsLocally(csd, cpu);
            csdDoFunc(func, info, null);
            csdLockRecord(null);
            m.localIrqRestore(flags);
            return 0;
        }
        if (cpu < 0 || cpu >= m.nrCpuIds() || !m.cpuOnline(cpu)) {
            csdUnlock(csd);
            return -ENXIO;
        }
        // The caller's pinning keeps this CPU's stopper away, so the online check above and
        // the enqueue below cannot straddle the target's dying flush.
        __smpCallSingleQueue(cpu, csd, "generic_exec_single");
        return 0;
    }

    /** The handler of the call-function IPIs. */
    public void genericSmpCallFunctionSingleInterrupt() {
        __flushSmpCallFunctionQueue(true);
    }

    protected void csdDoFunc(SmpCallFunc func, Object info, Csd csd) {
        long addr = csd == null ? 0 : csd.addr();
        Ghost.Run run = ghost.functionEntry(csd, m.rawSmpProcessorId());     // not in the C
        if (m.tracing()) m.trace("csd_function_entry", SmpTracepoints.csdFunctionEntry(func.name(), addr));
        func.call(info);
        if (m.tracing()) m.trace("csd_function_exit", SmpTracepoints.csdFunctionExit(func.name(), addr));
        ghost.functionExit(run);     // not in the C: only now has this CPU finished the function
    }

    /**
     * Run the callbacks queued to this CPU; irqs must be off. Synchronous ones first (their
     * senders are spinning), each unlocked after it ran; then the asynchronous ones, each
     * unlocked before it runs so that it may requeue itself.
     */
    protected void __flushSmpCallFunctionQueue(boolean warnCpuOffline) {
        int cpu = m.smpProcessorId();
        triggerBacktrace.on(cpu).storeRelease(1);   // waiters may send a backtrace NMI from now on
        RefCell<Csd> head = callSingleQueue.on(cpu);
        Csd entry = Llist.llistDelAll(head);
        entry = Llist.llistReverseOrder(entry);

        // An offline CPU should have nothing queued.
        // The function-static "warned" is the machine's once(): state a saved machine keeps.
        if (warnCpuOffline && !m.cpuOnline(cpu) && entry != null && m.once("__flush_smp_call_function_queue:warned")) {
            List<String> lines = new java.util.ArrayList<>();
            for (Csd csd = entry; csd != null; csd = csd.next.peek())
                lines.add("IPI callback " + Tracepoints.functionSymbol(csd.func.peek().name()) + " sent to offline CPU");
            m.warn(Property.P3, SMP_C, 516, "__flush_smp_call_function_queue",
                    List.of("IPI on offline CPU " + cpu), lines);
        }

        // First, the SYNC callbacks: their callers wait for them.
        Csd prev = null;
        for (Csd csd = entry, csdNext; csd != null; csd = csdNext) {
            csdNext = csd.next.get();
            if (Csd.type(csd.flags.get()) == Csd.CSD_TYPE_SYNC) {
                SmpCallFunc func = csd.func.get();
                Object info = csd.info.get();
                if (prev != null) prev.next.set(csdNext);
                else entry = csdNext;
                csdLockRecord(csd);
                csdDoFunc(func, info, csd);
                csdUnlock(csd);
                csdLockRecord(null);
            } else {
                prev = csd;
            }
        }
        if (entry == null) return;

        // Second, everything else (here: ASYNC).
        for (Csd csd = entry, csdNext; csd != null; csd = csdNext) {
            csdNext = csd.next.get();
            SmpCallFunc func = csd.func.get();
            Object info = csd.info.get();
            csdLockRecord(csd);
            csdUnlock(csd);
            csdDoFunc(func, info, csd);
            csdLockRecord(null);
        }
    }

    /** flush_smp_call_function_queue(): from task context (idle, migration). */
    public void flushSmpCallFunctionQueue() {
        if (callSingleQueue.on(m.rawSmpProcessorId()).readOnce() == null) return;
        boolean flags = m.localIrqSave();
        __flushSmpCallFunctionQueue(true);
        m.localIrqRestore(flags);
    }

    // ===================================================================== the single-target API

    /**
     * smp_call_function_single(): run {@code func} on {@code cpu}; with {@code wait}, return
     * after it ran. Pinned from start to end.
     */
    public int smpCallFunctionSingle(int cpu, SmpCallFunc func, Object info, boolean wait) {
        Storage frame = m.stackFrame("smp_call_function_single:csd_stack");
        Csd csdStack = m.built(() -> new Csd(m, frame, "csd_stack", -1, frame.addr(), Csd.CSD_FLAG_LOCK | Csd.CSD_TYPE_SYNC));
        // Keep the task here, and the target CPU from going away under us.
        int thisCpu = m.getCpu();
        // With irqs off this can deadlock against a CPU that calls us; a CPU that is not
        // online yet cannot be called, so it is allowed.
        if (m.cpuOnline(thisCpu) && m.irqsDisabled() && m.once("single:irqs"))
            m.warn(Property.P7, SMP_C, 675, "smp_call_function_single", List.of(), List.of());
        // From an interrupt we could interrupt our own enqueue-to-IPI window, or spin on a
        // per-CPU CSD that the interrupted context holds.
        if (!m.inTask() && m.once("single:in_task"))
            m.warn(Property.P7, SMP_C, 684, "smp_call_function_single", List.of(), List.of());
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
        Ghost.Call call = ghost.singleCall(func, wait, cpu);
        ghost.owns(csd, call);
        int err = genericExecSingle(cpu, csd);
        if (wait) csdLockWait(csd);
        ghost.callReturns(call, err);
        m.putCpu();
        m.popStack(frame);
        return err;
    }

    /**
     * smp_call_function_single_async(): queue a caller-owned CSD without waiting; -EBUSY if
     * the CSD is still in use.
     */
    public int smpCallFunctionSingleAsync(int cpu, Csd csd) {
        int err;
        m.preemptDisable();
        Ghost.Async async = ghost.asyncBegins(csd);
        if ((csd.flags.get() & Csd.CSD_FLAG_LOCK) != 0) {
            err = -EBUSY;
        } else {
            csd.flags.set(Csd.CSD_FLAG_LOCK);
            ghost.asyncTakes(async);
            // smp_wmb(): the lock before the enqueue.
            Ghost.Call call = ghost.singleCall(csd.func.peek(), false, cpu);
            ghost.owns(csd, call);
            err = genericExecSingle(cpu, csd);
            ghost.callReturns(call, err);
        }
        m.preemptEnable();
        ghost.asyncReturns(async, err);
        return err;
    }

    /**
     * smp_call_function_any(): run on this CPU if it is in {@code mask}, else on the nearest
     * online CPU of the mask (one node here: the first).
     */
    public int smpCallFunctionAny(Cpumask mask, SmpCallFunc func, Object info, boolean wait) {
        int cpu = m.getCpu();
        ghost.anyBegins(mask);
        if (!mask.testCpu(cpu)) cpu = schedNumaFindNthCpu(mask);
        int ret = smpCallFunctionSingle(cpu, func, info, wait);
        m.putCpu();
        return ret;
    }

    /** sched_numa_find_nth_cpu(mask, 0, node) on one node: the first online CPU of the mask. */
    protected int schedNumaFindNthCpu(Cpumask mask) {
        long online = mask.bits() & m.cpuOnlineMask().bits();
        return online == 0 ? m.nrCpuIds() : Long.numberOfTrailingZeros(online);
    }

    // ===================================================================== the many-target API

    /** The mask many_cond works and waits on; mainline has only the per-CPU one. */
    protected Cpumask smpTaskIpiMask(Task task) {
        return null;
    }

    /**
     * smp_call_function_many_cond(): queue {@code func} on every online CPU of {@code mask}
     * but this one (filtered by {@code condFunc}), send the IPIs, run it locally too with
     * SCF_RUN_LOCAL, and with SCF_WAIT wait for all. The caller has disabled preemption.
     */
    protected void smpCallFunctionManyCond(Cpumask mask, SmpCallFunc func, Object info, int scfFlags, SmpCondFunc condFunc) {
        long mark = m.historyMark();     // not in the C: where a stateful search may rewind this task's history to
        int thisCpu = m.smpProcessorId();
        boolean wait = (scfFlags & SCF_WAIT) != 0;
        boolean runRemote = false;
        CallFunctionData cfd = null;
        Cpumask cpumask = null;

        Ghost.Call call = ghost.callBegin(func, wait, ghost.manyTargets(mask, (scfFlags & SCF_RUN_LOCAL) != 0, condFunc));
        lockdepAssertPreemptionDisabled();
        // With irqs off this can deadlock against a CPU that calls us:
        // lockdep_assert_irqs_enabled() (CONFIG_PROVE_LOCKING), which WARNs once.
        if (m.cpuOnline(thisCpu) && m.irqsDisabled() && m.once("many:irqs"))
            m.warn(Property.P7, SMP_C, 816, "smp_call_function_many_cond", List.of(), List.of());
        // From an interrupt we could interrupt our own enqueue-to-IPI window.
        if (!m.inTask() && m.once("many:in_task"))
            m.warn(Property.P7, SMP_C, 824, "smp_call_function_many_cond", List.of(), List.of());

        // Any CPU but this one to run it on?
        if (cpumaskAnyAndBut(mask, thisCpu)) {
            cfd = m.thisCpuPtr(cfdData);
            cpumask = cfd.cpumask.get();
            cpumask.assign(mask.bits() & m.cpuOnlineMask().bits());   // cpumask_and()
            cpumask.__clearCpu(thisCpu);
            ghost.waitMaskBegin(cpumask);
            Cpumask ipi = cfd.cpumaskIpi.get();
            ipi.clear();
            ghost.scratchBegin(ipi);
            Queued q = smpCallFunctionManyQueue(cfd, cpumask, ipi, func, info, wait, condFunc, thisCpu, call);
            runRemote = q.runRemote();
            // The cheapest way to send: one IPI or a mask IPI. Zero is possible when the
            // mask changed under us.
            if (q.nrCpus() == 1) sendCallFunctionSingleIpi(q.lastCpu(), "smp_call_function_many_cond");
            else if (q.nrCpus() > 1) sendCallFunctionIpiMask(ipi, "smp_call_function_many_cond");
            ghost.scratchEnd(ipi);
        }

        // Local execution, after the remote CPUs are on their way.
        if ((scfFlags & SCF_RUN_LOCAL) != 0 && mask.testCpu(thisCpu) && (condFunc == null || condFunc.test(thisCpu, info))) {
            boolean flags = m.localIrqSave();
            ghost.runsLocally(call, thisCpu);
            csdDoFunc(func, info, null);
            m.localIrqRestore(flags);
        }

        if (runRemote && wait) smpCallFunctionManyWait(cfd, cpumask, thisCpu, mark);
        if (cpumask != null) ghost.waitMaskEnd(cpumask);
        ghost.callReturns(call);
        m.historyRewind(mark, RETURNED);     // not in the C: the call is over, how it went is forgotten
    }

    /**
     * The wait loop of smp_call_function_many_cond() (inline in the C): csd_lock_wait() on
     * the CSD of every CPU left in {@code cpumask}. A stateful search forgets, at each turn,
     * how the queueing went ({@code mark} is the function's start): only the CPUs left to
     * wait for matter, the rest is in memory.
     */
    protected void smpCallFunctionManyWait(CallFunctionData cfd, Cpumask cpumask, int thisCpu, long mark) {
        for (long todo = cpumask.bits(); todo != 0; todo &= todo - 1) {
            if (m.stateHashes()) m.historyRewind(mark, waitState(todo, thisCpu, cpumask));
            int cpu = Long.numberOfTrailingZeros(todo);
            Csd csd = cfd.csd.get().on(cpu);
            csdLockWait(csd);
        }
    }

    /** What a stateful search must remember of a caller in the wait loop. */
    private static long waitState(long todo, int thisCpu, Cpumask cpumask) {
        return StateHash.extend(StateHash.extend(todo, thisCpu), StateHash.of(cpumask));
    }

    /** The history a function leaves behind when it returns nothing. */
    protected static final long RETURNED = 0x7e7e7e7eL;

    /** What the queueing loop leaves for the dispatch. */
    protected record Queued(boolean runRemote, int nrCpus, int lastCpu) {}

    /**
     * The queueing loop of smp_call_function_many_cond() (inline in the C): for every CPU of
     * {@code cpumask} that {@code condFunc} accepts, take its CSD, fill it and enqueue it;
     * note in {@code ipi} each CPU whose queue this made non-empty. A rejected CPU leaves
     * {@code cpumask}, so that nobody waits for it.
     */
    protected Queued smpCallFunctionManyQueue(CallFunctionData cfd, Cpumask cpumask, Cpumask ipi, SmpCallFunc func,
                                              Object info, boolean wait, SmpCondFunc condFunc, int thisCpu, Ghost.Call call) {
        boolean runRemote = false;
        int nrCpus = 0;
        int lastCpu = -1;
        for (long todo = cpumask.bits(); todo != 0; todo &= todo - 1) {
            int cpu = Long.numberOfTrailingZeros(todo);
            Csd csd = cfd.csd.get().on(cpu);
            if (condFunc != null && !condFunc.test(cpu, info)) {
                cpumask.__clearCpu(cpu);
                continue;
            }
            runRemote = true;     // work is queued on a remote CPU
            csdLock(csd);
            if (wait) csd.flags.set(csd.flags.get() | Csd.CSD_TYPE_SYNC);
            csd.func.set(func);
            csd.info.set(info);
            if (SmpParams.csdlockDebug(config)) {
                csd.src.set(thisCpu);
                csd.dst.set(cpu);
            }
            ghost.owns(csd, call);
            if (m.tracing()) m.trace("csd_queue_cpu", SmpTracepoints.csdQueueCpu(cpu, "smp_call_function_many_cond", func.name(), csd.addr()));
            // Kick the remote CPU only if this made its queue non-empty.
            ghost.queued(csd, cpu);
            if (Llist.llistAdd(csd, callSingleQueue.on(cpu))) {
                ipi.__setCpu(cpu);
                nrCpus++;
                lastCpu = cpu;
            }
        }
        return new Queued(runRemote, nrCpus, lastCpu);
    }

    /** cpumask_any_and_but(mask, cpu_online_mask, this_cpu) < nr_cpu_ids */
    protected boolean cpumaskAnyAndBut(Cpumask mask, int but) {
        return (mask.bits() & m.cpuOnlineMask().bits() & ~(1L << but)) != 0;
    }

    /** lockdep_assert_preemption_disabled() */
    protected void lockdepAssertPreemptionDisabled() {
        if (m.current().preemptCount() == 0 && !m.irqsDisabled() && m.once("many:preempt"))
            m.warn(Property.P6, SMP_C, 806, "smp_call_function_many_cond",
                    List.of("lockdep_assert_preemption_disabled()"), List.of());
    }

    /**
     * smp_call_function_many(): run {@code func} on the other online CPUs of {@code mask}.
     * The caller must have disabled preemption.
     */
    public void smpCallFunctionMany(Cpumask mask, SmpCallFunc func, Object info, boolean wait) {
        smpCallFunctionManyCond(mask, func, info, wait ? SCF_WAIT : 0, null);
    }

    /** smp_call_function(): run {@code func} on every other online CPU. */
    public void smpCallFunction(SmpCallFunc func, Object info, boolean wait) {
        m.preemptDisable();
        smpCallFunctionMany(m.cpuOnlineMask(), func, info, wait);
        m.preemptEnable();
    }

    /**
     * on_each_cpu_cond_mask(): run {@code func} on the CPUs of {@code mask} for which
     * {@code condFunc} holds, this one included. Preemption is disabled here to keep CPUs
     * from going offline under us (not from coming online).
     */
    public void onEachCpuCondMask(SmpCondFunc condFunc, SmpCallFunc func, Object info, boolean wait, Cpumask mask) {
        int scfFlags = SCF_RUN_LOCAL;
        if (wait) scfFlags |= SCF_WAIT;
        m.preemptDisable();
        smpCallFunctionManyCond(mask, func, info, scfFlags, condFunc);
        m.preemptEnable();
    }

    /** on_each_cpu_mask(): the inline wrapper, without a condition. */
    public void onEachCpuMask(Cpumask mask, SmpCallFunc func, Object info, boolean wait) {
        onEachCpuCondMask(null, func, info, wait, mask);
    }

    /** on_each_cpu(): every online CPU. */
    public void onEachCpu(SmpCallFunc func, Object info, boolean wait) {
        onEachCpuCondMask(null, func, info, wait, m.cpuOnlineMask());
    }

    // ===================================================================== checks at the end

    /**
     * Every queued CSD has run. A queue left on an offline CPU was filled after its dying
     * flush (P3); one on an online CPU with no IPI pending lost its IPI (P2). A queue whose
     * IPI is pending but never taken is part of a hang, which the watchdog reports.
     */
    private void checkQueuesDrained() {
        for (int cpu = 0; cpu < m.nrCpuIds(); cpu++) {
            Csd first = callSingleQueue.on(cpu).peek();
            if (first == null) continue;
            var c = m.cpu(cpu);
            if (!c.online()) {
                if (ghost.reportedOffline(first)) continue;
                m.report(Property.P3, List.of(), "smpcall: " + first + " (" + first.func.peek().name()
                        + ") is queued on offline CPU " + cpu + " and never runs",
                        List.of("it was queued after the CPU's dying flush"));
            } else if (!c.pending(Vector.CALL_FUNCTION_SINGLE) && !c.pending(Vector.CALL_FUNCTION)) {
                m.report(Property.P2, List.of(), "smpcall: " + first + " (" + first.func.peek().name()
                        + ") is queued on CPU " + cpu + " and never runs", List.of("no IPI is pending for it: it was lost"));
            }
        }
    }

    /** A caller-owned CSD for smp_call_function_single_async() (INIT_CSD), in {@code storage}. */
    public Csd initCsd(Storage storage, String name, SmpCallFunc func, Object info) {
        Csd csd = m.built(() -> new Csd(m, storage, name, -1, storage.addr(), 0));
        csd.func.set(func);
        csd.info.set(info);
        return csd;
    }
}
