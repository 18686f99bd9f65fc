package smpcall.machine;

/**
 * What can move now: for every CPU its step, its interrupt, its preemption; the migrations;
 * each with the footprint partial-order reduction needs. Also lets time run to the next
 * deadline when only timed spins are left.
 */
final class Enabled {
    private final Machine m;
    /**
     * Time-ordered runs look only at the earliest moves, and most CPUs' moves do not change
     * from one step to the next: each CPU's moves are kept until something marks it dirty
     * (it moved, an IPI or a wakeup reached it, a location its task waits on was written).
     */
    private final Moves[] cached;
    private final boolean[] dirty;
    /** The dirty CPUs, each once, for time-ordered runs: only they are looked at again. */
    private final int[] dirtyList;
    private int dirtyCount;
    /**
     * Each CPU's earliest move time, as a tree of minimums (leaves at {@code leaves + cpu}):
     * the earliest of all is at the root, and the CPUs that share it are found by walking
     * down the branches that hold it, in CPU order. A step costs O(log n), not O(n), on a
     * machine of many CPUs.
     */
    private final long[] earliest;
    private final int leaves;
    /** Tests set this to compare every incremental result with a full computation. */
    static boolean verify;
    private final Moves check = new Moves();

    Enabled(Machine m) {
        this.m = m;
        int n = m.cpus.length;
        boolean keep = m.chooser.earliestOnly();     // only time-ordered runs keep moves
        this.cached = keep ? new Moves[n] : null;
        this.dirty = new boolean[n];
        int l = 1;
        while (l < n) l <<= 1;
        this.leaves = l;
        this.earliest = keep ? new long[2 * l] : null;
        this.dirtyList = keep ? new int[n] : null;
        if (keep) {
            for (int c = 0; c < n; c++) cached[c] = new Moves();
            java.util.Arrays.fill(earliest, Long.MAX_VALUE);
            for (int c = 0; c < n; c++) dirtyList[c] = c;
            dirtyCount = n;
        }
        java.util.Arrays.fill(dirty, true);
    }

    /** Something about {@code cpu}'s moves may have changed. */
    void dirty(int cpu) {
        if (dirty[cpu]) return;
        dirty[cpu] = true;
        if (dirtyList != null) dirtyList[dirtyCount++] = cpu;
    }

    void allDirty() {
        for (int c = 0; c < dirty.length; c++) dirty(c);
    }

    void into(Moves mv) { into(mv, false); }

    /**
     * The moves enabled now. With {@code tick}, preemption ignores the per-task budget: when
     * nothing else can move, the scheduler tick still preempts a spinning task in favour of a
     * runnable one (fair scheduling), so only a true hang is reported as one.
     */
    void into(Moves mv, boolean tick) {
        if (mv.earliestOnly && !tick && !m.mayMigrate) {
            earliestInto(mv);
            if (verify) {
                check.earliestOnly = true;
                fullInto(check, false);
                if (!mv.sameAs(check)) throw new IllegalStateException("incremental moves differ from a full look");
            }
            return;
        }
        fullInto(mv, tick);
    }

    /** The earliest moves from the kept per-CPU moves, recomputing only the dirty CPUs. */
    private void earliestInto(Moves mv) {
        Cpu[] cpus = m.cpus;
        for (int k = 0; k < dirtyCount; k++) {
            int id = dirtyList[k];
            Moves own = cached[id];
            own.clear();
            addCpu(own, cpus[id], false);
            long min = Long.MAX_VALUE;
            for (int i = 0; i < own.size(); i++) min = Math.min(min, own.time(i));
            dirty[id] = false;
            int node = leaves + id;
            earliest[node] = min;
            for (node >>= 1; node >= 1; node >>= 1) {
                long v = Math.min(earliest[2 * node], earliest[2 * node + 1]);
                if (earliest[node] == v) break;      // the minimums above do not change either
                earliest[node] = v;
            }
        }
        dirtyCount = 0;
        mv.clear();
        long best = earliest[1];
        if (best != Long.MAX_VALUE) collect(1, best, mv);
    }

    /** The moves at {@code best} of the CPUs under {@code node}, in CPU order. */
    private void collect(int node, long best, Moves mv) {
        if (node >= leaves) {
            Moves own = cached[node - leaves];
            for (int i = 0; i < own.size(); i++) if (own.time(i) == best) mv.copy(own, i);
            return;
        }
        if (earliest[2 * node] == best) collect(2 * node, best, mv);
        if (earliest[2 * node + 1] == best) collect(2 * node + 1, best, mv);
    }

    private void fullInto(Moves mv, boolean tick) {
        mv.clear();
        for (Cpu c : m.cpus) addCpu(mv, c, tick);
        if (m.mayMigrate) {
            for (Cpu c : m.cpus) {
                for (Task t : c.rq) {
                    if (!t.hasRun || t.migrations >= t.maxMigrations || t.migrateDisable != 0 || t.daemon || t.stays) continue;
                    // Quiet: the destination's task beats it (no preemption, no contender) and it stays there.
                    for (Cpu d : m.cpus)
                        if (d != c && d.online() && d.active && t.allowedOn(d.id)) {
                            boolean quiet = d.curr.beats(t) && t.migrations + 1 >= t.maxMigrations;
                            mv.add(Moves.Kind.MIGRATE, d.id, t.index, c.id, quiet ? 0 : Moves.RESCHED, m.clock.now(c.id));
                        }
                }
            }
        }
    }

    /** The moves of one CPU: its step, its preemption, its interrupt. */
    private void addCpu(Moves mv, Cpu c, boolean tick) {
        if (c.state == Cpu.State.OFFLINE) return;
        Task t = c.curr;
        boolean canPreempt = (m.config.preemption() || t.atCondResched) && !t.isIdle() && m.sched.preemptible(c);
        // Preempting and taking an interrupt change this CPU only (the handler's accesses
        // are steps of their own), except the timer, whose handler wakes tasks at once.
        long now = m.clock.now(c.id);
        if (mv.earliestOnly && mv.size() > 0 && now > mv.time(0)) return;   // all its moves come later
        if (c.needResched && canPreempt) {
            mv.add(Moves.Kind.PREEMPT, c.id, 0, -1, 0, now);
        } else {
            stepIfEnabled(mv, c, t, now);
            if (canPreempt && (tick || t.preemptions < t.maxPreemptions) && m.sched.hasContender(c))
                mv.add(Moves.Kind.PREEMPT, c.id, 1, -1, 0, now);
        }
        if (!c.irqsDisabled && c.hardirq == 0) {
            long timer = Math.min(m.nextTimer(c.id), m.nextTick(c.id));
            if (c.pending != 0 || timer != Long.MAX_VALUE) {
                long at = Math.max(now, Math.min(timer, m.sched.ipiArrival(c)));
                if (mv.wouldKeep(at)) mv.add(Moves.Kind.IRQ, c.id, 0, -1, timerWakesElsewhere(c) ? Moves.GLOBAL : 0, at);
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
        allDirty();
        m.clock.skipTo(best.id, best.curr.nextDeadline);
        return true;
    }

    /**
     * A step with its footprint. It is global (may affect any move) when the scheduler acts
     * next across CPUs, spins with a deadline, or touches a location the machine uses to
     * wake tasks; an IPI touches the CPUs it goes to; a delay, or a task's start or resume
     * on its CPU, touches only that CPU.
     */
    private static void addStep(Moves mv, Cpu c, Task t, long at) {
        if (!mv.wouldKeep(at)) return;
        Location loc = t.nextLoc;
        Access kind = t.nextKind;
        if ((kind == Access.LOCAL || kind == Access.RESUME || kind == Access.PREEMPTIBLE) && t.nextDeadline == Long.MAX_VALUE) {
            mv.add(Moves.Kind.STEP, c.id, 0, -1, 0, at);      // this CPU only: time passes, or its scheduler acts
        } else if (kind == Access.IPI && t.nextTargets >>> 31 == 0 && t.nextDeadline == Long.MAX_VALUE) {
            mv.add(Moves.Kind.STEP, c.id, 0, (int) t.nextTargets, Moves.CPUS, at);   // it raises the targets' pending vectors
        } else if (loc == null || loc.global || kind == Access.IPI || kind == Access.SCHED || t.nextDeadline != Long.MAX_VALUE) {
            mv.add(Moves.Kind.STEP, c.id, 0, -1, Moves.GLOBAL, at);
        } else {
            mv.add(Moves.Kind.STEP, c.id, 0, loc.id, (kind.isWrite() ? Moves.WRITE : 0) | (loc.stoppers ? Moves.STOPPERS : 0), at);
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
