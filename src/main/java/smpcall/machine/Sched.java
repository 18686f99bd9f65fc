package smpcall.machine;

/**
 * The scheduler: run queues, pick-next by class and priority, preemption, wakeups,
 * migration, interrupt entry and exit. Everything here runs on the thread of the task that
 * is current on the CPU concerned (or, for a wakeup or migration, on the running thread).
 */
final class Sched {
    private final Machine m;

    Sched(Machine m) { this.m = m; }

    /** Preemption is possible right now on {@code c}: the kernel's preemptible(). */
    boolean preemptible(Cpu c) {
        Task t = c.curr;
        return t.preemptCount == 0 && !c.irqsDisabled && c.hardirq == 0;
    }

    /** A runnable task on {@code c} would run instead of the current one if preempted. */
    boolean hasContender(Cpu c) {
        Task curr = c.curr;
        for (Task t : c.rq) if (!curr.beats(t)) return true;
        return false;
    }

    void enqueue(Cpu c, Task t, boolean head) {
        m.rqTouches++;
        t.cpu = c.id;
        t.state = Task.State.RUNNABLE;
        if (head) c.rq.add(0, t);
        else c.rq.add(t);
    }

    private Task pickNext(Cpu c) {
        m.rqTouches++;
        Task best = null;
        for (Task t : c.rq) if (best == null || t.beats(best)) best = t;
        if (best == null) return c.idle;
        c.rq.remove(best);
        return best;
    }

    /** __schedule(): the current task of {@code c} gives the CPU to the best runnable task. */
    void schedule(Cpu c, boolean preempt) {
        Task prev = c.curr;
        if (prev.state == Task.State.RUNNING && !prev.isIdle())
            enqueue(c, prev, preempt && prev.cls == Task.SchedClass.RT);
        Task next = pickNext(c);
        c.needResched = false;
        if (next == prev) {
            prev.state = Task.State.RUNNING;
            return;
        }
        if (m.trace.enabled()) m.traceEvent(c, "sched_switch", Tracepoints.schedSwitch(prev.comm, prev.pid, prev.prio, prevState(prev, preempt), next.comm, next.pid, next.prio));
        prev.lastRanNs = m.clock.now(c.id);
        if (prev.state == Task.State.RUNNING) prev.state = Task.State.RUNNABLE;
        c.curr = next;
        c.switchedAtNs = m.clock.now(c.id);
        c.switchedAtStep = m.exec.steps;
        next.hasRun = true;
        next.state = Task.State.RUNNING;
        if (c.state == Cpu.State.DYING && next.isIdle()) m.cpuDead(c);   // the idle task plays dead
        next.cpu = c.id;
        m.clock.advance(c.id, m.config.costs().contextSwitchNs());
        m.clock.atLeast(c.id, next.lastRanNs);
        m.preemptibility(c);
    }

    private static String prevState(Task prev, boolean preempt) {
        return switch (prev.state) {
            case DEAD -> "X";
            case SLEEPING -> prev.sleepReason != null && prev.sleepReason.startsWith("D") ? "D" : "S";
            default -> preempt ? "R+" : "R";
        };
    }

    /** Preemption of the current task of {@code c} (the chosen move, or need_resched). */
    void preempt(Cpu c) {
        schedule(c, true);
    }

    /** try_to_wake_up(): a sleeping task becomes runnable on an allowed online CPU. */
    boolean wakeUp(Task t) {
        if (t.state != Task.State.SLEEPING) return false;
        int target = selectTaskRq(t);
        if (target != t.cpu && m.trace.enabled())
            m.traceEvent(m.cpus[m.runningCpu()], "sched_migrate_task", Tracepoints.schedMigrateTask(t.comm, t.pid, t.prio, t.cpu, target));
        t.sleepReason = null;
        Cpu c = m.cpus[target];
        m.enabled.dirty(target);
        m.clock.atLeast(c.id, m.clock.now(m.runningCpu()));   // the wakee's CPU hears of it no earlier
        enqueue(c, t, false);
        if (m.trace.enabled()) m.traceEvent(m.cpus[m.runningCpu()], "sched_wakeup", Tracepoints.schedWakeup(t.comm, t.pid, t.prio, target));
        checkPreemptCurr(c, t);
        return true;
    }

    private int selectTaskRq(Task t) {
        return isCpuAllowed(t, t.cpu) ? t.cpu : fallbackCpu(t);
    }

    /**
     * is_cpu_allowed(): an allowed CPU that is active, or for a per-CPU kthread (the
     * stopper) one that is merely online: it must still run there while the CPU goes down.
     */
    boolean isCpuAllowed(Task t, int cpu) {
        Cpu c = m.cpus[cpu];
        if (!t.allowedOn(cpu) || !c.online()) return false;
        return c.active || (t.daemon && t.nrCpusAllowed() == 1);
    }

    /** select_fallback_rq(): an allowed online CPU, else any online CPU (affinity broken). */
    int fallbackCpu(Task t) {
        for (Cpu c : m.cpus) if (c.online() && c.active && t.allowedOn(c.id)) return c.id;
        for (Cpu c : m.cpus) if (c.online() && c.active) return c.id;
        throw new ModelError("no online CPU left for " + t);
    }

    /** A newly runnable task that beats the current one makes the CPU reschedule. */
    void checkPreemptCurr(Cpu c, Task t) {
        m.rqTouches++;
        m.enabled.dirty(c.id);
        if (c.curr.isIdle() || t.beats(c.curr)) c.needResched = true;
    }

    /** Moves a runnable, not running task to {@code dest}. */
    void migrate(Task t, int dest, boolean chosen) {
        Cpu src = m.cpus[t.cpu];
        m.enabled.dirty(src.id);
        m.enabled.dirty(dest);
        src.rq.remove(t);
        Cpu d = m.cpus[dest];
        if (m.trace.enabled()) m.traceEvent(d, "sched_migrate_task", Tracepoints.schedMigrateTask(t.comm, t.pid, t.prio, t.cpu, dest));
        if (chosen) t.migrations++;
        m.clock.atLeast(dest, m.clock.now(src.id));
        enqueue(d, t, false);
        checkPreemptCurr(d, t);
    }

    /** The current task blocks: it gives up its CPU until someone wakes it. */
    void block(Task self, String reason) {
        Cpu c = m.cpus[self.cpu];
        if (self.preemptCount != 0 || c.irqsDisabled) m.debug.schedulingWhileAtomic(self, c);
        self.state = Task.State.SLEEPING;
        self.sleepReason = reason;
        schedule(c, false);
        m.exec.waitUntilRunning(self);
    }

    /** do_exit(): the task is gone; the CPU switches away from it for good. */
    void exit(Task self) {
        if (self.preemptCount != 0) m.debug.exitWithPreemptCount(self);
        self.state = Task.State.DEAD;
        m.exec.forgetHistory(self);
        schedule(m.cpus[self.cpu], false);
    }

    /** When the earliest pending IPI reaches {@code c}: sent, plus the delivery latency. */
    long ipiArrival(Cpu c) {
        if (c.pending == 0) return Long.MAX_VALUE;
        Vector v = Vector.ALL[Integer.numberOfTrailingZeros(c.pending)];
        return m.raisedAt(c.id, v) + m.config.costs().ipiLatencyNs();
    }

    /** The CPU takes its earliest interrupt (a due timer or an IPI), on the current task's stack. */
    void handleIrq(Cpu c) {
        Vector v;
        long timer = Math.min(m.nextTimer(c.id), m.nextTick(c.id));
        if (m.exec.decided(timer != Long.MAX_VALUE && (c.pending == 0 || timer <= ipiArrival(c)))) {
            v = Vector.LOCAL_TIMER;            // the timer fires at its expiry
            m.clock.atLeast(c.id, timer);
        } else {
            v = Vector.ALL[(int) m.exec.decided(c.pending == 0 ? 0 : Integer.numberOfTrailingZeros(c.pending))];
            c.pending &= ~v.bit();
            m.clock.atLeast(c.id, m.raisedAt(c.id, v) + m.config.costs().ipiLatencyNs());
        }
        m.clock.advance(c.id, m.config.costs().irqEntryNs());
        c.hardirq++;
        c.irqsDisabled = true;
        m.preemptibility(c);
        // The handler's own steps must not clobber the access the interrupted code is about to make.
        Task t = m.exec.running;      // c.curr: the handler runs on its thread
        Location loc = t.nextLoc;
        Access kind = t.nextKind;
        java.util.function.BooleanSupplier await = t.nextAwait;
        long deadline = t.nextDeadline;
        // The handler runs on this stack, so its steps extend the task's history while it runs;
        // once it returns, the interrupted code goes on exactly as it would have: its history
        // is what it was (what the handler changed is in memory and the scheduler), and runs
        // that took the interrupt at different points meet again in one state.
        long hist = t.hist;
        if (m.stateHashes) t.hist = StateHash.extend(hist, -1 - v.ordinal());
        Runnable handler = m.irqHandler(v);
        if (handler != null) handler.run();
        t.hist = hist;
        t.nextLoc = loc;
        t.nextKind = kind;
        t.nextAwait = await;
        t.nextDeadline = deadline;
        m.clock.advance(c.id, m.config.costs().irqExitNs());
        c.irqsDisabled = false;
        c.hardirq--;
        m.preemptibility(c);
        // irqentry_exit(): preempt on the way out if a wakeup asked for it.
        if (c.needResched && m.config.preemption() && !c.curr.isIdle() && preemptible(c)) preempt(c);
    }
}
