package smpcall.check;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import smpcall.run.RunSpec;
import smpcall.run.Driver;
import smpcall.run.Scenario;
import smpcall.run.Scenarios;
import smpcall.machine.Chooser;
import smpcall.machine.Config;
import smpcall.machine.Finding;
import smpcall.machine.Moves;
import smpcall.machine.RunResult;
import smpcall.machine.VirtualThreads;

/**
 * Exhaustive depth-first search over a scenario's runs. Here every execution replays a
 * prefix of choices from the boot state, then goes on; with {@link #restoring} (what {@code
 * check} and {@code verify} use) one machine goes back to saved states instead ({@link
 * Restoring}), with the same branches. Three ways to skip runs equivalent to others
 * (docs/checker.md):
 *
 * <p>With a state cache ({@link #stateful}, what {@code check} and {@code verify} use), a
 * point whose state hash was seen before is not explored again, with sleep sets and
 * Godefroid's condition on them; workers may explore side by side, sharing the table of
 * seen states and handing idle ones the shallowest branch not yet explored.
 *
 * <p>Without it, by default, the search is source-DPOR (Abdulla, Aronis, Jonsson and
 * Sagonas, POPL 2014) with sleep sets: at each decision point it first explores one move; after every execution it
 * finds the races in it (two dependent moves of different actors, nothing ordering them in
 * between) and, for each, makes sure one of the moves that could start the reversed order
 * is explored at the point before the first. Two kinds of choice are not races and are
 * explored in full: an actor's own alternatives (a CPU steps, takes its interrupt, or is
 * preempted; a data choice), and a move that another actor's move disables before it is
 * made (a task that could have migrated but now runs again; a lock another CPU took).
 *
 * <p>Sleep sets (Godefroid) prune orders that only swap independent moves: after a move
 * has been explored at a point, its siblings carry it asleep for as long as they make only
 * moves independent of it, and a point whose every move is asleep is not explored again.
 * An optional preemption bound limits the preemptions at will in a run (CHESS).
 *
 * <p>With sleep sets the search also learns what each move touched once it is made
 * ({@link Footprints}): a migration waits for a point where some move can tell it happened
 * ({@link LateMigrations}), and a stopper's private step on stop_machine's own cells is taken
 * alone ({@link StopperSteps}).
 */
public final class Dfs {
    /** What an exploration did and found. */
    /**
     * What a search did: {@code exhaustive} only when it ended with every run covered, none
     * found violating, and none cut at the step budget ({@code stepLimited} of them were:
     * those runs were not seen to their end, so nothing is claimed of them).
     */
    public record Outcome(long executions, long abandoned, long steps, double seconds, boolean exhaustive,
                          Counterexample counterexample, boolean interrupted, long states, long stepLimited) {}

    /** How much of the interleavings the search skips as equivalent to others. */
    public enum Reduction {
        /** Every interleaving (to check the reductions against). */
        NONE,
        /** Sleep sets only: every point explores every move not asleep. */
        SLEEP_SETS,
        /** Source-DPOR with sleep sets: a point explores further moves only for a race. */
        SOURCE_DPOR
    }

    private final String model;
    private final Scenario scenario;
    private final RunSpec.Knobs knobs;
    private final Config config;
    private final int bound;
    private Reduction reduction;
    /** Prune a state seen before (by its hash) if it was explored with no more asleep than now. */
    private boolean stateCache;
    private StateTable.Shards visited = new StateTable.Shards();
    /** With parallel workers: the work they share; null for one. */
    private Pool pool;
    /** A worker never backtracks into the first {@code floor} points: another explores them. */
    private int floor;
    private final List<Node> path = new ArrayList<>();
    /** The moves of the current execution, for the race analysis (source-DPOR only). */
    private final Trace trace;
    /** Called with every completed execution (for tests that compare final states). */
    /** Sees every execution that ran to its end; null when nobody asked. */
    private java.util.function.Consumer<RunResult> observer;

    /** Source-DPOR with sleep sets. @param bound at most this many preemptions at will per run; negative for none */
    public Dfs(String model, String scenario, RunSpec.Knobs knobs, int bound) {
        this(model, Scenarios.get(scenario), knobs, bound, Reduction.SOURCE_DPOR);
    }

    public Dfs(String model, Scenario scenario, RunSpec.Knobs knobs, int bound, Reduction reduction) {
        this.model = model;
        this.scenario = scenario;
        this.knobs = knobs;
        this.config = knobs.apply(scenario.config());
        this.bound = bound;
        this.reduction = reduction;
        this.trace = new Trace(config.nrCpus());
    }

    /**
     * Stateful search: a state whose hash was seen is not explored again, unless the moves
     * asleep then were not all asleep now (Godefroid's condition for sleep sets with a state
     * cache). Sound up to hash collisions (64-bit) and to the state hash covering what
     * decides the future (see the machine's StateHash). It prunes with sleep sets only: a
     * state cache loses the races a pruned subtree would have reported to DPOR.
     */
    public Dfs stateful() {
        this.stateCache = true;
        if (reduction == Reduction.SOURCE_DPOR) reduction = Reduction.SLEEP_SETS;
        return this;
    }

    /**
     * With sleep sets (not DPOR): learn each move's footprint as it is made, so that a
     * migration waits for a point where a move can tell (LateMigrations) and a stopper's
     * private step goes first, alone (StopperSteps).
     */
    private boolean footprints = true;

    /** Whether this search learns footprints: asked for, and with sleep sets. */
    private boolean learnsFootprints() { return footprints && reduction == Reduction.SLEEP_SETS; }

    /** Explores every move the sleep sets leave (to check {@link LateMigrations} and {@link StopperSteps} against). */
    Dfs withoutFootprints() {
        this.footprints = false;
        return this;
    }

    /** With the state cache and one worker: go back to saved states instead of replaying each branch (Restoring). */
    private boolean restoring;

    /**
     * Explores on one machine that restores the state at the start of each branch instead of
     * replaying it from the boot state (the same branches; see {@link Restoring}). With more
     * than one job, or with a model that keeps state the machine cannot see ({@link
     * smpcall.run.HiddenState}), it replays as {@link #stateful} does.
     */
    public Dfs restoring() {
        stateful();
        this.restoring = true;
        return this;
    }

    /** Sees every execution that ran to its end (not abandoned). */
    public Dfs observe(java.util.function.Consumer<RunResult> observer) {
        this.observer = observer;
        return this;
    }

    private boolean dpor() { return reduction == Reduction.SOURCE_DPOR; }

    /** The chooser of one execution: replays the path, then extends it. */
    private final class Step implements Chooser {
        int depth;

        @Override public boolean stateHashes() { return stateCache || learnsFootprints(); }

        @Override public boolean seesEveryMove() { return dpor(); }

        @Override
        public void made(Moves moves, int chosen) {
            trace.add(moves, chosen, moves.size() > 1 ? depth - 1 : -1);
        }

        private final Footprints learnt = new Footprints();

        @Override
        public int choose(Moves moves) {
            learnt.arrived(moves);
            int i = next(moves);
            if (i != ABANDON) learnt.making(path.get(depth - 1), moves);
            return i;
        }

        private int next(Moves moves) {
            if (depth < path.size()) {
                Node n = path.get(depth++);
                if (n.moves.length != moves.size() || n.moves[n.chosen] != moves.get(n.chosen))
                    throw new IllegalStateException("the model is not deterministic: replay diverged at depth " + depth);
                return n.chosen;
            }
            Node n = Node.extend(path, moves, reduction != Reduction.NONE, stateCache ? visited : null, learnsFootprints());
            if (n == null) return ABANDON;            // explored before, with no more asleep
            int first = Node.firstToExplore(n, bound, learnsFootprints());
            if (first < 0) {                          // every move here was explored in another order
                if (dpor()) trace.enabledAtEnd = n.moves;
                return ABANDON;
            }
            n.chosen = first;
            n.backtrack[first] = true;
            path.add(n);
            depth++;
            return first;
        }
    }

    /**
     * The first move at or after {@code from} that is neither asleep, done, nor over the
     * bound; with {@code backtrackOnly}, one DPOR asked for.
     */
    private int firstAwake(Node n, int from, boolean backtrackOnly) { return Node.firstAwake(n, from, backtrackOnly, bound); }

    private boolean explorable(Node n, int i) { return Node.explorable(n, i, bound); }

    // ---- source-DPOR: what one execution asks to explore further ----

    /** Asks for move {@code i} at {@code n} to be explored, unless it is asleep or over the bound there. */
    private void want(Node n, int i) {
        if (!n.backtrack[i] && explorable(n, i)) n.backtrack[i] = true;
    }

    /** The analysis after an execution: races, each actor's alternatives, moves disabled unmade. */
    private void analyse() {
        Trace t = trace;
        for (int k = 0; k < t.size(); k++) {
            int at = t.node(k);
            if (at < 0) continue;
            Node n = path.get(at);
            int actor = t.actor(k);
            int[] next = k + 1 < t.size() ? t.enabled(k + 1) : t.enabledAtEnd;
            for (int i = 0; i < n.moves.length; i++) {
                if (i == n.chosen) continue;
                int mv = n.moves[i];
                // The actor's own alternatives; a move the chosen one disabled, so no race will show it.
                if (t.actorOf(mv) == actor || !Node.contains(next, next.length, mv)) want(n, i);
            }
        }
        t.analyse((node, initials, count, racing) -> {
            Node n = path.get(node);
            int usable = -1;
            for (int q = 0; q < count; q++) {
                int i = n.indexOf(initials[q]);
                if (n.asleep(initials[q]) || (i >= 0 && (n.backtrack[i] || n.done[i]))) return;   // covered
                if (i >= 0 && usable < 0) usable = i;
            }
            if (usable >= 0) {
                want(n, usable);
            } else if (n.indexOf(t.move(racing)) < 0 && Node.contains(initials, count, t.move(racing))) {
                // The racing move could not run there (it waits for what the first one writes): not reversible.
            } else {
                // The dependence relation missed something: explore every move there, to be safe.
                for (int i = 0; i < n.moves.length; i++) want(n, i);
            }
        });
    }

    /**
     * Explores until every run is covered, a run breaks a property, or the budget ends.
     * Call it on a virtual thread.
     */
    public Outcome run(long maxExecutions, double maxSeconds, java.util.function.BooleanSupplier stop) {
        return run(maxExecutions, maxSeconds, stop, 1);
    }

    /**
     * As {@link #run(long, double, java.util.function.BooleanSupplier)}; with a state cache
     * and {@code jobs} above one, that many workers explore side by side, sharing the table of
     * seen states and handing each other branches. The verdict is the same as with one; the
     * counts, and which of several violations is found first, vary from run to run.
     */
    public Outcome run(long maxExecutions, double maxSeconds, java.util.function.BooleanSupplier stop, int jobs) {
        Budget b = new Budget(maxExecutions, System.nanoTime(), maxSeconds, stop);
        // A model that keeps state the machine cannot see is searched by replay, which needs nothing of it.
        if (restoring && jobs <= 1
                && smpcall.run.HiddenState.of(smpcall.run.Models.create(model).getClass()) == null) {
            runRestoring(b);
            return outcome(b);
        }
        if (jobs <= 1 || !stateCache) {
            if (!explore(b)) b.cut = b.found == null;
        } else {
            runWorkers(b, jobs);
        }
        return outcome(b);
    }

    private Outcome outcome(Budget b) {
        if (smpcall.machine.Machine.heapFull()) b.cut = true;      // whatever ended the search, it did not cover everything
        return new Outcome(b.executions.get(), b.abandoned.get(), b.steps.get(), secs(b.t0),
                !b.cut && b.found == null && b.stepLimited.get() == 0, b.found, b.interrupted, visited.size(), b.stepLimited.get());
    }

    private void runRestoring(Budget b) {
        Restoring r = new Restoring(model, scenario, config, bound, reduction != Reduction.NONE, learnsFootprints(),
                visited, observer, b);
        RunResult found = r.explore();
        if (found != null) {
            Finding f = found.findings().get(0);
            Counterexample cx = new Search(model, scenario, knobs).shrink(found.choices(), smpcall.kernel.Property.of(f));
            // Every counterexample replays: one that does not is the search's bug, not the model's.
            if (cx.finding() == null)
                throw new IllegalStateException("the search that restores states saw \"" + f.headline()
                        + "\", which a replay of its run does not show");
            b.found = cx;
        }
        rebuildsFailed = r.rebuildsFailed;
        restored = true;
    }

    /** How many times the restoring search had to replay from the boot state because a rebuild failed. */
    public long rebuildsFailed() { return rebuildsFailed; }

    private long rebuildsFailed;
    private boolean restored;

    /** Whether the last run went back to saved states (else it replayed: see {@link #restoring}). */
    public boolean restored() { return restored; }

    /** What the workers of one search share: the budget, the counts, and how it ended. */
    static final class Budget {
        final long maxExecutions, t0, deadline;
        final java.util.function.BooleanSupplier stop;
        final java.util.concurrent.atomic.AtomicLong executions = new java.util.concurrent.atomic.AtomicLong();
        final java.util.concurrent.atomic.AtomicLong abandoned = new java.util.concurrent.atomic.AtomicLong();
        final java.util.concurrent.atomic.AtomicLong steps = new java.util.concurrent.atomic.AtomicLong();
        final java.util.concurrent.atomic.AtomicLong stepLimited = new java.util.concurrent.atomic.AtomicLong();
        volatile Counterexample found;
        volatile boolean interrupted, cut;

        Budget(long maxExecutions, long t0, double maxSeconds, java.util.function.BooleanSupplier stop) {
            this.maxExecutions = maxExecutions;
            this.t0 = t0;
            this.deadline = Search.deadline(t0, maxSeconds);
            this.stop = stop;
        }

        /** Whether the search must end now: a violation, the budget, Ctrl-C, or a full heap. */
        boolean over() {
            if (smpcall.machine.Machine.heapFull()) cut = true;
            if (found != null || cut) return true;
            if (stop.getAsBoolean()) interrupted = true;
            if (interrupted || executions.get() >= maxExecutions || System.nanoTime() > deadline) cut = true;
            return cut;
        }
    }

    /** Explores the branches below the floor: true when they are done, false when the search must end. */
    private boolean explore(Budget b) {
        while (true) {
            if (b.over() || (pool != null && pool.over)) return false;
            Step chooser = new Step();
            trace.clear();
            RunResult r = Driver.run(model, scenario, config, chooser, false, true);
            b.executions.incrementAndGet();
            b.steps.addAndGet(r.steps());
            if (r.end() == RunResult.End.ABANDONED) b.abandoned.incrementAndGet();
            else if (observer != null) observer.accept(r);
            if (r.end() == RunResult.End.STEP_LIMIT) b.stepLimited.incrementAndGet();
            if (!r.findings().isEmpty()) {
                Finding f = r.findings().get(0);
                Counterexample cx = new Search(model, scenario, knobs).shrink(r.choices(), smpcall.kernel.Property.of(f));
                synchronized (b) {
                    if (b.found == null) b.found = cx;
                }
                return false;
            }
            if (dpor()) analyse();
            if (!backtrack()) return true;
        }
    }

    /** Side by side: each worker takes a branch, explores it, and hands parts of it to idle ones. */
    private void runWorkers(Budget b, int jobs) {
        Pool shared = new Pool(jobs);
        java.util.function.Consumer<RunResult> seen = observer;
        java.util.function.Consumer<RunResult> observeAll = seen == null ? null : r -> {
            synchronized (shared) {
                seen.accept(r);
            }
        };
        shared.give(new ArrayList<>());            // the whole tree, from the first point
        List<Runnable> workers = new ArrayList<>(jobs);
        for (int w = 0; w < jobs; w++) {
            Dfs worker = w == 0 ? this : new Dfs(model, scenario, knobs, bound, reduction);
            worker.stateCache = true;
            worker.visited = visited;
            worker.pool = shared;
            worker.observer = observeAll;
            workers.add(() -> {
                try {
                    for (List<Node> branch; (branch = shared.take()) != null; ) {
                        worker.path.clear();
                        worker.path.addAll(branch);
                        worker.floor = branch.size();
                        if (!worker.explore(b)) {
                            shared.end();
                            return;
                        }
                    }
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    b.interrupted = b.cut = true;
                    shared.end();
                }
            });
        }
        VirtualThreads.runAll("dfs", workers);
    }

    /** Moves the path to the next unexplored branch; false when there is none (above the floor). */
    private boolean backtrack() {
        while (path.size() > floor) {
            Node n = path.get(path.size() - 1);
            n.done[n.chosen] = true;
            int next = dpor() ? firstAwake(n, 0, true) : Node.nextToExplore(n, bound, learnsFootprints());
            if (next >= 0) {
                n.chosen = next;
                if (pool != null && pool.hungry()) donate();
                return true;
            }
            path.remove(path.size() - 1);
        }
        return false;
    }

    /**
     * Gives an idle worker the shallowest branch not yet explored: it is marked done here
     * (so that the siblings explored here after it carry it asleep), and the other worker
     * explores it from a copy of the path down to it.
     */
    private void donate() {
        for (int d = floor; d < path.size(); d++) {
            Node n = path.get(d);
            for (int i = firstAwake(n, 0, false); i >= 0; i = firstAwake(n, i + 1, false)) {
                if (i == n.chosen) continue;
                n.done[i] = true;
                List<Node> prefix = new ArrayList<>(d + 1);
                for (int k = 0; k < d; k++) prefix.add(new Node(path.get(k), path.get(k).chosen));
                prefix.add(new Node(n, i));
                prefix.get(d).done[i] = false;
                pool.give(prefix);
                return;
            }
        }
    }

    /** The branches waiting for a worker, and when the search is over. */
    private static final class Pool {
        private final java.util.ArrayDeque<List<Node>> queue = new java.util.ArrayDeque<>();
        private final int workers;
        private int idle;
        private volatile boolean hungry;
        volatile boolean over;

        Pool(int workers) { this.workers = workers; }

        boolean hungry() { return hungry; }

        synchronized void give(List<Node> prefix) {
            queue.add(prefix);
            hungry = false;
            notifyAll();
        }

        /** The next branch to explore; null when every worker is idle and nothing is left, or the search ended. */
        synchronized List<Node> take() throws InterruptedException {
            idle++;
            while (queue.isEmpty() && !over) {
                if (idle == workers) {
                    over = true;
                    notifyAll();
                    break;
                }
                hungry = true;
                wait();
            }
            if (over && queue.isEmpty()) return null;
            idle--;
            hungry = idle > 0 && queue.size() <= 1;
            return queue.poll();
        }

        synchronized void end() {
            over = true;
            notifyAll();
        }
    }

    private static double secs(long t0) { return (System.nanoTime() - t0) / 1e9; }
}
