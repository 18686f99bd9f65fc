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
    /** Not in the C: the moves made in this run so far, for a search that learns footprints. */
    long movesMade;
    /** Scheduling points reached (the watchdog sees model code that stops reaching them). */
    long points;
    /** The watchdog's own: the count it last saw, since when (System.nanoTime), whether it reported. */
    long watchPoints, watchSince;
    boolean watchReported;

    /** Not in the C: the explorer that returns to saved states, or null (every run goes from its start to its end). */
    final Explorer explorer;
    /** Where the driver goes on after a branch ended (a saved state), or null. */
    private Snapshot pending;

    Exec(Machine m) {
        this.m = m;
        this.driver = new Task(m, "driver", -1, Task.SchedClass.IDLE, 120, 0, 0, false, null);
        this.running = driver;   // boot-time code runs "on" the driver, on CPU0
        this.seesEveryMove = m.chooser.seesEveryMove();
        this.moves.machine = m;
        this.explorer = m.chooser instanceof Explorer e ? e : null;
    }

    /** Notes a value returned to the running task's code: its history decides its future. */
    long observe(long value) {
        running.progressed = true;
        if (started) {
            value = recorded(Rec.VALUE, value);
            if (m.stateHashes) running.hist = StateHash.extend(running.hist, value);
        }
        return value;
    }

    // ---- the tasks' records, and rebuilding a task from its record (a search that restores states) ----

    /** What an entry of a task's record is. */
    enum Rec { MOVE, VALUE, DECISION, OBJECT, PEEK }

    private static final Rec[] RECS = Rec.values();

    /** The task whose code runs again against its record, or null; the next entry; the entry it stops at. */
    private Task rebuilding;
    private int cursor, target;
    /** Why the last rebuild failed, or null. */
    String rebuildFailure;

    /** Thrown in a task's code that runs again and no longer fits its record (or that throws). */
    static final class RebuildFailed extends Error {
        RebuildFailed(String why) { super(why, null, false, false); }
    }

    boolean rebuilding() { return rebuilding != null; }

    private static void remember(Task t, Rec kind, long value, Object o) {
        int n = t.recordLength;
        if (t.record == null) {
            t.record = new long[64];
            t.recordKinds = new byte[64];
        } else if (n == t.record.length) {
            t.record = java.util.Arrays.copyOf(t.record, 2 * n);
            t.recordKinds = java.util.Arrays.copyOf(t.recordKinds, 2 * n);
            if (t.recordObjects != null) t.recordObjects = java.util.Arrays.copyOf(t.recordObjects, 2 * n);
        }
        t.record[n] = value;
        t.recordKinds[n] = (byte) kind.ordinal();

        if (o != null && t.recordObjects == null) t.recordObjects = new Object[t.record.length];
        if (t.recordObjects != null) t.recordObjects[n] = o;
        t.recordLength = n + 1;
    }

    /** {@code value}, noted in the running task's record; or, in a rebuild, what the record has there. */
    private long recorded(Rec kind, long value) {
        if (rebuilding != null) return replayed(kind);
        if (explorer != null) remember(running, kind, value, null);
        return value;
    }

    /** As {@link #recorded(Rec, long)}, for an object: the same one when the code runs again. */
    private <T> T recorded(Rec kind, T object) {
        if (rebuilding != null) {
            replayed(kind);
            @SuppressWarnings("unchecked") T same = (T) rebuilding.recordObjects[cursor - 1];
            return same;
        }
        if (explorer != null) remember(running, kind, 0, object);
        return object;
    }

    /** Whether the code that runs is a task's own, whose record counts (not boot, the driver, nor the inside of built()). */
    private boolean inTaskCode() { return started && running != driver && building == 0; }

    /** The next entry of the record of the task that runs again; it must be of {@code kind}. */
    private long replayed(Rec kind) {
        Task t = rebuilding;

        if (cursor >= target) throw new RebuildFailed(t + " asked for a " + kind + " past its record");
        if (t.recordKinds[cursor] != kind.ordinal())
            throw new RebuildFailed(t + " asked for a " + kind + " where its record has a " + RECS[t.recordKinds[cursor]]);
        return t.record[cursor++];
    }

    /**
     * A decision the machine takes on the running task's stack from its own state (whether a
     * wait is over, whether to switch): recorded, so that the task's code run again takes it
     * the same way. Not part of the task's history (its state is in the hash already).
     */
    boolean decided(boolean yes) { return decided(yes ? 1 : 0) != 0; }

    /** As {@link #decided(boolean)}, for a number (which vector an interrupt takes). */
    long decided(long value) {
        return started && running != driver ? recorded(Rec.DECISION, value) : value;
    }

    /** A reference read from memory: the object itself (the same one when the code runs again), its identity in the history. */
    <T> T observe(T value) {
        T v = handed(value);
        if (m.stateHashes) observe(StateHash.of(v));
        return v;
    }

    /**
     * A value the running task's code read without a step (a peek, for reports and ghost
     * state): recorded, so that the code run again sees it and takes the same way; not part
     * of the task's history.
     */
    long peeked(long value) { return inTaskCode() && !scheduling ? recorded(Rec.PEEK, value) : value; }

    /** As {@link #peeked(long)}, for a reference: the same object when the code runs again. */
    <T> T peeked(T value) { return inTaskCode() && !scheduling ? recorded(Rec.PEEK, value) : value; }

    /** An object the running task's code is handed (storage, a cell, a CSD it builds): the same one when it runs again. */
    <T> T handed(T object) { return inTaskCode() ? recorded(Rec.OBJECT, object) : object; }

    /** Inside {@link Machine#built}: the cells an object is made of are handed with it, not one by one. */
    int building;

    /** Whether the code that runs now is a task's code run again (so it makes nothing, only the object it was handed). */
    boolean replaysObjects() { return rebuilding != null && started && running != driver; }

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

    /**
     * Hands the baton from {@code from} to {@code to}, then waits for it to come back. Once
     * {@code to} has the baton it may run on another carrier at once, and a search that
     * restores states may even rebuild {@code from} there: so everything this thread needs
     * after the hand-off is read before it (a dead task's thread reading its task's state
     * afterwards once saw the state of its rebuild, and ran on beside it). False when
     * {@code from} is dead: its thread does not wait, and must not touch the machine again.
     */
    private boolean transfer(Task from, Task to) {
        boolean dead = from.state == Task.State.DEAD && from != driver;
        running = to;
        to.go = true;
        if (to.thread == null) startThread(to);   // a task's thread starts when it first runs
        else LockSupport.unpark(to.thread);
        if (dead) return false;
        awaitBaton(from);
        return true;
    }

    /**
     * Waits until {@code self} has the baton. A thread that is not the task's any more (it was
     * rebuilt, or discarded) unwinds with RunOver; it may run beside the thread that has the
     * baton (on another carrier), so the code it unwinds through must touch nothing shared:
     * no finally block on the way resets the machine's fields.
     */
    void awaitBaton(Task self) {
        Thread me = Thread.currentThread();
        while (!self.go || self.thread != me) {
            if (self.thread != me) throw new RunOver();     // the task was rebuilt on another thread
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
        if (rebuilding == self) {
            if (cursor < target) return (int) replayed(Rec.MOVE);
            return rebuilt(self);
        }
        while (true) {
            int move;
            try {
                move = nextMove();
            } catch (Resumed r) {
                scheduling = false;
                return self.move;     // a branch ended here; the search came back to where this task waits
            }
            Task executor = m.cpus[Moves.cpu(move)].curr;
            if (Moves.kind(move) == Moves.Kind.MIGRATE) {
                movesMade++;
                m.sched.migrate(m.tasks.get(Moves.arg(move)), Moves.cpu(move), true);
                continue;
            }
            if (executor == self) return move;
            executor.move = move;
            return transfer(self, executor) ? self.move : -1;     // a task that has the baton back is not dead
        }
    }

    /** Executes a move on the calling thread; true once the task may make its access. */
    boolean execute(Task self, int move) {
        movesMade++;
        Cpu c = m.cpus[Moves.cpu(move)];
        m.enabled.dirty(c.id);
        if (explorer != null && rebuilding == null) remember(self, Rec.MOVE, move, null);
        switch (Moves.kind(move)) {
            case STEP -> {
                if (++steps > m.config.maxSteps() && rebuilding == null) m.stepLimit();
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
        if (decided(self.state != Task.State.RUNNING || m.cpus[self.cpu].curr != self)) resume(self, runUntilMine(self));
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

    /**
     * The machine picks the next move on the thread of the task that made the last one: what
     * it peeks at then (state hashes, the search's own checks) is not that task's code.
     */
    private boolean scheduling;

    private int nextMove() {
        scheduling = true;
        int move = pickMove();
        scheduling = false;      // not in a finally: a thread that unwinds touches nothing (see awaitBaton)
        return move;
    }

    private int pickMove() {
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
        Task self = running;
        if (rebuilding == self && cursor < target) return (int) observe(0);   // the record has the answer
        int chosen;
        if (rebuilding == self) {
            chosen = rebuilt(self);    // the search gives the answer when it goes on from here
        } else {
            dataMoves(n, m.runningCpu());
            try {
                askingData = n;
                scheduling = true;
                int i = record(ask(), n);
                scheduling = false;
                if (seesEveryMove) m.chooser.made(moves, i);
                chosen = Moves.arg(moves.get(i));
            } catch (Resumed r) {
                scheduling = false;
                chosen = self.move;
            }
        }
        observe(chosen);
        return chosen;
    }

    /** While a data choice asks the explorer: how many alternatives it has (0 otherwise). */
    private int askingData;

    Snapshot save() {
        return new Snapshot(m, askingData > 0 ? running : null, askingData);
    }

    private void dataMoves(int n, int cpu) {
        moves.clear();
        for (int i = 0; i < n; i++) moves.add(Moves.Kind.DATA, cpu, i);
    }

    /** The chooser's answer; a replay that no longer fits ends the run as diverged. */
    private int ask() {
        moves.step = steps;
        int i;
        try {
            i = m.chooser.choose(moves);
        } catch (ReplayChooser.Divergence d) {
            askingData = 0;
            m.diverge(d.getMessage());
            throw new RunOver();     // not reached: diverge() ends the run
        }
        askingData = 0;
        return i;
    }

    /** Whether the moves are kept for a run-id (a run reproduced from its seed alone needs none). */
    boolean recording = true;

    private int record(int choice, int n) {
        if (choice == Chooser.ABANDON) m.endRun(RunResult.End.ABANDONED);   // a search that restores states goes on elsewhere (leaf)
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

    int nChoices() { return nChoices; }

    /** Not in the C: a Snapshot puts the step loop back (the choices made down to the saved point stay). */
    void restore(long steps, long points, int nChoices) {
        this.steps = steps;
        this.points = points;
        this.nChoices = nChoices;
        this.running = driver;
    }

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
            // the run ended while this task was parked, or the task lives on another thread now
        } catch (Throwable e) {
            if (rebuilding == t) failRebuild(t, e);
            else if (rebuilding != null) rebuildFailure = t + " threw " + e + " while " + rebuilding + " was rebuilt";
            else if (!over) m.crash(t, e);
        }
    }

    /** Starts the run from the calling (driver) thread and returns when it is over. */
    void runFromDriver() {
        running = driver;
        started = true;
        try {
            runUntilMine(driver);
            while (pending != null) goOnFrom(pending);
        } catch (RunOver e) {
            // ended before the first hand-off (nothing enabled at all), or after a failed rebuild
        }
    }

    // ---- a search that restores states: branches end in leaves, and the driver goes on elsewhere ----

    /** Thrown in the thread that ended a branch when the search comes back to where it waits. */
    private static final class Resumed extends Error {
        Resumed() { super(null, null, false, false); }
    }

    private static final Resumed RESUMED = new Resumed();

    /**
     * A branch ended without a finding ({@code why}): the explorer says which saved state to
     * go on from. The driver restores it; this thread waits as any task does, and unwinds if
     * its task is rebuilt on another thread. Returns normally only if there is nowhere to go.
     */
    boolean leaf(RunResult.End why) {
        if (explorer == null || rebuilding != null) return false;
        Snapshot next = explorer.leaf(why, steps, () -> m.result(why));
        if (next == null) return false;
        Task self = running;
        pending = next;
        running = driver;
        driver.go = true;
        LockSupport.unpark(driver.thread);
        awaitBaton(self);
        throw RESUMED;
    }

    /** On the driver: restores {@code s}, then lets the run go on from there with the explorer's next choice. */
    private void goOnFrom(Snapshot s) {
        pending = null;
        scheduling = false;      // the thread that reached the leaf waits inside nextMove
        if (!s.restore(this)) {
            m.diverge("rebuilding a task from its record failed: " + rebuildFailure);
            return;
        }
        if (s.dataAsker == null) {
            runUntilMine(driver);
            return;
        }
        // A data choice: the task that asked waits in chooseData for the answer.
        Task asker = s.dataAsker;
        dataMoves(s.dataAlternatives, asker.cpu);
        int i = record(ask(), s.dataAlternatives);
        asker.move = Moves.arg(moves.get(i));
        transfer(driver, asker);
    }

    /**
     * Runs {@code t}'s code again, alone, from its start against the first {@code length}
     * entries of its record, on a new thread (the old one unwinds): no other task runs, nothing
     * is chosen, and what the code does to the machine is overwritten when the saved state is
     * restored. False if the code no longer fits its record.
     */
    boolean rebuild(Task t, int length) {
        Thread old = t.thread;
        t.thread = null;            // first: the old thread, if it wakes, must see that it is not the task's any more
        rebuilding = t;
        cursor = 1;
        target = length;
        rebuildFailure = null;
        t.recordLength = length;
        t.hist = 0;                 // as before its first move
        t.progressed = false;
        t.nextLoc = null;          // where a task starts (the interrupt entry saves and puts these back)
        t.nextKind = Access.RESUME;
        t.nextAwait = t.startAwait;
        t.nextDeadline = Long.MAX_VALUE;
        t.spinLoc = null;
        t.move = (int) t.record[0];
        t.go = true;
        running = t;
        startThread(t);
        if (old != null) LockSupport.unpark(old);
        awaitBaton(driver);
        running = driver;
        return rebuildFailure == null;
    }

    /** A task that is not to run again from its record: its thread (if any) unwinds. */
    void discardThread(Task t) {
        Thread old = t.thread;
        t.thread = null;
        t.go = false;
        if (old != null) LockSupport.unpark(old);
    }

    /** The task run again has reached the end of its record: it waits there, as it did when the state was saved. */
    private int rebuilt(Task self) {
        rebuilding = null;
        running = driver;
        driver.go = true;
        LockSupport.unpark(driver.thread);
        awaitBaton(self);
        if (self.state == Task.State.DEAD) return -1;
        return self.move;
    }

    private void failRebuild(Task t, Throwable e) {
        rebuildFailure = e instanceof RebuildFailed ? e.getMessage() : t + " threw " + e;
        rebuilding = null;
        t.thread = null;
        running = driver;
        driver.go = true;
        LockSupport.unpark(driver.thread);
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
