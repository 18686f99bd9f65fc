package smpcall.machine;

/**
 * What can move now: for every CPU its step, its interrupt, its preemption; the migrations;
 * each with the footprint partial-order reduction needs. Also lets time run to the next
 * deadline when only timed spins are left.
 */
final class Enabled {
    private final Machine m;

    Enabled(Machine m) { this.m = m; }

    void into(Moves mv) { into(mv, false); }

    /**
     * The moves enabled now. With {@code tick}, preemption ignores the per-task budget: when
     * nothing else can move, the scheduler tick still preempts a spinning task in favour of a
     * runnable one (fair scheduling), so only a true hang is reported as one.
     */
    void into(Moves mv, boolean tick) {
        mv.clear();
        for (Cpu c : m.cpus) {
            if (c.state == Cpu.State.OFFLINE) continue;
            Task t = c.curr;
            boolean canPreempt = m.config.preemption() && !t.isIdle() && m.sched.preemptible(c);
            // Preempting and taking an interrupt change this CPU only (the handler's accesses
            // are steps of their own), except the timer, whose handler wakes tasks at once.
            long now = m.clock.now(c.id);
            if (mv.earliestOnly && mv.size() > 0 && now > mv.time(0)) continue;   // all its moves come later
            if (c.needResched && canPreempt) {
                mv.add(Moves.Kind.PREEMPT, c.id, 0, -1, 0, now);
            } else {
                stepIfEnabled(mv, c, t, now);
                if (canPreempt && (tick || t.preemptions < m.config.maxPreemptions()) && m.sched.hasContender(c))
                    mv.add(Moves.Kind.PREEMPT, c.id, 1, -1, 0, now);
            }
            if (!c.irqsDisabled && c.hardirq == 0) {
                long timer = m.nextTimer(c.id);
                if (c.pending != 0 || timer != Long.MAX_VALUE) {
                    long at = Math.max(now, Math.min(timer, m.sched.ipiArrival(c)));
                    if (mv.wouldKeep(at)) mv.add(Moves.Kind.IRQ, c.id, 0, -1, timerWakesElsewhere(c) ? Moves.GLOBAL : 0, at);
                }
            }
        }
        if (m.config.maxMigrations() > 0) {
            for (Cpu c : m.cpus) {
                for (Task t : c.rq) {
                    if (!t.hasRun || t.migrations >= m.config.maxMigrations() || t.migrateDisable != 0 || t.daemon) continue;
                    for (Cpu d : m.cpus)
                        if (d != c && d.online() && d.active && t.allowedOn(d.id))
                            mv.add(Moves.Kind.MIGRATE, d.id, t.index, c.id, 0, m.clock.now(c.id));
                }
            }
        }
    }

    /** How far time may run ahead when only timed spins are left (then it is a hang). */
    static final long SKIP_LIMIT_NS = 60 * Config.NSEC_PER_SEC;
    private long skipped;

    /**
     * Nothing can move, but a CPU spins with a timeout (csdlock_debug): let time run to the
     * earliest deadline, as it would while every CPU spins. False if there is none, or time
     * has already run ahead by {@link #SKIP_LIMIT_NS}.
     */
    boolean skipToDeadline() {
        Cpu best = null;
        for (Cpu c : m.cpus) {
            if (c.state == Cpu.State.OFFLINE || c.curr.nextDeadline == Long.MAX_VALUE) continue;
            if (best == null || c.curr.nextDeadline < best.curr.nextDeadline) best = c;
        }
        if (best == null) return false;
        long delta = Math.max(0, best.curr.nextDeadline - m.clock.now(best.id));
        if (skipped + delta > SKIP_LIMIT_NS) return false;
        skipped += delta;
        m.clock.skipTo(best.id, best.curr.nextDeadline);
        return true;
    }

    /**
     * A step with its footprint. It is global (may affect any move) when the scheduler acts
     * next (a task's start or resume, the idle loop), it sends an IPI, spins with a deadline,
     * or touches a location the machine uses to wake m.tasks; a delay touches nothing.
     */
    private static void addStep(Moves mv, Cpu c, Task t, long at) {
        if (!mv.wouldKeep(at)) return;
        Location loc = t.nextLoc;
        Access kind = t.nextKind;
        if (kind == Access.LOCAL && t.nextDeadline == Long.MAX_VALUE) {
            mv.add(Moves.Kind.STEP, c.id, 0, -1, 0, at);      // time passes on this CPU only
        } else if (loc == null || loc.global || kind == Access.IPI || kind == Access.SCHED || t.nextDeadline != Long.MAX_VALUE) {
            mv.add(Moves.Kind.STEP, c.id, 0, -1, Moves.GLOBAL, at);
        } else {
            mv.add(Moves.Kind.STEP, c.id, 0, loc.id, kind.isWrite() ? Moves.WRITE : 0, at);
        }
    }

    /** A timer may fire on {@code c} and some task it wakes would land on another CPU. */
    private boolean timerWakesElsewhere(Cpu c) {
        if (m.timers[c.id] == null) return false;
        for (Machine.Timer t : m.timers[c.id]) if (!m.sched.isCpuAllowed(t.task(), c.id)) return true;
        return false;
    }

    /**
     * The CPU's step, if its task can make it: not waiting, or its wait is over. A timed spin
     * (csdlock_debug) also ends at its deadline: in GLOBAL timing once time has got there, in
     * PER_CPU timing at the deadline, which is then the step's time.
     */
    private void stepIfEnabled(Moves mv, Cpu c, Task t, long now) {
        if (t.nextAwait == null) {
            addStep(mv, c, t, now);
        } else if (t.nextAwait.getAsBoolean()) {
            addStep(mv, c, t, t.nextLoc == null ? now : Math.max(now, t.nextLoc.lastWriteNs));
        } else if (t.nextDeadline != Long.MAX_VALUE && (m.clock.mode == Clock.Mode.PER_CPU || now >= t.nextDeadline)) {
            addStep(mv, c, t, Math.max(now, t.nextDeadline));
        }
    }

}
