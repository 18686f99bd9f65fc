package smpcall.check;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import smpcall.kernel.RunSpec;
import smpcall.kernel.Runs;
import smpcall.kernel.Scenario;
import smpcall.kernel.Scenarios;
import smpcall.machine.Chooser;
import smpcall.machine.Config;
import smpcall.machine.Finding;
import smpcall.machine.Moves;
import smpcall.machine.RunResult;

/**
 * Exhaustive depth-first search over a scenario's runs, stateless: every execution replays a
 * prefix of choices from the start, then goes on. Sleep sets (Godefroid) prune orders that
 * only swap independent moves: after a move has been explored at a point, its siblings
 * carry it asleep for as long as they make only moves independent of it, and a point whose
 * every move is asleep is not explored again. An optional preemption bound limits the
 * preemptions at will in a run (CHESS).
 */
public final class Dfs {
    /** What an exploration did and found. */
    public record Outcome(long executions, long abandoned, long steps, double seconds, boolean exhaustive,
                          Counterexample counterexample, boolean interrupted) {}

    /** One decision point on the current path. */
    private static final class Node {
        final int[] moves;
        final int[] locs;
        final int[] flags;
        /** Moves asleep here: explored elsewhere in an equivalent order. */
        final int[] sleep;
        final boolean[] done;
        int chosen;
        final int preemptionsBefore;

        Node(Moves m, int[] sleep, int preemptionsBefore) {
            int n = m.size();
            moves = new int[n];
            locs = new int[n];
            flags = new int[n];
            for (int i = 0; i < n; i++) {
                moves[i] = m.get(i);
                locs[i] = m.location(i);
                flags[i] = m.flags(i);
            }
            this.sleep = sleep;
            this.done = new boolean[n];
            this.preemptionsBefore = preemptionsBefore;
        }

        boolean asleep(int move) {
            for (int s : sleep) if (s == move) return true;
            return false;
        }
    }

    private final String model;
    private final Scenario scenario;
    private final RunSpec.Knobs knobs;
    private final Config config;
    private final int bound;
    private final boolean sleepSets;
    /** Prune a state seen before (by its hash) if it was explored with no more asleep than now. */
    private boolean stateCache;
    private final java.util.HashMap<Long, int[]> visited = new java.util.HashMap<>();
    private long pruned;
    private final List<Node> path = new ArrayList<>();
    /** Called with every completed execution (for tests that compare final states). */
    private java.util.function.Consumer<RunResult> observer = r -> { };

    /** @param bound at most this many preemptions at will per run; negative for none */
    public Dfs(String model, String scenario, RunSpec.Knobs knobs, int bound) {
        this(model, Scenarios.get(scenario), knobs, bound, true);
    }

    /** With {@code sleepSets} off: plain DFS over every interleaving (to check the reduction against). */
    public Dfs(String model, Scenario scenario, RunSpec.Knobs knobs, int bound, boolean sleepSets) {
        this.model = model;
        this.scenario = scenario;
        this.knobs = knobs;
        this.config = knobs.apply(scenario.config());
        this.bound = bound;
        this.sleepSets = sleepSets;
    }

    /**
     * Stateful search: a state whose hash was seen is not explored again, unless the moves
     * asleep then were not all asleep now (Godefroid's condition for sleep sets with a state
     * cache). Sound up to hash collisions (64-bit) and to the state hash covering what
     * decides the future (see the machine's StateHash).
     */
    public Dfs stateful() {
        this.stateCache = true;
        return this;
    }

    /** States pruned because they were seen before. */
    public long pruned() { return pruned; }

    /** Sees every execution that ran to its end (not abandoned). */
    public Dfs observe(java.util.function.Consumer<RunResult> observer) {
        this.observer = observer;
        return this;
    }

    /** The chooser of one execution: replays the path, then extends it. */
    private final class Step implements Chooser {
        int depth;

        @Override public boolean stateHashes() { return stateCache; }

        @Override
        public int choose(Moves moves) {
            if (depth < path.size()) {
                Node n = path.get(depth++);
                if (n.moves.length != moves.size() || n.moves[n.chosen] != moves.get(n.chosen))
                    throw new IllegalStateException("the model is not deterministic: replay diverged at depth " + depth);
                return n.chosen;
            }
            Node parent = path.isEmpty() ? null : path.get(path.size() - 1);
            int[] sleep = sleepSets ? childSleep(parent) : new int[0];
            int preemptions = parent == null ? 0 : parent.preemptionsBefore + (isVoluntaryPreempt(parent.moves[parent.chosen]) ? 1 : 0);
            Node n = new Node(moves, sleep, preemptions);
            if (stateCache && seen(moves.stateHash, sleep)) {
                pruned++;
                return ABANDON;                       // explored before, with no more asleep
            }
            int first = firstAwake(n, 0);
            if (first < 0) return ABANDON;            // every move here was explored in another order
            n.chosen = first;
            path.add(n);
            depth++;
            return first;
        }
    }

    /** Records a visit; true if an earlier visit covers it (its sleep set is within this one's). */
    private boolean seen(long hash, int[] sleep) {
        int[] mine = sleep.clone();
        Arrays.sort(mine);
        int[] before = visited.get(hash);
        if (before == null) {
            visited.put(hash, mine);
            return false;
        }
        boolean covered = true;
        for (int s : before) if (Arrays.binarySearch(mine, s) < 0) covered = false;
        if (covered) return true;
        // Explore again; from now on only what both visits had asleep counts as covered.
        visited.put(hash, Arrays.stream(before).filter(s -> Arrays.binarySearch(mine, s) >= 0).toArray());
        return false;
    }

    private static boolean isVoluntaryPreempt(int move) {
        return Moves.kind(move) == Moves.Kind.PREEMPT && Moves.arg(move) == 1;
    }

    /** The sleep set after {@code parent}'s chosen move: its own sleepers and done siblings, minus the dependent. */
    private static int[] childSleep(Node parent) {
        if (parent == null) return new int[0];
        int c = parent.chosen;
        int[] out = new int[parent.sleep.length + parent.moves.length];
        int k = 0;
        for (int s : parent.sleep) {
            int i = indexOf(parent, s);
            if (i >= 0 && !Moves.dependent(s, parent.locs[i], parent.flags[i], parent.moves[c], parent.locs[c], parent.flags[c]))
                out[k++] = s;
        }
        for (int i = 0; i < parent.moves.length; i++) {
            if (!parent.done[i] || i == c) continue;
            if (!Moves.dependent(parent.moves[i], parent.locs[i], parent.flags[i], parent.moves[c], parent.locs[c], parent.flags[c]))
                out[k++] = parent.moves[i];
        }
        return Arrays.copyOf(out, k);
    }

    private static int indexOf(Node n, int move) {
        for (int i = 0; i < n.moves.length; i++) if (n.moves[i] == move) return i;
        return -1;
    }

    /** The first move at or after {@code from} that is neither asleep, done, nor over the bound. */
    private int firstAwake(Node n, int from) {
        for (int i = from; i < n.moves.length; i++) {
            if (n.done[i] || n.asleep(n.moves[i])) continue;
            if (bound >= 0 && isVoluntaryPreempt(n.moves[i]) && n.preemptionsBefore >= bound) continue;
            return i;
        }
        return -1;
    }

    /**
     * Explores until every run is covered, a run breaks a property, or the budget ends.
     * Call it on a virtual thread.
     */
    public Outcome run(long maxExecutions, double maxSeconds, java.util.function.BooleanSupplier stop) {
        long t0 = System.nanoTime();
        long deadline = t0 + (long) (maxSeconds * 1e9);
        long executions = 0, abandoned = 0, steps = 0;
        while (true) {
            if (executions >= maxExecutions || System.nanoTime() > deadline || stop.getAsBoolean())
                return new Outcome(executions, abandoned, steps, secs(t0), false, null, stop.getAsBoolean());
            Step chooser = new Step();
            RunResult r = Runs.run(model, scenario, config, chooser, false, true);
            executions++;
            steps += r.steps();
            if (r.end() == RunResult.End.ABANDONED) abandoned++;
            else observer.accept(r);
            if (!r.findings().isEmpty()) {
                Finding f = r.findings().get(0);
                Counterexample cx = Scenarios.exists(scenario.name()) && Scenarios.get(scenario.name()) == scenario
                        ? new Search(model, scenario.name(), knobs).shrink(r.choices(), f.property())
                        : new Counterexample(RunSpec.recorded(model, scenario.name(), knobs, r.choices()), f, r);
                return new Outcome(executions, abandoned, steps, secs(t0), false, cx, false);
            }
            if (!backtrack()) return new Outcome(executions, abandoned, steps, secs(t0), true, null, false);
        }
    }

    /** Moves the path to the next unexplored branch; false when there is none. */
    private boolean backtrack() {
        while (!path.isEmpty()) {
            Node n = path.get(path.size() - 1);
            n.done[n.chosen] = true;
            int next = firstAwake(n, 0);
            if (next >= 0) {
                n.chosen = next;
                return true;
            }
            path.remove(path.size() - 1);
        }
        return false;
    }

    private static double secs(long t0) { return (System.nanoTime() - t0) / 1e9; }
}
