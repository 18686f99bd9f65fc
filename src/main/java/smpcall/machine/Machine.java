package smpcall.machine;

import java.util.ArrayList;
import java.util.List;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;
import java.util.function.IntFunction;

/**
 * The virtual SMP machine. Model code (the kernel package) runs on it as plain Java: each
 * task on its own virtual thread, exactly one at a time. The machine gives it what the
 * kernel gives kernel/smp.c: memory with access kinds, per-CPU variables, preemption and irq
 * control, IPIs, a scheduler, CPU hotplug, a trace and the debug checks. Every shared access
 * is a scheduling point where the {@link Chooser} decides what happens next.
 *
 * <p>Build one per run: create it, let the kernel model boot on it, add the scenario's
 * tasks, then {@link #run()}.
 */
public final class Machine {
    final Config config;
    final Chooser chooser;
    final Clock clock;
    final Trace trace;
    final Cpu[] cpus;
    final List<Task> tasks = new ArrayList<>(16);
    final Exec exec;
    /** Not in the C: with a search that restores states, the old contents of what changed since a saved state; else null. */
    final Trail trail;
    final Sched sched;
    final Debug debug;
    final Hotplug hotplug;
    final Enabled enabled;
    final Cpumask onlineMask;
    final Storage kernelData;
    int nextLocationId;
    /** Sum over all cells of (cell, value), kept up to date at every write (StateHash). */
    long memHash;
    /** Whether the chooser wants state hashes (an explorer that prunes seen states). */
    final boolean stateHashes;
    private long onceHash;
    private final List<java.util.function.LongSupplier> stateParts = new ArrayList<>();
    /** Not in the C: what a Snapshot saves: every location, storage and completion, and the model's state beside memory. */
    final List<Location> locations = new ArrayList<>(256);
    final List<Storage> storages = new ArrayList<>(64);
    final List<Completion> completions = new ArrayList<>(4);
    final List<Restorable> restorables = new ArrayList<>(2);
    boolean stopOnFinding;
    private long nextAddr = 0x1000;
    private int nextPid = 100;
    private final Cell[] apic;
    private final Runnable[] irqHandlers = new Runnable[Vector.ALL.length];
    /** When each vector was last raised on each CPU: [cpu * vectors + vector]. */
    private final long[] raisedAt;
    /** A wake timer: the task it wakes, and when (PER_CPU timing; any time in GLOBAL). */
    record Timer(Task task, long expiresNs) {}

    /** Per CPU: the wake timers armed there (null until one is). */
    final List<Timer>[] timers;
    private final Runnable[] stopWork;
    private final Task[] deadWaiter;
    private final List<Consumer<Task>> forkHooks = new ArrayList<>();
    private final List<Runnable> quiescenceChecks = new ArrayList<>();
    private RunResult.End end;
    /** Why a replay stopped fitting its recording (with End.DIVERGED). */
    private String divergence;
    private final List<String> console = new ArrayList<>();

    private static final String[] SWAPPER = new String[64];

    static {
        for (int c = 0; c < SWAPPER.length; c++) SWAPPER[c] = "swapper/" + c;
    }

    public Machine(Config config, Chooser chooser, Clock.Mode timing, boolean tracing) {
        this.config = config;
        this.chooser = chooser;
        this.clock = new Clock(timing, config.nrCpus());
        this.trace = new Trace(tracing);
        this.exec = new Exec(this);
        this.trail = exec.explorer != null ? new Trail() : null;
        this.exec.moves.earliestOnly = chooser.earliestOnly();
        this.stateHashes = chooser.stateHashes();
        this.sched = new Sched(this);
        this.debug = new Debug(this);
        int n = config.nrCpus();
        this.cpus = new Cpu[n];
        this.apic = new Cell[n];
        this.raisedAt = new long[n * Vector.ALL.length];
        this.stopWork = new Runnable[n];
        @SuppressWarnings("unchecked") List<Timer>[] t = new List[n];
        this.timers = t;
        this.deadWaiter = new Task[n];
        this.kernelData = staticData(".data");
        this.onlineMask = cpumask(kernelData, "cpu_online_mask");
        onlineMask.cell().value = n == 64 ? -1L : (1L << n) - 1;
        for (int c = 0; c < n; c++) {
            Cpu cpu = cpus[c] = new Cpu(c);
            apic[c] = cell(kernelData, "apic", c, null, 0);
            apic[c].global = true;
            cpu.idle = newTask(new TaskSpec(SWAPPER[c], c, Task.SchedClass.IDLE, 120, 1L << c, true, false, true,
                    () -> idleLoop(cpu)), 0);
            cpu.idle.daemon = true;
            cpu.idle.state = Task.State.RUNNING;
            // The idle task starts where its loop waits: only need_resched lets it move.
            cpu.idle.nextKind = Access.RESUME;
            cpu.idle.nextAwait = cpu.idle.startAwait = () -> cpu.needResched;
            cpu.curr = cpu.idle;
        }
        this.hotplug = new Hotplug(this);
        this.enabled = new Enabled(this);
        if (timing == Clock.Mode.PER_CPU && config.tickNs() > 0) {
            nextTick = new long[n];
            java.util.Arrays.fill(nextTick, config.tickNs());
        }
        irqHandlers[Vector.LOCAL_TIMER.ordinal()] = () -> timerInterrupt(exec.running.cpu);
        irqHandlers[Vector.RESCHEDULE.ordinal()] = () -> { };   // scheduler_ipi(): need_resched is already set
    }

    public Config config() { return config; }
    public Hotplug hotplug() { return hotplug; }
    public Clock clock() { return clock; }
    public int nrCpuIds() { return cpus.length; }
    public Cpu cpu(int id) { return cpus[id]; }
    public List<Task> tasks() { return List.copyOf(tasks); }
    public List<Finding> findings() { return List.copyOf(debug.findings); }
    public long steps() { return exec.steps; }

    /** End the run at the first finding (the checker's mode) instead of running on. */
    public void stopOnFirstFinding(boolean on) { stopOnFinding = on; }

    /**
     * Keeps no record of the moves: for long runs that are reproduced from their seed (the
     * lab, torture), whose records would grow with every step. Their RunResult has no moves.
     */
    public void recordNoMoves() { exec.recording = false; }

    /** What each of the machine's own checks is called in the findings (by default: itself). */
    java.util.function.Function<Check, Finding.Tag> checkNames = c -> c;

    /**
     * Names the machine's own checks after the properties of the model above they stand for
     * (a hang is progress, KASAN memory safety), so every finding carries one vocabulary.
     */
    public void nameChecks(java.util.function.Function<Check, Finding.Tag> names) { checkNames = names; }

    /**
     * Only findings {@code keep} accepts count (are returned, end a run that stops on its
     * first finding); the others are still printed into the kernel log, as the kernel would.
     */
    public void keepFindings(java.util.function.Predicate<Finding> keep) { debug.keep = keep; }

    // ======================================================================== tasks

    /**
     * Some task has a migration budget above 0 (the idle tasks get the configuration's):
     * without one, no migration is ever enabled.
     */
    boolean mayMigrate;

    /** Creates a task; unless it is the boot task, the fork hooks (dup_task_struct) see it. */
    public Task createTask(TaskSpec spec) {
        if (exec.replaysObjects()) return exec.handed(null);
        Task t = exec.handed(newTask(spec, nextPid++));
        if (!spec.boot()) for (Consumer<Task> hook : forkHooks) hook.accept(t);
        if (spec.sleeping()) {
            t.state = Task.State.SLEEPING;
            t.sleepReason = "S";
        } else {
            sched.enqueue(cpus[t.cpu], t, false);
            sched.checkPreemptCurr(cpus[t.cpu], t);
        }
        return t;
    }

    private Task newTask(TaskSpec s, int pid) {
        Task t = new Task(this, s.comm(), pid, s.cls(), s.prio(), s.allowed(), s.cpu(), s.boot(), s.body());
        if (s.sleeping()) t.state = Task.State.SLEEPING;
        t.stays = s.stays();
        t.maxPreemptions = s.maxPreemptions() >= 0 ? s.maxPreemptions() : config.maxPreemptions();
        t.maxMigrations = s.maxMigrations() >= 0 ? s.maxMigrations() : config.maxMigrations();
        if (t.maxMigrations > 0) mayMigrate = true;
        t.index = tasks.size();
        tasks.add(t);
        return t;
    }

    /** A hook run for every task created through fork, as dup_task_struct() would. */
    public void onFork(Consumer<Task> hook) { forkHooks.add(hook); }

    /** A check run when nothing can move any more (it must not make accesses: use peek). */
    public void atQuiescence(Runnable check) { quiescenceChecks.add(check); }

    public Task current() { return exec.running; }

    int runningCpu() {
        return exec.running == exec.driver ? 0 : exec.running.cpu;
    }

    // ======================================================================== memory

    private long nextAddr() {
        long a = nextAddr;
        nextAddr += 0x400;
        return a;
    }

    public Storage kmalloc(String name) { return storage(name, -1, null, Storage.Kind.SLAB); }
    public Storage staticData(String name) { return storage(name, -1, null, Storage.Kind.STATIC); }
    public Storage stackFrame(String name) { return storage(name, -1, null, Storage.Kind.STACK); }

    /** alloc_percpu() storage named {@code base[index]field}. */
    public Storage allocPercpu(String base, int index, String field) {
        return storage(base, index, field, Storage.Kind.PERCPU);
    }

    /** kmalloc() storage named {@code base[index]field}. */
    public Storage kmalloc(String base, int index, String field) {
        return storage(base, index, field, Storage.Kind.SLAB);
    }

    private Storage storage(String base, int index, String field, Storage.Kind kind) {
        return made(() -> {
            Storage s = new Storage(base, index, field, kind, nextAddr());
            storages.add(s);
            return s;
        });
    }

    /**
     * Not in the C: an object made while tasks run, made the first time only; a task's code
     * run again to rebuild it (a search that restores states) gets the very same one back.
     */
    private <T> T made(java.util.function.Supplier<T> make) {
        return exec.handed(exec.replaysObjects() ? null : make.get());
    }

    /**
     * Not in the C: an object the model builds on machine storage while tasks run (a CSD on
     * a stack frame). A search that restores states runs a task's code again to rebuild it;
     * that code must get back the very object it built the first time, since memory and the
     * ghost state refer to it, so {@code make} runs only the first time.
     */
    public <T> T built(java.util.function.Supplier<T> make) { return made(() -> unrecorded(make)); }

    /**
     * Not in the C: checker code on a task's stack that keeps ghost state or reports (a
     * property's hook). It runs the first time only: a task's code run again to rebuild it
     * skips it, since what it keeps is put back with the saved state, and what it peeks at
     * is not the task's.
     */
    public void ghost(Runnable hook) {
        if (!exec.replaysObjects()) unrecorded(() -> {
            hook.run();
            return null;
        });
    }

    /** Runs {@code make} outside the task's record (what it is handed and peeks at is not the task's), as a hook that may change the restorables. */
    private <T> T unrecorded(java.util.function.Supplier<T> make) {
        partsChanged();
        exec.building++;
        try {
            return make.get();
        } finally {
            exec.building--;
        }
    }

    /** kfree() / free_percpu(): any later access to the storage is a use-after-free. */
    public void kfree(Storage s) {
        if (!s.freed && stateHashes) memHash ^= StateHash.mix(~s.addr);
        s.freed = true;
        s.freedBy = Symbols.callerInModel() + " (" + exec.running.comm + "/" + exec.running.pid + ")";
        if (onFree != null) onFree.accept(s);
    }

    /** The function that owns a stack frame returns. */
    public void popStack(Storage s) {
        if (!s.freed && stateHashes) memHash ^= StateHash.mix(~s.addr);
        s.freed = true;
        s.freedBy = "return of the frame's function";
        if (onFree != null) onFree.accept(s);
    }

    private Consumer<Storage> onFree;

    /** Told of every storage freed or popped (one listener: the ghost, which forgets what lived there). */
    public void onFree(Consumer<Storage> listener) { onFree = listener; }

    public Cell cell(Storage s, String name, long initial) { return cell(s, name, -1, null, initial); }
    public <T> RefCell<T> ref(Storage s, String name, T initial) { return ref(s, name, -1, null, initial); }
    public Cpumask cpumask(Storage s, String name) { return built(() -> new Cpumask(cell(s, name, 0))); }

    /** A cell named {@code base[index]field} (index -1: none), the name built only when shown. */
    public Cell cell(Storage s, String base, int index, String field, long initial) {
        return made(() -> new Cell(this, s, base, index, field, initial));
    }

    public <T> RefCell<T> ref(Storage s, String base, int index, String field, T initial) {
        return made(() -> new RefCell<>(this, s, base, index, field, initial));
    }
    public <T> PerCpu<T> perCpu(String name, IntFunction<T> init) { return new PerCpu<>(name, cpus.length, init); }

    /** The scheduling point before every access; used by the cells. */
    void access(Location loc, Access kind, BooleanSupplier await) { exec.point(loc, kind, await); }

    // ======================================================================== context

    /**
     * Not in the C: a point where the C could be preempted, and migrated, between two
     * instructions but no access gives the machine one: right before the running task pins
     * itself to its CPU (preempt_disable(), get_cpu(), local_irq_save(), local_irq_disable())
     * and right before it reads which CPU it is on (smp_processor_id(), this_cpu_ptr()), so
     * that "read something CPU-dependent, be moved, then pin" is explored. Offered only
     * while the task is preemptible under CONFIG_PREEMPTION and only if its code did
     * something since its last point (else the two points are one). Right after it unpins
     * (preempt_enable(), put_cpu(), local_irq_restore()) no point is needed: until the next
     * access, pin or CPU read the task computes only on its locals, so being preempted there
     * or at that next point leads to the same states (docs/checker.md).
     */
    private void preemptiblePoint() {
        Task t = exec.running;
        if (exec.decided(config.preemption() && mayBePreemptedHere(t) && t.progressed)) exec.point(null, Access.PREEMPTIBLE, null);
    }

    /** A task of a run that has started, not the driver or an idle task, and preemptible now. */
    private boolean mayBePreemptedHere(Task t) {
        return exec.started && t != exec.driver && !t.isIdle() && sched.preemptible(cpus[t.cpu]);
    }

    /** smp_processor_id(): with DEBUG_PREEMPT, complains when called preemptible. */
    public int smpProcessorId() {
        preemptiblePoint();
        debug.checkPreemptionDisabled("smp_processor_id");
        return (int) exec.observe(exec.running.cpu);
    }

    public int rawSmpProcessorId() {
        preemptiblePoint();
        return (int) exec.observe(exec.running.cpu);
    }

    /** this_cpu_ptr(): this CPU's instance; the same DEBUG_PREEMPT check. */
    public <T> T thisCpuPtr(PerCpu<T> var) {
        preemptiblePoint();
        debug.checkPreemptionDisabled("smp_processor_id");
        return var.on((int) exec.observe(exec.running.cpu));
    }

    public void preemptDisable() {
        preemptiblePoint();
        exec.running.preemptCount++;
        preemptibility(cpus[exec.running.cpu]);
    }

    /** Told of each section in which a CPU's task could not be preempted (preempt count or irqs off). */
    @FunctionalInterface
    public interface PreemptOffListener {
        void section(int cpu, String comm, long startNs, long endNs);
    }

    private PreemptOffListener preemptOff;
    private long[] offSince;

    public void onPreemptOff(PreemptOffListener listener) {
        this.preemptOff = listener;
        this.offSince = new long[cpus.length];
        java.util.Arrays.fill(offSince, -1);
    }

    /** Notes where a CPU's task becomes, or stops being, impossible to preempt. */
    void preemptibility(Cpu c) {
        if (!c.irqsDisabled) c.irqsOffSinceNs = -1;
        else if (c.irqsOffSinceNs < 0) {
            c.irqsOffSinceNs = clock.now(c.id);
            c.irqsOffSinceStep = exec.steps;
        }
        if (trace.enabled() && exec.started)
            trace.context(c.id, clock.now(c.id), !c.curr.isIdle() && c.curr.preemptCount > 0, c.irqsDisabled, c.hardirq > 0);
        if (preemptOff == null) return;
        Task t = c.curr;
        boolean off = !t.isIdle() && (t.preemptCount != 0 || c.irqsDisabled);
        long now = clock.now(c.id);
        if (off && offSince[c.id] < 0) {
            offSince[c.id] = now;
        } else if (!off && offSince[c.id] >= 0) {
            preemptOff.section(c.id, t.comm, offSince[c.id], now);
            offSince[c.id] = -1;
        }
    }

    /** preempt_enable(): a preemption point when the count drops to zero. */
    public void preemptEnable() {
        Task t = exec.running;
        if (exec.decided(t.preemptCount == 0 && config.debugPreempt())) {
            // preempt_count_sub() with CONFIG_DEBUG_PREEMPT warns and does not subtract;
            // without it the count goes negative and the task is atomic from then on.
            debug.preemptCountUnderflow();
            return;
        }
        if (exec.decided(--t.preemptCount == 0)) {
            Cpu c = cpus[t.cpu];
            preemptibility(c);
            if (exec.decided(c.needResched && config.preemption() && sched.preemptible(c) && !t.isIdle())) {
                sched.preempt(c);
                exec.waitUntilRunning(t);
            }
        }
    }

    /** get_cpu(): preempt_disable() and this CPU's id. */
    public int getCpu() {
        preemptDisable();
        return (int) exec.observe(exec.running.cpu);
    }

    /** put_cpu(): preempt_enable(). */
    public void putCpu() { preemptEnable(); }

    public boolean localIrqSave() {
        preemptiblePoint();
        Cpu c = cpus[exec.running.cpu];
        boolean was = c.irqsDisabled;
        c.irqsDisabled = true;
        preemptibility(c);
        return exec.observe(was ? 1 : 0) != 0;      // the recorded answer when the code runs again
    }

    public void localIrqRestore(boolean flags) { setIrqs(flags); }
    public void localIrqDisable() {
        preemptiblePoint();
        setIrqs(true);
    }

    public void localIrqEnable() { setIrqs(false); }

    private void setIrqs(boolean disabled) {
        Cpu c = cpus[exec.running.cpu];
        c.irqsDisabled = disabled;
        preemptibility(c);
    }
    public boolean irqsDisabled() { return exec.observe(cpus[exec.running.cpu].irqsDisabled ? 1 : 0) != 0; }

    /** in_task(): not in hard or soft interrupt context. */
    public boolean inTask() { return exec.observe(cpus[exec.running.cpu].hardirq == 0 ? 1 : 0) != 0; }

    /** cpu_online(): a load of cpu_online_mask. */
    public boolean cpuOnline(int cpu) { return cpu >= 0 && cpu < cpus.length && onlineMask.testCpu(cpu); }

    public Cpumask cpuOnlineMask() { return onlineMask; }

    /**
     * Burn {@code ns} of virtual time on this CPU (udelay, a callback's work). For checking
     * it is one step; in PER_CPU timing the CPU spins until its clock gets there, so that an
     * interrupt due meanwhile is taken on time (when irqs are on).
     */
    public void delay(long ns) {
        if (clock.mode == Clock.Mode.PER_CPU && exec.started) {     // not in a checking run, which alone restores states
            exec.timedPoint(null, () -> false, clock.now(exec.running.cpu) + ns);
            return;
        }
        exec.point(null, Access.LOCAL, null);
        clock.advance(exec.running.cpu, ns);
    }

    /**
     * A step before the running code changes what other CPUs can do (wakes tasks elsewhere,
     * takes a CPU in or out): for partial-order reduction it depends on every move.
     */
    void schedPoint() {
        enabled.allDirty();
        exec.point(null, Access.SCHED, null);
    }

    /**
     * cond_resched() called at {@code file:line}: __might_resched() checks that the caller may
     * sleep, then schedule() if need_resched is set. Without CONFIG_PREEMPTION this is where a
     * task gives way: the scheduler tick sets need_resched on a busy CPU at any moment, so in
     * checking (which has no tick) the machine offers a preemption here, within the task's
     * budget of preemptions at will; in the lab's timing the tick sets it.
     */
    public void condResched(String file, int line) {
        debug.mightSleep(file, line);
        Task t = exec.running;
        if (exec.decided(!config.preemption() && mayBePreemptedHere(t))) {
            t.atCondResched = true;      // the move that brought the task here left its CPU's moves to be recomputed
            exec.point(null, Access.PREEMPTIBLE, null);
            t.atCondResched = false;
        }
        Cpu c = cpus[t.cpu];
        if (exec.decided(c.needResched && t.preemptCount == 0 && !c.irqsDisabled)) {
            sched.schedule(c, false);
            exec.waitUntilRunning(t);
        }
    }

    /**
     * resched_cpu(): make {@code cpu} reschedule, if it is online or the caller's own; a remote
     * CPU learns it from the reschedule IPI.
     */
    public void reschedCpu(int cpu) {
        Task self = exec.running;
        if (!cpuOnline(cpu) && exec.decided(cpu != self.cpu)) return;
        if (exec.decided(cpu != self.cpu)) sendIpi(cpu, Vector.RESCHEDULE);
        else schedPoint();
        enabled.dirty(cpu);
        cpus[cpu].needResched = true;
    }

    /** A data choice of the scenario: one of {@code n} alternatives, recorded like any move. */
    public int choose(int n) { return exec.chooseData(n); }

    /**
     * For a stateful search, where a function begins: the current task's history, to which
     * {@link #historyRewind} may later go back. Costs nothing otherwise.
     */
    public long historyMark() { return stateHashes ? exec.mark() : 0; }

    /** Whether a stateful search is hashing states (so that the model computes what it rewinds to only then). */
    public boolean stateHashes() { return stateHashes; }

    /**
     * Inside or at the end of the function that took {@code mark}: the model asserts that
     * what the task does next depends only on how the function was called and on
     * {@code live} (a hash of the locals it still uses; see {@link StateHash#extend}), besides
     * memory, the scheduler and the ghost state. The steps the function took since are then
     * forgotten, so that runs that got here by different interleavings meet in one state.
     */
    public void historyRewind(long mark, long live) { exec.rewind(mark, live); }

    public Completion completion(String name) {
        return built(() -> {
            Cell done = cell(kernelData, name, 0);
            done.global = true;     // complete() wakes a task: it affects the scheduler
            Completion c = new Completion(this, done);
            completions.add(c);
            return c;
        });
    }

    // ======================================================================== interrupts

    /** request_irq() for a vector: the handler runs on the target CPU with irqs off. */
    public void requestIrq(Vector v, Runnable handler) { irqHandlers[v.ordinal()] = handler; }

    Runnable irqHandler(Vector v) { return irqHandlers[v.ordinal()]; }

    long raisedAt(int cpu, Vector v) { return raisedAt[cpu * Vector.ALL.length + v.ordinal()]; }

    /** Sends {@code v} to {@code cpu} (a write to its local APIC); an offline CPU never sees it. */
    public void sendIpi(int cpu, Vector v) {
        exec.ipiPoint(apic[cpu], 1L << cpu);
        raise(cpu, v);
    }

    /** One IPI to every CPU in {@code mask}: a single step, as one ICR write with a shorthand. */
    public void sendIpiMask(long mask, Vector v) {
        exec.ipiPoint(apic[Long.numberOfTrailingZeros(mask)], mask);
        for (long b = mask; b != 0; b &= b - 1) raise(Long.numberOfTrailingZeros(b), v);
    }

    private void raise(int cpu, Vector v) {
        enabled.dirty(cpu);
        if (cpus[cpu].state == Cpu.State.OFFLINE) return;
        cpus[cpu].pending |= v.bit();
        raisedAt[cpu * Vector.ALL.length + v.ordinal()] = clock.now(runningCpu());
    }

    /**
     * Arms a timer on the task's CPU that wakes it. In GLOBAL timing the timer may fire at
     * any moment (the interleavings cover every wakeup time); in PER_CPU timing at
     * {@code expiresNs}, once the CPU has interrupts on.
     */
    public void armWakeTimer(Task t, long expiresNs) {
        if (enabled != null) enabled.dirty(t.cpu);
        if (timers[t.cpu] == null) timers[t.cpu] = new ArrayList<>(4);
        timers[t.cpu].add(new Timer(t, expiresNs));
    }

    /** hrtimer sleep: the current task sleeps until {@code expiresNs} of virtual time. */
    public void sleepUntil(long expiresNs) {
        Task self = exec.running;
        armWakeTimer(self, expiresNs);
        sched.block(self, "S");
    }

    /** Per CPU: when the next scheduler tick is due (PER_CPU timing with a tick only). */
    private long[] nextTick;

    /**
     * When the scheduler tick next fires on {@code cpu}, or Long.MAX_VALUE: never in GLOBAL
     * timing or without a tick, and not while the CPU idles (NO_HZ).
     */
    long nextTick(int cpu) {
        if (nextTick == null || cpus[cpu].curr.isIdle()) return Long.MAX_VALUE;
        return nextTick[cpu];
    }

    /** The earliest expiry of the timers armed on {@code cpu}, or Long.MAX_VALUE. */
    long nextTimer(int cpu) {
        List<Timer> list = timers[cpu];
        if (list == null || list.isEmpty()) return Long.MAX_VALUE;
        if (clock.mode == Clock.Mode.GLOBAL) return 0;
        long min = Long.MAX_VALUE;
        for (Timer t : list) min = Math.min(min, t.expiresNs);
        return min;
    }

    /**
     * The timer interrupt: wakes the tasks whose timers are due (in GLOBAL timing, all), and
     * runs the scheduler tick when it is due: a fair task that has the CPU while another fair
     * task waits is asked to reschedule, so that they take turns.
     */
    void timerInterrupt(int cpu) {
        long now = clock.now(cpu);
        if (nextTick != null && nextTick[cpu] <= now) {
            while (nextTick[cpu] <= now) nextTick[cpu] += config.tickNs();
            Cpu c = cpus[cpu];
            rqTouches++;
            if (c.curr.cls == Task.SchedClass.FAIR && sched.hasContender(c)) c.needResched = true;
        }
        List<Timer> list = timers[cpu];
        if (list == null) return;
        for (Timer t : List.copyOf(list)) {
            if (clock.mode == Clock.Mode.GLOBAL || t.expiresNs <= now) {
                list.remove(t);
                sched.wakeUp(t.task);
            }
        }
    }

    void migrateTimers(int from) {
        List<Timer> list = timers[from];
        if (list == null || list.isEmpty()) return;
        int to = sched.fallbackCpu(list.get(0).task);
        if (timers[to] == null) timers[to] = new ArrayList<>(4);
        timers[to].addAll(list);
        enabled.dirty(to);
        list.clear();
    }

    // ======================================================================== kthreads

    private void idleLoop(Cpu c) {
        Task self = c.idle;
        while (true) {
            exec.forgetHistory(self);
            exec.point(null, Access.RESUME, () -> c.needResched);
            sched.schedule(c, false);
            exec.waitUntilRunning(self);
        }
    }

    private void stopperLoop(Cpu c) {
        Task self = c.stopper;
        while (true) {
            exec.forgetHistory(self);
            Runnable work = exec.handed(stopWork[c.id]);
            if (work == null) {
                sched.block(self, "S");
                continue;
            }
            stopWork[c.id] = null;
            work.run();
        }
    }

    void queueStopWork(int cpu, Runnable work) {
        stopWork[cpu] = work;
        sched.wakeUp(stopper(cpus[cpu]));
    }

    /** The CPU's stopper (migration/N), created the first time stop_machine needs it. */
    private Task stopper(Cpu cpu) {
        if (exec.decided(cpu.stopper == null)) {
            cpu.stopper = exec.handed(newTask(new TaskSpec("migration/" + cpu.id, cpu.id, Task.SchedClass.STOP, 0, 1L << cpu.id,
                    true, true, true, () -> stopperLoop(cpu)), 10 + cpu.id));
            cpu.stopper.daemon = true;
            cpu.stopper.sleepReason = "S";
        }
        return cpu.stopper;
    }

    /** The dying CPU's idle task reports it dead (cpuhp_report_idle_dead). */
    void cpuDead(Cpu c) {
        enabled.allDirty();
        rqTouches++;
        c.state = Cpu.State.OFFLINE;
        Task waiter = deadWaiter[c.id];
        deadWaiter[c.id] = null;
        if (waiter != null) sched.wakeUp(waiter);
    }

    void waitCpuDead(int cpu) {
        while (exec.decided(cpus[cpu].state != Cpu.State.OFFLINE)) {
            deadWaiter[cpu] = exec.running;
            sched.block(exec.running, "D cpuhp_bp_sync_dead");
        }
    }

    // ======================================================================== findings and trace

    public boolean tracing() { return trace.enabled() && exec.started; }

    /** Records a trace event on the current CPU, in the current context. */
    public void trace(String name, String fields) {
        if (trace.enabled() && exec.started) traceEvent(cpus[exec.running.cpu], name, fields);
    }

    void traceEvent(Cpu c, String name, String fields) {
        Task t = c.curr;
        trace.add(new TraceEvent(clock.now(c.id), c.id, t.pid == 0 ? "<idle>" : t.comm, t.pid,
                c.irqsDisabled, c.needResched, c.hardirq > 0, t.preemptCount, name, fields));
    }

    /** A finding in the kernel's words. */
    public void report(Finding.Tag p, List<String> preface, String headline, List<String> details) {
        debug.report(p, preface, headline, details);
    }

    /** WARN(): message lines, then the WARNING line naming file:line and function. */
    public void warn(Finding.Tag p, String file, int line, String func, List<String> message, List<String> after) {
        debug.warn(p, file, line, func, message, after);
    }

    /**
     * BUG(): {@code kernel BUG at file:line!}; the machine stops there (the kernel oopses the
     * task, and panics with panic_on_oops), so the run ends with this finding.
     */
    public void bug(Finding.Tag p, String file, int line, List<String> after) {
        Task t = exec.running;
        debug.report(p, List.of(), "kernel BUG at " + file + ":" + line + "!",
                java.util.stream.Stream.concat(java.util.stream.Stream.of("Oops: invalid opcode: 0000 [#1] SMP",
                        "CPU: " + runningCpu() + " PID: " + t.pid + " Comm: " + t.comm), after.stream()).toList());
        endRun(RunResult.End.FINDING);
    }

    /**
     * dump_cpu_task() of another CPU: its NMI backtrace in the kernel log, the task it runs and
     * where that task is.
     */
    public void dumpCpuTask(int cpu) {
        Cpu c = cpus[cpu];
        Task t = c.curr;
        printk("Sending NMI from CPU " + runningCpu() + " to CPUs " + cpu + ":");
        printk("NMI backtrace for cpu " + cpu);
        printk("CPU: " + cpu + " PID: " + t.pid + " Comm: " + t.comm + (c.hardirq > 0 ? " (in hardirq)" : ""));
        String where = t.isIdle() && c.hardirq == 0 ? "default_idle" : t.nextLoc == null ? "?" : "at " + t.nextLoc.name();
        printk(" " + where + (c.irqsDisabled ? ", irqs disabled" : "") + (t.preemptCount != 0 ? ", preempt_count " + t.preemptCount : ""));
    }

    /** dump_stack(): who is running here, and the model function that asked. */
    public void dumpStack() {
        Task t = exec.running;
        printk("CPU: " + runningCpu() + " PID: " + t.pid + " Comm: " + t.comm);
        List<String> trace = Symbols.callTrace(Thread.currentThread().getStackTrace());
        boolean innermost = true;
        for (String line : trace) {
            printk(line);
            if (innermost && (line.equals(" <TASK>") || line.equals(" <IRQ>"))) {
                printk(" " + Tracepoints.symbol("dump_stack_lvl"));     // the frame that prints it
                innermost = false;
            }
        }
    }

    /** printk(): a line of the kernel log, stamped with this CPU's time. */
    public void printk(String line) {
        int cpu = runningCpu();
        long us = (clock.now(cpu) + 500) / 1000;
        console.add(String.format("[%5d.%06d] %s", us / 1_000_000, us % 1_000_000, line));
    }

    /** True the first time {@code key} is asked: WARN_ON_ONCE, printk_once. */
    public boolean once(String key) {
        boolean first = debug.firstTime(key);
        if (first) onceHash ^= StateHash.mix(key.hashCode());
        return exec.observe(first ? 1 : 0) != 0;
    }

    // ======================================================================== the state

    /**
     * Not in the C: how many times the machine read or changed what a migration reads or
     * changes: a run queue (a task queued, a pick, a tick that looks for a contender), a
     * preemption check of a queued task, whether a CPU takes tasks. A search that sees it
     * unchanged across a move knows that the move and a migration commute (check/LateMigrations).
     */
    long rqTouches;

    /** Ghost state and the like, outside the machine, that decides future findings. */
    public void addStatePart(java.util.function.LongSupplier part) { stateParts.add(part); }

    /**
     * State the model keeps beside memory, for a search that saves and restores states
     * ({@link Snapshot}). It may change only inside {@link #ghost} and {@link #built}.
     */
    public void addRestorable(Restorable part) { restorables.add(part); }

    /**
     * Not in the C: which version of the restorables' state the machine holds. A hook that may
     * change it takes a new number, a restore takes the saved one: a snapshot taken, or put
     * back, at the version the machine holds copies nothing.
     */
    long partsVersion;
    private long lastPartsVersion;
    /** The snapshot taken last, whose copy of the restorables the next one may share. */
    Snapshot lastSnapshot;

    private void partsChanged() { partsVersion = ++lastPartsVersion; }

    /** The state parts' hash, and the version of the parts it is of. */
    private long partsHash, partsHashedAt = -1;

    // Not in the C: what a Snapshot reads and puts back.
    long onceHash() { return onceHash; }
    long savedNextAddr() { return nextAddr; }
    int nextPid() { return nextPid; }
    int consoleSize() { return console.size(); }
    RunResult.End end() { return end; }
    long[] raisedAt() { return raisedAt; }
    long[] nextTicks() { return nextTick; }
    Runnable[] stopWork() { return stopWork; }
    Task[] deadWaiter() { return deadWaiter; }

    void restore(long onceHash, long nextAddr, int nextPid, RunResult.End end, int consoleSize, Runnable[] stopWork,
                 Task[] deadWaiter, long[] raisedAt, long[] nextTick) {
        this.onceHash = onceHash;
        this.nextAddr = nextAddr;
        this.nextPid = nextPid;
        this.end = end;
        this.divergence = null;
        while (console.size() > consoleSize) console.remove(console.size() - 1);
        System.arraycopy(stopWork, 0, this.stopWork, 0, stopWork.length);
        System.arraycopy(deadWaiter, 0, this.deadWaiter, 0, deadWaiter.length);
        System.arraycopy(raisedAt, 0, this.raisedAt, 0, raisedAt.length);
        if (nextTick != null) System.arraycopy(nextTick, 0, this.nextTick, 0, nextTick.length);
    }

    /**
     * A hash of everything that decides what can still happen: memory, the CPUs and their run
     * queues, pending interrupts and timers, every task's state and history, and the parts
     * added by the model (its ghost state). Timestamps are left out: in GLOBAL timing they
     * decide nothing but the trace.
     */
    long stateHash() {
        long h = StateHash.extend(memHash, onceHash);
        for (Cpu c : cpus) {
            h = StateHash.extend(h, c.state.ordinal() | (c.active ? 8 : 0) | (c.irqsDisabled ? 16 : 0)
                    | (c.needResched ? 32 : 0) | (long) c.hardirq << 6 | (long) c.pending << 12 | (long) c.curr.pid << 20);
            for (Task t : c.rq) h = StateHash.extend(h, t.pid);
            if (timers[c.id] != null) for (Timer t : timers[c.id]) h = StateHash.extend(h, t.task().pid);
            h = StateHash.extend(h, stopWork[c.id] == null ? 0 : 1);
        }
        for (Task t : tasks) {
            h = StateHash.extend(h, t.hist);
            h = StateHash.extend(h, t.state.ordinal() | (long) t.cpu << 4 | (long) t.preemptCount << 12
                    | (long) t.preemptions << 20 | (long) t.migrations << 28 | (t.hasRun ? 1L << 36 : 0)
                    | (long) (t.nextLoc == null ? 0 : t.nextLoc.id + 1) << 40 | (long) t.nextKind.ordinal() << 58);
        }
        if (partsHashedAt != partsVersion) {       // the parts change only in hooks (see partsChanged)
            long p = 0;
            for (var part : stateParts) p = StateHash.extend(p, part.getAsLong());
            partsHash = p;
            partsHashedAt = partsVersion;
        }
        return StateHash.extend(h, partsHash);
    }

    // ======================================================================== the run

    /** Nothing can move: the run is over, cleanly or in a hang. */
    void quiescent() {
        for (Runnable check : quiescenceChecks) check.run();
        boolean hung = false;
        for (Task t : tasks) if (!t.daemon && t.state != Task.State.DEAD) hung = true;
        if (hung) {
            boolean wasStop = stopOnFinding;
            stopOnFinding = false;
            debug.hang();
            stopOnFinding = wasStop;
        }
        endRun(hung ? RunResult.End.HANG : RunResult.End.COMPLETED);
    }

    /** The step budget is spent: the run ends there, with what the lockup watchdogs would say. */
    void stepLimit() {
        if (end == null) end = RunResult.End.STEP_LIMIT;
        boolean wasStop = stopOnFinding;
        stopOnFinding = false;
        debug.lockup();
        stopOnFinding = wasStop;
        endRun(RunResult.End.STEP_LIMIT);
    }

    void endRun(RunResult.End why) {
        if (exec.rebuilding()) throw new Exec.RebuildFailed("the run would end (" + why + ")");
        boolean leaf = why != RunResult.End.FINDING && why != RunResult.End.MODEL_ERROR && why != RunResult.End.DIVERGED;
        if (leaf && debug.findings.isEmpty()) {
            RunResult.End was = end;
            end = null;         // the saved state the search goes on from has its own
            exec.leaf(why);     // a search that restores states goes on elsewhere (does not return then)
            end = was;
        }
        if (end == null) end = why;
        exec.end();
    }

    /** A replayed recording does not fit this run: the run ends, and says where. */
    void diverge(String why) {
        if (end == null) divergence = why;
        endRun(RunResult.End.DIVERGED);
    }

    /**
     * Not in the C: the JVM's heap filled up in some run of this process (a search's table of
     * seen states grows with the states). Not a finding of the model: a search that sees it
     * stops where it is, and says so (nothing after it is claimed).
     */
    private static volatile boolean heapFull;

    public static boolean heapFull() { return heapFull; }

    /** Model code threw: a model error, reported as such (the heap filling up ends the run as nothing). */
    void crash(Task t, Throwable e) {
        if (end != null) return;
        boolean outOfHeap = e instanceof OutOfMemoryError;
        if (outOfHeap) heapFull = true;
        else reportCrash(t, e);
        try {
            endRun(outOfHeap ? RunResult.End.ABANDONED : RunResult.End.MODEL_ERROR);
        } catch (Exec.RunOver over) {
            // this thread is done
        }
    }

    private void reportCrash(Task t, Throwable e) {
        StackTraceElement at = null;
        for (StackTraceElement f : e.getStackTrace()) {
            if (!f.getClassName().startsWith("smpcall.machine.") && !f.getClassName().startsWith("java.")) {
                at = f;
                break;
            }
        }
        stopOnFinding = false;
        debug.report(Check.MODEL, List.of(), "smpcall: model code threw " + e.getClass().getSimpleName()
                        + (e.getMessage() == null ? "" : ": " + e.getMessage()) + " in task " + t.comm + "/" + t.pid,
                at == null ? List.of() : List.of("at " + userName(at.getClassName()) + "." + at.getMethodName()
                        + "(" + at.getFileName() + ":" + at.getLineNumber() + ")"));
    }

    /** A class name as its user wrote it: a user model's classes carry a suffix in the JVM (SeriesV9$u1a2b3c4d5e6). */
    static String userName(String className) { return className.replaceAll("\\$u[0-9a-f]{12}", ""); }

    /**
     * Runs the machine until nothing can move, a finding stops it, or the step budget ends.
     * Runs on a virtual thread (one is started if the caller is not one).
     */
    public RunResult run() {
        if (!Thread.currentThread().isVirtual()) return VirtualThreads.call(this::run);
        exec.driver.thread = Thread.currentThread();
        Watchdog.watch(exec);
        try {
            exec.runFromDriver();
        } finally {
            Watchdog.unwatch(exec);
        }
        exec.reap(tasks);
        return result(end == null ? RunResult.End.COMPLETED : end);
    }

    /** How the run (or, for an explorer, the branch) ended, with what it found and printed. */
    RunResult result(RunResult.End why) {
        long endNs = 0;
        for (Cpu c : cpus) endNs = Math.max(endNs, clock.now(c.id));
        return new RunResult(why, List.copyOf(debug.findings), trace.events(), List.copyOf(console), exec.steps,
                exec.choices(), exec.tokens(), endNs, divergence, trace.contexts());
    }
}
