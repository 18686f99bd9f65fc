package smpcall.check;

import java.util.Arrays;

import smpcall.machine.Moves;

/**
 * One execution as source-DPOR sees it: every move made, forced ones included, with its
 * footprint, the actor that made it, and the moves enabled where it was made; and the
 * happens-before order over them, as vector clocks.
 *
 * <p>An actor is what makes moves in sequence: a CPU (its steps, interrupts, preemptions,
 * and the data choices of the code it runs), or a task's migration. Two moves are ordered
 * when they are of one actor or dependent ({@link Moves#dependent}); happens-before is the
 * transitive closure of that order.
 */
final class Trace {
    /** Actors: CPUs first, then one per migrating task. Clocks have this many entries. */
    private int width;
    private final int nrCpus;

    private int size;
    private int[] move = new int[256], loc = new int[256], flags = new int[256];
    private int[] actor = new int[256];
    /** The move's number among its actor's moves, from 1. */
    private int[] seq = new int[256];
    /** The path index of the decision point where the move was made, -1 where it was forced. */
    private int[] node = new int[256];
    /** The moves enabled where each move was made. */
    private int[][] enabled = new int[256][];
    /** What was enabled when the run ended (empty when every task had finished). */
    int[] enabledAtEnd = new int[0];
    /** Clocks, {@code width} ints per move: for each actor, the seq of its last move happening before (or being) this one. */
    private int[] clock = new int[0];
    /** For each actor, the trace index of its n-th move (n from 1). */
    private int[][] byActor;
    private int[] actorCount;

    Trace(int nrCpus) {
        this.nrCpus = nrCpus;
        this.width = nrCpus + 4;
        this.byActor = new int[width][16];
        this.actorCount = new int[width];
    }

    void clear() {
        size = 0;
        enabledAtEnd = new int[0];
        Arrays.fill(actorCount, 0);
    }

    int size() { return size; }
    int move(int i) { return move[i]; }
    int actor(int i) { return actor[i]; }
    int node(int i) { return node[i]; }
    int[] enabled(int i) { return enabled[i]; }

    /** The actor of a move: its CPU, or the migrating task. */
    int actorOf(int mv) {
        return Moves.kind(mv) == Moves.Kind.MIGRATE ? nrCpus + Moves.arg(mv) : Moves.cpu(mv);
    }

    /** Records the {@code chosen} move of {@code moves}, made at path index {@code pathIndex} (-1 if forced). */
    void add(Moves moves, int chosen, int pathIndex) {
        if (size == move.length) grow();
        int mv = moves.get(chosen);
        int a = actorOf(mv);
        if (a >= width) widen(a + 1);
        move[size] = mv;
        loc[size] = moves.location(chosen);
        flags[size] = moves.flags(chosen);
        actor[size] = a;
        node[size] = pathIndex;
        int[] en = new int[moves.size()];
        for (int i = 0; i < en.length; i++) en[i] = moves.get(i);
        enabled[size] = en;
        int n = ++actorCount[a];
        if (n == byActor[a].length) byActor[a] = Arrays.copyOf(byActor[a], n * 2);
        byActor[a][n] = size;
        seq[size] = n;
        size++;
    }

    private void grow() {
        int n = move.length * 2;
        move = Arrays.copyOf(move, n);
        loc = Arrays.copyOf(loc, n);
        flags = Arrays.copyOf(flags, n);
        actor = Arrays.copyOf(actor, n);
        seq = Arrays.copyOf(seq, n);
        node = Arrays.copyOf(node, n);
        enabled = Arrays.copyOf(enabled, n);
    }

    /** More actors than foreseen (many migrating tasks); the clocks are laid out in {@link #analyse}. */
    private void widen(int w) {
        byActor = Arrays.copyOf(byActor, w);
        for (int a = width; a < w; a++) byActor[a] = new int[16];
        actorCount = Arrays.copyOf(actorCount, w);
        width = w;
    }

    boolean dependent(int i, int j) {
        return Moves.dependent(move[i], loc[i], flags[i], move[j], loc[j], flags[j]);
    }

    /** Whether move i happens before move j (or is it). */
    boolean happensBefore(int i, int j) {
        return clock[j * width + actor[i]] >= seq[i];
    }

    /** The trace index of the last move of actor a happening before move j (not j itself), or -1. */
    private int lastBefore(int a, int j) {
        int s = a == actor[j] ? seq[j] - 1 : clock[j * width + a];
        return s == 0 ? -1 : byActor[a][s];
    }

    /** What the analysis of one execution asks of the explorer. */
    interface Backtrack {
        /** A reversible race: {@code initials} (moves) could run first at path index {@code node}. */
        void race(int node, int[] initials, int count, int racing);
    }

    /**
     * Computes the clocks and reports every race: a move j and an earlier dependent move i of
     * another actor, with nothing in between ordering them (i happens before j directly).
     * For each, the moves that could start the reversed order, the initials of
     * notdep(i).j (Abdulla et al., source sets), go to the decision point before i.
     */
    void analyse(Backtrack out) {
        if (clock.length < size * width) clock = new int[Math.max(size, move.length) * width];
        int[] last = new int[width];
        int[] initials = new int[width];
        int actors = 0;     // that made a move in this execution
        for (int b = 0; b < width; b++) if (actorCount[b] > 0) actors++;
        for (int j = 0; j < size; j++) {
            int a = actor[j], base = j * width;
            Arrays.fill(clock, base, base + width, 0);
            // For each actor, its last move before j that j depends on (its own: the previous one).
            Arrays.fill(last, -1);
            int found = 0;
            for (int k = j - 1; k >= 0 && found < actors; k--) {
                int b = actor[k];
                if (last[b] >= 0) continue;
                if (b == a || dependent(k, j)) {
                    last[b] = k;
                    found++;
                    int kb = k * width;
                    for (int c = 0; c < width; c++) clock[base + c] = Math.max(clock[base + c], clock[kb + c]);
                }
            }
            clock[base + a] = seq[j];
            // A race is direct: no other of those moves comes after it in happens-before.
            for (int b = 0; b < width; b++) {
                int i = last[b];
                if (i < 0 || b == a) continue;
                boolean direct = true;
                for (int c = 0; c < width && direct; c++) {
                    int k = last[c];
                    if (c != b && k >= 0 && clock[k * width + b] >= seq[i]) direct = false;
                }
                if (!direct || node[i] < 0) continue;     // forced there: nothing else could run first
                int n = initialsOf(i, j, initials);
                out.race(node[i], initials, n, j);
            }
        }
    }

    /**
     * The first moves of notdep(i).j, the moves after i that do not happen after it, then j:
     * those with nothing before them in that sequence. Returns how many, in {@code into}.
     */
    private int initialsOf(int i, int j, int[] into) {
        int n = 0;
        long seen = 0;     // actors whose first move in the sequence has been looked at
        for (int k = i + 1; k <= j; k++) {
            if (k < j && happensBefore(i, k)) continue;
            int a = actor[k];
            if (a < 64 && (seen & 1L << a) != 0) continue;
            if (a < 64) seen |= 1L << a;
            boolean first = true;
            for (int c = 0; c < width && first; c++) {
                int p = lastBefore(c, k);
                if (p > i) first = false;      // something in the sequence comes before it
            }
            if (first) into[n++] = move[k];
        }
        return n;
    }
}
