package smpcall.check;

import java.util.ArrayList;
import java.util.List;

import smpcall.machine.Config;
import smpcall.machine.Explorer;
import smpcall.machine.Moves;
import smpcall.machine.RunResult;
import smpcall.machine.Snapshot;
import smpcall.run.Driver;
import smpcall.run.Scenario;

/**
 * The depth-first search with sleep sets and the table of seen states (what {@link Dfs#stateful}
 * explores), on one machine that goes back to saved states instead of replaying every branch
 * from the boot state: each decision point on the current path keeps a {@link Snapshot}, and
 * when a branch ends the machine restores the deepest point with a move left to explore.
 * A task that moved since that point is rebuilt by running its code again, alone, against
 * what the machine gave it (docs/checker.md). If that ever fails to fit (a model that keeps
 * state the machine cannot see), the search starts a new run that replays the path from the
 * boot state, as the replaying search does, and counts it.
 *
 * <p>The branches explored, and so the verdict, the state count and the final states, are
 * those of the replaying search with the same reduction: only how a branch's start is
 * reached differs.
 */
final class Restoring implements Explorer {
    private final String model;
    private final Scenario scenario;
    private final Config config;
    private final int bound;
    private final boolean sleepSets;
    /** Whether the search learns footprints: migrations wait (LateMigrations), stoppers' steps go first (StopperSteps). */
    private final boolean footprints;
    private final Footprints learnt = new Footprints();
    private final StateTable.Shards visited;
    private final java.util.function.Consumer<RunResult> observer;
    private final List<Node> path = new ArrayList<>();
    /** The next decision point while a new run replays the path (the path's length once it explores). */
    private int depth;
    /** The point the machine was just put back to: its next decision takes that point's chosen move; or -1. */
    private int resumeAt = -1;
    private final Dfs.Budget budget;
    /** The steps counted down to the point the machine was last put back to (they are not the branch's own). */
    private long stepsAtLastLeaf;
    /** The new runs from the boot state after a rebuild did not fit. */
    long rebuildsFailed;
    /** The last leaf had nowhere to go: the run ends there. */
    private boolean ended;

    Restoring(String model, Scenario scenario, Config config, int bound, boolean sleepSets, boolean footprints,
              StateTable.Shards visited, java.util.function.Consumer<RunResult> observer, Dfs.Budget budget) {
        this.model = model;
        this.scenario = scenario;
        this.config = config;
        this.bound = bound;
        this.sleepSets = sleepSets;
        this.footprints = footprints;
        this.visited = visited;
        this.observer = observer;
        this.budget = budget;
    }

    /**
     * Explores every branch: returns the run that found something (its choices name the
     * counterexample), or null when the search covered everything or its budget ended.
     */
    RunResult explore() {
        while (true) {
            depth = 0;
            resumeAt = -1;
            ended = false;
            RunResult r = Driver.run(model, scenario, config, this, false, true);
            if (broken != null)
                throw new IllegalStateException("the search that restores states went wrong: " + broken
                        + " (check --replay searches without saved states)");
            if (ended) return null;                  // covered, or the budget ended (leaf() said so)
            budget.steps.addAndGet(r.steps() - stepsAtLastLeaf);
            stepsAtLastLeaf = 0;
            if (r.end() != RunResult.End.DIVERGED) {
                if (!r.findings().isEmpty()) {
                    budget.executions.incrementAndGet();
                    return r;
                }
                return null;
            }
            rebuildsFailed++;
            // A rebuild failed at the point leaf() chose: a new run replays the path down to it.
        }
    }

    @Override public boolean stateHashes() { return true; }

    /**
     * Not a verdict: what went wrong with the saved states (a bug in smpcall, or a model that
     * keeps state the machine cannot see), or null. The search stops there.
     */
    private String broken;

    private int broken(String why) {
        broken = why;
        return ABANDON;
    }

    @Override
    public int choose(Moves moves) {
        learnt.arrived(moves);
        int i = next(moves);
        if (i != ABANDON) learnt.making(path.get(depth - 1), moves);
        return i;
    }

    private int next(Moves moves) {
        if (resumeAt >= 0) {
            Node n = path.get(resumeAt);
            resumeAt = -1;
            if (!sameMoves(n, moves)) return broken("the state restored at depth " + depth + " offers other moves than it did");
            depth++;
            return n.chosen;
        }
        if (depth < path.size()) {             // a new run replays the path
            Node n = path.get(depth++);
            if (n.moves.length != moves.size() || n.moves[n.chosen] != moves.get(n.chosen))
                return broken("replaying the path from the boot state diverged at depth " + (depth - 1));
            n.snapshot = hasAlternative(n) ? moves.save() : null;
            return n.chosen;
        }
        Node n = Node.extend(path, moves, sleepSets, visited, footprints);
        if (n == null) return ABANDON;                       // explored before, with no more asleep
        int first = Node.firstToExplore(n, bound, footprints);
        if (first < 0) return ABANDON;                       // every move here was explored in another order
        n.chosen = first;
        if (hasAlternative(n)) n.snapshot = moves.save();     // the search never comes back to a point with nothing left
        path.add(n);
        depth++;
        return first;
    }

    /**
     * Whether the search may come back to {@code n}: a move other than the chosen one is
     * neither done, covered nor asleep (done only grows). Usually the moves before the chosen
     * one are done; not when a stopper's step was taken first.
     */
    private boolean hasAlternative(Node n) {
        int i = Node.firstAwake(n, 0, false, bound);
        if (i == n.chosen) i = Node.firstAwake(n, n.chosen + 1, false, bound);
        return i >= 0;
    }

    private static boolean sameMoves(Node n, Moves moves) {
        if (n.moves.length != moves.size()) return false;
        for (int i = 0; i < n.moves.length; i++)
            if (n.moves[i] != moves.get(i) || n.locs[i] != moves.location(i) || n.flags[i] != moves.flags(i)) return false;
        return true;
    }

    @Override
    public Snapshot leaf(RunResult.End end, long steps, java.util.function.Supplier<RunResult> result) {
        learnt.ended();
        budget.executions.incrementAndGet();
        budget.steps.addAndGet(steps - stepsAtLastLeaf);
        if (end == RunResult.End.ABANDONED) budget.abandoned.incrementAndGet();
        else if (observer != null) observer.accept(result.get());
        if (end == RunResult.End.STEP_LIMIT) budget.stepLimited.incrementAndGet();
        ended = true;
        if (broken != null || budget.over()) return null;
        while (!path.isEmpty()) {
            Node n = path.get(path.size() - 1);
            n.done[n.chosen] = true;
            int next = Node.nextToExplore(n, bound, footprints);
            if (next >= 0) {
                n.chosen = next;
                depth = path.size() - 1;
                resumeAt = depth;
                stepsAtLastLeaf = n.snapshot.steps();
                ended = false;
                return n.snapshot;
            }
            path.remove(path.size() - 1);
        }
        return null;
    }
}
