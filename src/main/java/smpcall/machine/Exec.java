package smpcall.machine;

import java.util.concurrent.locks.LockSupport;

/**
 * The step loop and the hand-off between the tasks' virtual threads. Exactly one thread runs
 * at a time: the one whose task executes the chosen move. At every scheduling point the
 * running thread computes the enabled moves, asks the chooser, and either goes on itself or
 * hands the baton to the thread of the CPU that moves, and parks until a move is its own.
 */
final class Exec {
    /** Thrown in a task thread when its run is over, to unwind the model code. */
    static final class RunOver extends Error {
        RunOver() { super(null, null, false, false); }
    }

    private final Machine m;
    /** The thread that started the run waits here for its end. */
    final Task driver;
    volatile boolean over;
    /** Set when the run starts; before that, model code runs at boot without steps. */
    boolean started;
    Task running;
    long steps;
    final Moves moves = new Moves();
    private int[] choices = new int[256];
    /** The token of each chosen move ({@link Moves#token}): what a run-id records. */
    private int[] tokens = new int[256];
    private int nChoices;
    private final boolean seesEveryMove;
    /** Scheduling points reached (the watchdog sees model code that stops reaching them). */
    long points;
    /** The watchdog's own: the count it last saw, since when (System.nanoTime), whether it reported. */
    long watchPoints, watchSince;
    boolean watchReported;

    Exec(Machine m) {
        this.m = m;
        this.driver = new Task(m, "driver", -1, Task.SchedClass.IDLE, 120, 0, 0, false, null);
        this.running = driver;   // boot-time code runs "on" the driver, on CPU0
        this.seesEveryMove = m.chooser.seesEveryMove();
        this.moves.machine = m;
    }

    /** Notes a value returned to the running task's code: its history decides its future. */
    long observe(long value) {
        running.progressed = true;
        if (started && m.stateHashes) running.hist = StateHash.extend(running.hist, value);
        return value;
    }

    /**
     * At the head of a kthread's loop, or when a task is dead: nothing the task did before
     * decides what it does next (it has no locals that live on), so runs that got here
     * differently meet in one state. The value differs from a task's history before it first
     * runs (0), which is another place in its code.
     */
    void forgetHistory(Task t) {
        if (m.stateHashes) t.hist = StateHash.extend(t.pid, FORGOTTEN);
    }

    private static final long FORGOTTEN = 0x5ca1ab1eL;

    /** The running task's history, where a function that will {@link #rewind} to it starts. */
    long mark() { return running.hist; }

    /**
     * Inside or at the end of the function that took {@code mark}: what it does next depends
     * only on how it was called (the mark) and on {@code live}, the values its locals hold,
     * so the steps it took since are forgotten and runs that got here differently meet.
     */
    void rewind(long mark, long live) {
        if (m.stateHashes) running.hist = StateHash.extend(StateHash.extend(mark, REWOUND), live);
    }

    private static final long REWOUND = 0x4e3d1f7bL;

    // ---- the baton ----

    /** Hands the baton from {@code from} to {@code to}, then waits for it to come back. */
    private void transfer(Task from, Task to) {
        running = to;
        to.go = true;
        if (to.thread == null) startThread(to);   // a task's thread starts when it first runs
        else LockSupport.unpark(to.thread);
        if (from.state == Task.State.DEAD && from != driver) return;
        awaitBaton(from);
    }

    void awaitBaton(Task self) {
        while (!self.go) {
            LockSupport.park(this);
            if (over && !self.go) throw new RunOver();
        }
        self.go = false;
        if (over && self != driver) throw new RunOver();
    }

    // ---- the step loop ----

    /**
     * Runs the machine from {@code self}'s thread until a move is one {@code self} executes,
     * and returns it. A task that is not current anywhere (it was preempted, it sleeps,
     * it exited) hands the baton on and waits until it runs again.
     */
    int runUntilMine(Task self) {
        while (true) {
            int move = nextMove();
            Task executor = m.cpus[Moves.cpu(move)].curr;
            if (Moves.kind(move) == Moves.Kind.MIGRATE) {
                m.sched.migrate(m.tasks.get(Moves.arg(move)), Moves.cpu(move), true);
                continue;
            }
            if (executor == self) return move;
            executor.move = move;
            transfer(self, executor);
            if (self.state == Task.State.DEAD) return -1;
            return self.move;
        }
    }

    /** Executes a move on the calling thread; true once the task may make its access. */
    boolean execute(Task self, int move) {
        Cpu c = m.cpus[Moves.cpu(move)];
        m.enabled.dirty(c.id);
        switch (Moves.kind(move)) {
            case STEP -> {
                if (++steps > m.config.maxSteps()) m.stepLimit();
                m.clock.atLeast(c.id, chosenTime);
                if (self.nextLoc != null) {
                    if (self.nextAwait != null) m.clock.atLeast(c.id, self.nextLoc.lastWriteNs);
                    if (self.nextLoc.storage.freed) m.debug.useAfterFree(self.nextLoc, self.nextKind);
                    if (self.nextLoc.watch != null && self.nextKind.isWrite()) self.nextLoc.watch.onWrite(self, self.nextKind);
                    if (moves.earliestOnly && self.nextKind.isWrite())    // a CPU waiting on this location may move now (one that does not wait moves at its own time anyway)
                        for (Cpu o : m.cpus) if (o.curr.nextAwait != null && o.curr.nextLoc == self.nextLoc) m.enabled.dirty(o.id);
                }
                m.clock.advance(c.id, m.config.costs().of(self.nextKind));
                // The task's code moves one point on: its history records where (what it reads is added on return).
                if (m.stateHashes)
                    self.hist = StateHash.extend(self.hist, self.nextKind.ordinal() + 16L * (self.nextLoc == null ? 0 : self.nextLoc.id + 1));
                self.progressed = self.nextKind != Access.RESUME && self.nextKind != Access.PREEMPTIBLE;
                self.nextLoc = null;
                self.nextAwait = null;
                self.nextDeadline = Long.MAX_VALUE;
                return true;
            }
            case IRQ -> {
                m.sched.handleIrq(c);
            }
            case PREEMPT -> {
                m.clock.atLeast(c.id, chosenTime);
                if (!c.needResched) self.preemptions++;
                m.sched.preempt(c);
            }
            default -> throw new IllegalStateException(Moves.describe(move));
        }
        return false;
    }

    /** A scheduling point before an access of {@code kind} to {@code loc}. */
    void point(Location loc, Access kind, java.util.function.BooleanSupplier await) {
        points++;
        if (!started) return;      // boot-time initialisation runs before any task
        Task self = running;
        self.nextLoc = loc;
        self.nextKind = kind;
        self.nextAwait = await;
        self.spinLoc = null;
        if (await != null) self.spinSinceNs = m.clock.now(self.cpu);
        resume(self, runUntilMine(self));
    }

    /** A scheduling point before an IPI to the CPUs of {@code targets}. */
    void ipiPoint(Location apic, long targets) {
        if (!started) return;
        running.nextTargets = targets;
        point(apic, Access.IPI, null);
    }

    /** After a switch away from {@code self}: waits until it runs again (if it is not running). */
    void waitUntilRunning(Task self) {
        points++;
        self.nextLoc = null;
        self.nextKind = Access.RESUME;
        self.nextAwait = null;
        if (self.state != Task.State.RUNNING || m.cpus[self.cpu].curr != self) resume(self, runUntilMine(self));
    }

    /** A READ_ONCE spin point that also ends at {@code deadlineNs} of virtual time. */
    void timedPoint(Location loc, java.util.function.BooleanSupplier await, long deadlineNs) {
        points++;
        if (!started) return;
        Task self = running;
        self.nextLoc = loc;
        self.nextKind = Access.READ_ONCE;
        self.nextAwait = await;
        self.nextDeadline = deadlineNs;
        if (self.spinLoc != loc) {            // a timed spin is a loop of these points on one location
            self.spinLoc = loc;
            self.spinSinceNs = m.clock.now(self.cpu);
        }
        resume(self, runUntilMine(self));
    }

    /** Executes moves given to {@code self} until one lets it make its access. */
    void resume(Task self, int move) {
        while (!execute(self, move)) move = runUntilMine(self);
    }

    // ---- choosing ----

    private int nextMove() {
        if (over) throw new RunOver();
        m.enabled.into(moves);
        int n = moves.size();
        if (n == 0) {
            m.enabled.into(moves, true);   // the tick: fair preemption of a spinner
            n = moves.size();
        }
        while (n == 0) {
            if (!m.enabled.skipToDeadline()) m.quiescent();
            m.enabled.into(moves);
            n = moves.size();
        }
        int i = n == 1 ? 0 : record(ask(), n);
        if (seesEveryMove) m.chooser.made(moves, i);
        chosenTime = moves.time(i);
        return moves.get(i);
    }

    /** The time of the move chosen last: the CPU that makes it is at least that late. */
    private long chosenTime;

    /** A data choice inside model code: one of {@code n} alternatives. */
    int chooseData(int n) {
        points++;
        if (n <= 1) return 0;
        moves.clear();
        for (int i = 0; i < n; i++) moves.add(Moves.Kind.DATA, m.runningCpu(), i);
        int i = record(ask(), n);
        if (seesEveryMove) m.chooser.made(moves, i);
        int chosen = Moves.arg(moves.get(i));
        observe(chosen);
        return chosen;
    }

    /** The chooser's answer; a replay that no longer fits ends the run as diverged. */
    private int ask() {
        moves.step = steps;
        try {
            return m.chooser.choose(moves);
        } catch (ReplayChooser.Divergence d) {
            m.diverge(d.getMessage());
            throw new RunOver();     // not reached: diverge() ends the run
        }
    }

    /** Whether the moves are kept for a run-id (a run reproduced from its seed alone needs none). */
    boolean recording = true;

    private int record(int choice, int n) {
        if (choice == Chooser.ABANDON) m.endRun(RunResult.End.ABANDONED);
        if (choice < 0 || choice >= n) throw new IllegalStateException("chooser returned " + choice + " of " + n);
        if (!recording) return choice;
        if (nChoices == choices.length) {
            choices = java.util.Arrays.copyOf(choices, nChoices * 2);
            tokens = java.util.Arrays.copyOf(tokens, nChoices * 2);
        }
        tokens[nChoices] = Moves.token(moves.get(choice));
        choices[nChoices++] = choice;
        return choice;
    }

    int[] choices() { return java.util.Arrays.copyOf(choices, nChoices); }

    int[] tokens() { return java.util.Arrays.copyOf(tokens, nChoices); }

    // ---- threads ----

    /**
     * A task's thread starts when it first runs. Threads are reused from run to run (an
     * exhaustive search makes tens of thousands of runs a second, each with some ten
     * tasks): a thread whose task is done, or whose run is over, waits in its pool for the
     * next task. A pool belongs to the thread that drives the runs, so that machines run side
     * by side (verify's cells) do not trade threads.
     */
    private void startThread(Task t) {
        Carrier c = idle.poll();
        if (c == null) c = new Carrier(idle);
        t.thread = c.thread;
        c.next = t;
        LockSupport.unpark(c.thread);
    }

    /** The pool of the thread that drives this run. */
    private final java.util.concurrent.ConcurrentLinkedDeque<Carrier> idle = POOLS.get();

    private static final ThreadLocal<java.util.concurrent.ConcurrentLinkedDeque<Carrier>> POOLS =
            ThreadLocal.withInitial(java.util.concurrent.ConcurrentLinkedDeque::new);

    /** A virtual thread that runs one task after another. */
    private static final class Carrier {
        final Thread thread;
        final java.util.concurrent.ConcurrentLinkedDeque<Carrier> home;
        volatile Task next;

        Carrier(java.util.concurrent.ConcurrentLinkedDeque<Carrier> home) {
            this.home = home;
            thread = Thread.ofVirtual().name("smpcall-task").start(this::loop);
        }

        private void loop() {
            while (true) {
                Task t;
                while ((t = next) == null) LockSupport.park(this);   // spurious wakeups from old runs are fine
                next = null;
                t.m.exec.body(t);
                home.push(this);
            }
        }
    }

    private void body(Task t) {
        try {
            awaitBaton(t);
            resume(t, t.move);
            t.body.run();
            m.sched.exit(t);
            runUntilMine(t);
        } catch (RunOver over) {
            // the run ended while this task was parked; nothing to clean up
        } catch (Throwable e) {
            if (!over) m.crash(t, e);
        }
    }

    /** Starts the run from the calling (driver) thread and returns when it is over. */
    void runFromDriver() {
        running = driver;
        started = true;
        try {
            runUntilMine(driver);
        } catch (RunOver e) {
            // ended before the first hand-off (nothing enabled at all)
        }
    }

    /** Ends the run: the baton goes back to the driver, and this thread unwinds. */
    void end() {
        over = true;
        Task self = running;
        running = driver;
        driver.go = true;
        LockSupport.unpark(driver.thread);
        throw new RunOver();
    }

    /** After the run: wakes every parked task thread so that it unwinds and ends. */
    void reap(Iterable<Task> tasks) {
        over = true;
        for (Task t : tasks) if (t.thread != null) LockSupport.unpark(t.thread);
    }
}
