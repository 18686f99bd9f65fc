package smpcall.torture;

import java.util.ArrayDeque;
import java.util.List;
import java.util.SplittableRandom;

import smpcall.kernel.Mainline;
import smpcall.kernel.SmpCallFunc;
import smpcall.machine.Cell;
import smpcall.machine.Completion;
import smpcall.machine.Config;
import smpcall.machine.Machine;
import smpcall.kernel.Property;
import smpcall.machine.Storage;
import smpcall.machine.TaskSpec;
import smpcall.run.Scenario;

/**
 * kernel/scftorture.c on the model, with the torture framework's pieces it uses
 * (torture_onoff, stutter_wait, the shutdown kthread). Functions keep the C's names and order:
 * the invoker kthreads run {@link #scftortureInvokeOne} in a loop, the handlers check what
 * the caller set up, and a record ({@code struct scf_check}) lives in machine memory, so a
 * handler touching a freed record is caught by KASAN. The counters are scftorture's own; they
 * are read when the test ends and by the statistics kthread.
 *
 * <p>Line numbers in the WARNINGs are those of kernel/scftorture.c at torvalds/linux
 * 04cf85188601 (SCF-ml); the series' version moves them by a few lines.
 */
final class TortureWorkload implements Scenario {
    static final String FILE = "kernel/scftorture.c";
    static final int SCF_HANDLER_IN_LINE = 266, SCF_HANDLER_1_LINE = 305, INVOKE_ONE_OUT_LINE = 421,
            INVOKER_COND_RESCHED_LINE = 484;

    final TortureParams p;
    final Invoker invoker;
    private final Config config;
    final Counters counters;
    private Selector selector;
    private final TortureOnoff onoff = new TortureOnoff(this);

    /** Asked once per call an invoker makes (not in the C): shows progress, and true stops the test early (Ctrl-C). */
    private final java.util.function.BooleanSupplier stop;
    /** The test was stopped early by {@link #stop}. */
    boolean interrupted;

    TortureWorkload(TortureParams p, Invoker invoker, Config config, java.util.function.BooleanSupplier stop) {
        this.p = p;
        this.stop = stop;
        this.invoker = invoker;
        this.config = config;
        this.counters = new Counters(p.threads(), p.cpus());
    }

    @Override public String name() { return "scftorture"; }
    @Override public String description() { return "scftorture: every kind of cross-call from every CPU while CPUs go down and up"; }
    @Override public Config config() { return config; }

    // ---------------------------------------------------------------- the test's objects

    /** struct scf_check, in machine memory: what the caller set up, what the handler reports back. */
    private static final class ScfCheck {
        final Storage mem;
        final Cell in, out, cpu, waits, rpc;
        Completion completion;

        ScfCheck(Machine m) {
            mem = m.kmalloc("scf_check");
            in = m.cell(mem, "scfc_in", 0);
            out = m.cell(mem, "scfc_out", 0);
            cpu = m.cell(mem, "scfc_cpu", -1);
            waits = m.cell(mem, "scfc_wait", 0);
            rpc = m.cell(mem, "scfc_rpc", 0);
        }
    }

    private Machine m;
    private Mainline k;
    /** torture_random() state of each invoker, and the per-CPU scf_torture_rand of the handlers. */
    private SplittableRandom[] threadRand, cpuRand;
    /** The per-thread free lists of the handlers' records (scf_add_to_free_list()), drained by each invoker. */
    private ArrayDeque<ScfCheck>[] freeList;
    private SmpCallFunc scfHandler, scfHandler1, scfCleanupHandler;
    private boolean done;

    @Override
    @SuppressWarnings("unchecked")
    public void setUp(Machine m, Mainline k) {
        this.m = m;
        this.k = k;
        int n = p.threads();
        selector = new Selector(p, m.nrCpuIds());
        threadRand = new SplittableRandom[n];
        freeList = new ArrayDeque[n];
        for (int i = 0; i < n; i++) {
            threadRand[i] = new SplittableRandom(p.seed() * 1_000_003L + i);
            freeList[i] = new ArrayDeque<>();
        }
        cpuRand = new SplittableRandom[m.nrCpuIds()];
        for (int c = 0; c < cpuRand.length; c++) cpuRand[c] = new SplittableRandom(p.seed() * 7_000_003L + 1_000 + c);
        scfHandler = SmpCallFunc.of("scf_handler", info -> scfHandler((ScfCheck) info));
        scfHandler1 = SmpCallFunc.of("scf_handler_1", info -> scfHandler1((ScfCheck) info));
        scfCleanupHandler = SmpCallFunc.of("scf_cleanup_handler", info -> { });

        scfTortureInit();
    }

    /** scf_torture_init(): the parameters, the selection table, then the kthreads. */
    private void scfTortureInit() {
        m.printk(p.moduleParmsLine("Start of test", p.nthreads()));
        for (String line : selector.dump()) m.printk(line);
        Completion[] stopped = new Completion[p.threads()];
        for (int i = 0; i < p.threads(); i++) {
            int me = i;
            stopped[i] = m.completion("scftorture_invoker[" + i + "] stopped");
            int cpu = i % m.nrCpuIds();
            m.createTask(TaskSpec.normal("scftorture_invo", cpu, () -> {
                scftortureInvoker(me, cpu);
                stopped[me].complete();
            }).pinned());
        }
        Completion onoffStopped = p.onoffInterval() > 0 ? m.completion("torture_onoff stopped") : null;
        if (onoffStopped != null) {
            m.createTask(TaskSpec.normal("torture_onoff", 0, () -> {
                onoff.onoff();
                onoffStopped.complete();
            }));
        }
        if (p.statInterval() > 0) m.createTask(TaskSpec.normal("scf_torture_sta", 0, this::scfTortureStats));
        m.createTask(TaskSpec.normal("torture_shutdow", 0, () -> {
            m.sleepUntil(p.endNs());
            scfTortureCleanup(stopped, onoffStopped);
        }));
    }

    Machine machine() { return m; }

    /** torture_must_stop(): the shutdown time has come. */
    boolean mustStop() { return done || interrupted || now() >= p.endNs(); }

    // ---------------------------------------------------------------- scftorture.c

    /** scf_torture_stats(): the statistics line every stat_interval seconds. */
    private void scfTortureStats() {
        for (long next = p.statInterval() * TortureParams.NSEC_PER_SEC; next < p.endNs();
                next += p.statInterval() * TortureParams.NSEC_PER_SEC) {
            m.sleepUntil(next);
            if (done || interrupted) return;
            m.printk(counters.statsLine(false, onoff.stats()));
        }
    }

    /** scf_handler(): the caller's setup must be visible; a random delay; report back or free the record. */
    private void scfHandler(ScfCheck scfcp) {
        int cpu = m.rawSmpProcessorId();
        long r = cpuRand[cpu].nextLong() & 0xffffffffL;
        if (scfcp != null) {
            scfcp.out.writeOnce(0);    // For multiple receivers.
            if (scfcp.in.readOnce() == 0) {
                counters.nMbInErrs++;
                if (m.once("scf_handler in")) m.warn(Property.P1, FILE, SCF_HANDLER_IN_LINE, "scf_handler", List.of(), List.of());
            }
        }
        counters.invoked[cpu]++;       // this_cpu_inc(scf_invoked_count)
        delay:
        {
            if (p.longwait() <= 0 && (r & 0xffc0) == 0) {
                m.delay((r & 0x3f) * 1000);
                break delay;
            }
            if ((r & 0xfff) != 0) break delay;
            r >>>= 12;
            if (p.longwait() <= 0) {
                m.delay(((r & 0xff) + 1) * 1000);
                break delay;
            }
            m.delay((r % p.longwait() + 1) * TortureParams.NSEC_PER_SEC);
        }
        if (scfcp == null) return;
        if (scfcp.waits.get() != 0) {
            scfcp.out.writeOnce(1);
            if (scfcp.rpc.get() != 0) scfcp.completion.complete();
        } else {
            freeList[m.rawSmpProcessorId() % p.threads()].add(scfcp);     // scf_add_to_free_list()
        }
    }

    /** scf_handler_1(): a single call must run on the CPU it named. */
    private void scfHandler1(ScfCheck scfcp) {
        if (scfcp != null) {
            int wanted = (int) scfcp.cpu.get();
            int got = m.smpProcessorId();
            if (got != wanted) {
                counters.nErrs++;
                if (m.once("scf_handler_1 cpu"))
                    m.warn(Property.P1, FILE, SCF_HANDLER_1_LINE, "scf_handler_1",
                            List.of("scf_handler_1: Wanted CPU " + wanted + " got CPU " + got), List.of());
            }
        }
        scfHandler(scfcp);
    }

    /** scf_cleanup_free_list(): free what the handlers left for this thread. */
    private void scfCleanupFreeList(int thread) {
        for (ScfCheck c; (c = freeList[thread].poll()) != null; ) m.kfree(c.mem);
    }

    /** The hotplug exclusion around a call: cpus_read_lock(), preempt_disable() (mainline's invoker), or nothing. */
    private void exclude() {
        if (p.useCpusReadLock()) m.hotplug().cpusReadLock();
        else if (invoker.preemptDisables()) m.preemptDisable();
    }

    private void unexclude() {
        if (p.useCpusReadLock()) m.hotplug().cpusReadUnlock();
        else if (invoker.preemptDisables()) m.preemptEnable();
    }

    /** scftorture_invoke_one(): one randomly chosen call, with its checks. */
    private void scftortureInvokeOne(int thread) {
        Counters.Thread scfp = counters.threads[thread];
        SplittableRandom trsp = threadRand[thread];
        Selector.Row scfsp = selector.pick(trsp.nextLong() & 0xffffffffL);
        ScfCheck scfcp = null;
        if (scfsp.prim() == Selector.Prim.SINGLE || scfsp.waits()) {
            scfcp = new ScfCheck(m);
            scfcp.cpu.set(-1);
            scfcp.waits.set(scfsp.waits() ? 1 : 0);
            scfcp.out.set(0);
            scfcp.rpc.set(0);
        }
        exclude();
        int nrCpuIds = m.nrCpuIds();
        switch (scfsp.prim()) {
            case RESCHED -> {
                int cpu = (int) Long.remainderUnsigned(trsp.nextLong(), nrCpuIds);
                scfp.nResched++;
                m.reschedCpu(cpu);
                counters.invoked[m.rawSmpProcessorId()]++;
            }
            case SINGLE -> {
                int cpu = (int) Long.remainderUnsigned(trsp.nextLong(), nrCpuIds);
                if (scfsp.waits()) scfp.nSingleWait++;
                else scfp.nSingle++;
                scfcp.cpu.set(cpu);
                scfcp.in.set(1);
                int ret = k.smpCallFunctionSingle(cpu, scfHandler1, scfcp, scfsp.waits());
                if (ret != 0) {
                    if (scfsp.waits()) scfp.nSingleWaitOfl++;
                    else scfp.nSingleOfl++;
                    m.kfree(scfcp.mem);
                    scfcp = null;
                }
            }
            case SINGLE_RPC -> {
                int cpu = (int) Long.remainderUnsigned(trsp.nextLong(), nrCpuIds);
                scfp.nSingleRpc++;
                scfcp.cpu.set(cpu);
                scfcp.waits.set(1);
                scfcp.completion = m.completion("scf_check.scfc_completion");
                scfcp.rpc.set(1);
                scfcp.in.set(1);
                int ret = k.smpCallFunctionSingle(cpu, scfHandler1, scfcp, false);
                if (ret == 0) {
                    unexclude();
                    scfcp.completion.waitFor();
                    exclude();
                } else {
                    scfp.nSingleRpcOfl++;
                    m.kfree(scfcp.mem);
                    scfcp = null;
                }
            }
            case MANY -> {
                if (scfsp.waits()) scfp.nManyWait++;
                else scfp.nMany++;
                if (scfcp != null) scfcp.in.set(1);
                k.smpCallFunctionMany(m.cpuOnlineMask(), scfHandler, scfcp, scfsp.waits());
            }
            case ALL -> {
                if (scfsp.waits()) scfp.nAllWait++;
                else scfp.nAll++;
                if (scfcp != null) scfcp.in.set(1);
                k.smpCallFunction(scfHandler, scfcp, scfsp.waits());
            }
        }
        if (scfcp != null && scfsp.waits()) {
            int online = Long.bitCount(m.cpuOnlineMask().bits());     // num_online_cpus()
            if (invoker.outChecked(p.useCpusReadLock(), online, scfsp.prim()) && scfcp.out.get() == 0) {
                counters.nMbOutErrs++;      // Leak rather than trash!
                if (m.once("scftorture_invoke_one out"))
                    m.warn(Property.P1, FILE, INVOKE_ONE_OUT_LINE, "scftorture_invoke_one", List.of(),
                            List.of("scftorture_invoke_one: Memory-ordering failure, scfs_prim: " + scfsp.prim().ordinal() + "."));
            } else {
                m.kfree(scfcp.mem);
            }
        }
        unexclude();
        if ((trsp.nextLong() & 0xfff) == 0) m.sleepUntil(now() + TortureParams.NSEC_PER_JIFFY);   // schedule_timeout_uninterruptible(1)
    }

    /** The current CPU's virtual time. */
    long now() { return m.clock().now(m.current().cpu()); }

    /** scftorture_invoker(): the holdoff, then calls until the test ends. */
    private void scftortureInvoker(int thread, int cpu) {
        if (p.holdoff() > 0) m.sleepUntil(p.holdoff() * TortureParams.NSEC_PER_SEC);
        do {
            if (stop.getAsBoolean()) interrupted = true;
            scfCleanupFreeList(thread);
            scftortureInvokeOne(thread);
            while (!m.cpuOnline(cpu) && !mustStop()) {
                // schedule_timeout_interruptible(HZ / 5), cut short by kthread_stop() at the end;
                // then set_cpus_allowed_ptr(): the machine never broke the task's affinity, so
                // the wakeup brings it home.
                m.sleepUntil(Math.min(now() + TortureParams.NSEC_PER_SEC / 5, p.endNs()));
            }
            m.condResched(FILE, INVOKER_COND_RESCHED_LINE);
            stutterWait();
        } while (!mustStop());
    }

    /**
     * stutter_wait(): the torture framework halts the test for {@code stutter} jiffies after
     * each {@code stutter} jiffies of running; here as a schedule in time rather than a kthread.
     */
    private void stutterWait() {
        if (p.stutter() <= 0) return;
        long period = 2L * p.stutter() * TortureParams.NSEC_PER_JIFFY;
        long t = now();
        if (t % period >= period / 2) m.sleepUntil(Math.min(t - t % period + period, p.endNs()));
    }

    /**
     * scf_torture_cleanup(): stop the kthreads, flush the handlers with one last call to every
     * CPU, print the final statistics and the end-of-test line. The C waits for that call
     * (wait=1) in the free-list versions.
     */
    private void scfTortureCleanup(Completion[] invokers, Completion onoffStopped) {
        done = true;
        for (Completion c : invokers) c.waitFor();
        if (onoffStopped != null) onoffStopped.waitFor();
        k.smpCallFunction(scfCleanupHandler, null, true);
        m.printk(counters.statsLine(true, onoff.stats()));
        for (int i = 0; i < p.threads(); i++) scfCleanupFreeList(i);
        counters.finished = true;
        counters.lockHotplug = onoff.failures();
        m.printk(p.moduleParmsLine("End of test: " + counters.verdict(), p.threads()));
    }
}
