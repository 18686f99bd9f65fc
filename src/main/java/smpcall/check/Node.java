package smpcall.check;

import java.util.Arrays;
import java.util.List;

import smpcall.machine.Moves;

/**
 * One decision point on a depth-first search's path: its moves and their footprints, what is
 * asleep, done or covered there, and what the search learnt of its moves; and the functions
 * both searches (Dfs, which replays, and Restoring) use to make a point and pick its moves.
 */
final class Node {
    final int[] moves;
    final int[] locs;
    final int[] flags;
    /** Moves asleep here: explored elsewhere in an equivalent order. */
    final int[] sleep;
    final boolean[] done;
    /** With DPOR: the moves to explore here (the first one, and those races asked for). */
    final boolean[] backtrack;
    /**
     * With a state cache: moves an earlier visit of this state explored. They are not
     * explored again, and unlike done moves they do not go to sleep in the siblings.
     */
    final boolean[] covered;
    int chosen;
    final int preemptionsBefore;
    /** With the table of seen states, or footprints: the state's hash. */
    long hash;
    /**
     * With footprints (Footprints): which moves made from here read or changed no run queue
     * (LateMigrations); the same of the moves asleep here, from where they were made; whether
     * a move made from here led back to a state on the path. Null without footprints.
     */
    boolean[] clean, sleepClean;
    boolean cycle;
    /** The stopper's step taken first here (StopperSteps), or -1; whether it turned out private. */
    int first = -1;
    boolean firstPrivate;
    /** With a search that restores states: the machine's state here (see Restoring). */
    smpcall.machine.Snapshot snapshot;

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
        this.backtrack = new boolean[n];
        this.covered = new boolean[n];
        this.preemptionsBefore = preemptionsBefore;
    }

    /** A copy for another worker: the same point, its own done flags and choice. */
    Node(Node o, int chosen) {
        moves = o.moves;
        locs = o.locs;
        flags = o.flags;
        sleep = o.sleep;
        done = o.done.clone();
        backtrack = o.backtrack.clone();
        covered = o.covered.clone();
        preemptionsBefore = o.preemptionsBefore;
        clean = o.clean == null ? null : o.clean.clone();
        sleepClean = o.sleepClean;
        hash = o.hash;
        cycle = o.cycle;
        first = o.first;
        firstPrivate = o.firstPrivate;
        this.chosen = chosen;
    }

    boolean asleep(int move) {
        for (int s : sleep) if (s == move) return true;
        return false;
    }

    int indexOf(int move) {
        for (int i = 0; i < moves.length; i++) if (moves[i] == move) return i;
        return -1;
    }

    private static final int[] COVERED = new int[0];

    private static boolean onPath(List<Node> path, long hash) {
        for (Node q : path) if (q.hash == hash) return true;
        return false;
    }

    /**
     * The decision point after {@code parent} (null: the first) with these moves: its sleep
     * set (with sleep sets), the preemptions at will before it, and, with the table of seen
     * states ({@code visited} not null), which moves an earlier visit explored already. Null
     * when an earlier visit covered them all.
     */
    static Node extend(List<Node> path, Moves moves, boolean sleepSets, StateTable.Shards visited, boolean footprints) {
        Node parent = path.isEmpty() ? null : path.get(path.size() - 1);
        int[] sleep = sleepSets ? childSleep(parent) : new int[0];
        int preemptions = parent == null ? 0 : parent.preemptionsBefore + (isVoluntaryPreempt(parent.moves[parent.chosen]) ? 1 : 0);
        Node n = new Node(moves, sleep, preemptions);
        if (footprints || visited != null) n.hash = moves.stateHash();
        if (footprints) {
            if (parent != null && onPath(path, n.hash)) parent.cycle = true;      // the move that led here closes a cycle
            n.clean = new boolean[n.moves.length];
            n.sleepClean = LateMigrations.sleepClean(parent, sleep);
        }
        if (visited != null) {
            int[] left = seen(visited, n.hash, sleep);
            if (left == COVERED) return null;
            // Seen with more asleep: only the moves asleep then (and awake now) are new here.
            if (left != null) for (int i = 0; i < n.moves.length; i++) n.covered[i] = !contains(left, left.length, n.moves[i]);
        }
        return n;
    }

    /**
     * Records a visit (Godefroid's state caching with sleep sets): null for a new state;
     * {@link #COVERED} if an earlier visit covers this one (it had no more asleep); else the
     * moves the earlier visits left asleep that are awake now, the only ones still to explore
     * from here. From then on, only what both visits had asleep counts as left asleep.
     */
    private static int[] seen(StateTable.Shards visited, long hash, int[] sleep) {
        int[] mine = sleep.clone();
        Arrays.sort(mine);
        StateTable shard = visited.of(hash);
        synchronized (shard) {
            return seenLocked(shard, hash, mine);
        }
    }

    private static int[] seenLocked(StateTable visited, long hash, int[] mine) {
        int[] before = visited.get(hash);
        if (before == null) {
            visited.put(hash, mine);
            return null;
        }
        int nLeft = 0;
        for (int s : before) if (Arrays.binarySearch(mine, s) < 0) nLeft++;
        if (nLeft == 0) return COVERED;
        int[] left = new int[nLeft], both = new int[before.length - nLeft];
        int l = 0, b = 0;
        for (int s : before) {
            if (Arrays.binarySearch(mine, s) < 0) left[l++] = s;
            else both[b++] = s;
        }
        visited.put(hash, both);
        return left;
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
            int i = parent.indexOf(s);
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

    /**
     * The first move to explore at a new point {@code n}: a stopper's step on its own cells
     * if one is awake ({@link StopperSteps}), else the first awake move, unless it is a
     * migration that waits ({@link LateMigrations}); or -1. Without {@code footprints}, just
     * the first awake move.
     */
    static int firstToExplore(Node n, int bound, boolean footprints) {
        if (footprints) {
            n.first = StopperSteps.first(n, bound);
            if (n.first >= 0) return n.first;
        }
        return nextToExplore(n, bound, footprints);
    }

    /** The next move to explore at {@code n}, once its chosen one is done; or -1. */
    static int nextToExplore(Node n, int bound, boolean footprints) {
        if (footprints && StopperSteps.coversTheRest(n)) return -1;
        int i = firstAwake(n, 0, false, bound);
        return i >= 0 && footprints && LateMigrations.postpone(n, i) ? -1 : i;
    }

    static int firstAwake(Node n, int from, boolean backtrackOnly, int bound) {
        for (int i = from; i < n.moves.length; i++) {
            if (n.done[i] || n.covered[i] || (backtrackOnly && !n.backtrack[i]) || !explorable(n, i, bound)) continue;
            return i;
        }
        return -1;
    }

    /** Not asleep and within the preemption bound. */
    static boolean explorable(Node n, int i, int bound) {
        if (n.asleep(n.moves[i])) return false;
        return !(bound >= 0 && isVoluntaryPreempt(n.moves[i]) && n.preemptionsBefore >= bound);
    }

    static boolean contains(int[] a, int n, int v) {
        for (int i = 0; i < n; i++) if (a[i] == v) return true;
        return false;
    }
}
