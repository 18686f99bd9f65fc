package smpcall.machine;

/**
 * The moves enabled at one decision point, as the {@link Chooser} sees them. A move is an
 * int: its kind, the CPU it happens on, and an argument (a task's index, a destination CPU,
 * or the alternative of a data choice).
 */
public final class Moves {
    public enum Kind {
        /** The CPU's current context makes its next access. */
        STEP,
        /** The CPU takes its highest pending interrupt. */
        IRQ,
        /** The CPU's current task is preempted in favour of a runnable one. */
        PREEMPT,
        /** A runnable task (arg: its index) moves to CPU (cpu); its footprint location is the source CPU. */
        MIGRATE,
        /** A data choice inside model code (arg: the alternative). */
        DATA
    }

    private static final Kind[] KINDS = Kind.values();

    /** A footprint flag: the move writes its location. */
    public static final int WRITE = 1;
    /** A footprint flag: the move may affect any other move (scheduling, interrupts, IPIs). */
    public static final int GLOBAL = 2;
    /**
     * A footprint flag: the move raises interrupts on the CPUs whose bits its location holds
     * (an IPI), so it may affect any move on them.
     */
    public static final int CPUS = 4;
    /**
     * A footprint flag of a migration that cannot wait for a later point: the task would
     * preempt its destination's current task (or contend with it), or may migrate again.
     */
    public static final int RESCHED = 8;
    /** A footprint flag of a step: its location is one only stop_machine's stoppers touch. */
    public static final int STOPPERS = 16;

    private int[] moves = new int[16];
    private int[] locs = new int[16];
    private int[] flags = new int[16];
    private long[] times = new long[16];
    private int size;
    /** The machine whose moves these are, for {@link #stateHash}. */
    Machine machine;

    /**
     * The machine's state hash here, for a chooser that asked for hashes ({@link
     * Chooser#stateHashes}); valid inside {@link Chooser#choose}. Computed on demand: an
     * explorer replaying a known prefix does not need it.
     */
    public long stateHash() {
        if (machine == null || !machine.stateHashes) throw new IllegalStateException("the chooser did not ask for state hashes");
        return machine.stateHash();
    }
    /**
     * Not in the C: saves the machine's whole state at this decision, for an {@link Explorer}
     * to come back to; valid inside {@link Chooser#choose}.
     */
    public Snapshot save() { return machine.exec.save(); }

    /**
     * Not in the C: how many times the machine has read or changed what a migration reads or
     * changes (see {@link Machine#rqTouches}); a count that does not change across a move
     * says that the move commutes with every migration that is not {@link #RESCHED}.
     */
    public long rqTouches() { return machine.rqTouches; }

    /** Not in the C: how many moves the machine has made (a migration, a step, an interrupt, a preemption). */
    public long movesMade() { return machine.exec.movesMade; }

    /**
     * Not in the C: what a stopper's step must leave as it found, besides its own cell and
     * its task's history: the run queues' count, the restorables' version, and a CPU's
     * interrupt and preemption state and current task. Compared exactly (a record), not by hash.
     */
    public record Witness(long rqTouches, long partsVersion, Task curr, boolean irqsDisabled, boolean needResched,
                          int hardirq, int pending, int preemptCount, int migrateDisable) {}

    /** The {@link Witness} of {@code cpu} now. */
    public Witness witness(int cpu) {
        Cpu c = machine.cpus[cpu];
        return new Witness(machine.rqTouches, machine.partsVersion, c.curr, c.irqsDisabled, c.needResched, c.hardirq,
                c.pending, c.curr.preemptCount, c.curr.migrateDisable);
    }

    /** Keep only the moves of the earliest time (for a time-ordered chooser). */
    boolean earliestOnly;

    static int encode(Kind kind, int cpu, int arg) {
        return kind.ordinal() << 28 | cpu << 20 | arg;
    }

    public static Kind kind(int move) { return KINDS[move >>> 28]; }
    public static int cpu(int move) { return move >>> 20 & 0xff; }
    public static int arg(int move) { return move & 0xfffff; }

    void clear() { size = 0; }

    void add(Kind kind, int cpu, int arg) {
        add(kind, cpu, arg, -1, GLOBAL, 0);
    }

    /**
     * A move with its footprint (the location it touches, -1 for none, and {@link #WRITE} /
     * {@link #GLOBAL}) and the virtual time at which it would happen.
     */
    void add(Kind kind, int cpu, int arg, int loc, int flag, long time) {
        if (earliestOnly && size > 0) {
            if (time > times[0]) return;
            if (time < times[0]) size = 0;
        }
        if (size == moves.length) {
            moves = java.util.Arrays.copyOf(moves, size * 2);
            locs = java.util.Arrays.copyOf(locs, size * 2);
            flags = java.util.Arrays.copyOf(flags, size * 2);
            times = java.util.Arrays.copyOf(times, size * 2);
        }
        locs[size] = loc;
        flags[size] = flag;
        times[size] = time;
        moves[size++] = encode(kind, cpu, arg);
    }

    /** Whether a move at {@code time} would be kept (always, unless only the earliest are). */
    boolean wouldKeep(long time) {
        return !earliestOnly || size == 0 || time <= times[0];
    }

    /** Appends the i-th move of {@code from}, footprint and time included. */
    void copy(Moves from, int i) {
        if (size == moves.length) {
            moves = java.util.Arrays.copyOf(moves, size * 2);
            locs = java.util.Arrays.copyOf(locs, size * 2);
            flags = java.util.Arrays.copyOf(flags, size * 2);
            times = java.util.Arrays.copyOf(times, size * 2);
        }
        moves[size] = from.moves[i];
        locs[size] = from.locs[i];
        flags[size] = from.flags[i];
        times[size++] = from.times[i];
    }

    /** Same moves, footprints and times, in the same order. */
    boolean sameAs(Moves o) {
        if (size != o.size) return false;
        for (int i = 0; i < size; i++)
            if (moves[i] != o.moves[i] || locs[i] != o.locs[i] || flags[i] != o.flags[i] || times[i] != o.times[i]) return false;
        return true;
    }

    /** When the i-th move would happen: its CPU's clock, or later if it waits for something. */
    public long time(int i) { return times[i]; }

    public int size() { return size; }
    public int get(int i) { return moves[i]; }

    /** The location the i-th move accesses, or -1. */
    public int location(int i) { return locs[i]; }

    /** The footprint flags of the i-th move. */
    public int flags(int i) { return flags[i]; }

    /**
     * Whether two moves may not commute: moves of one CPU always; a global move with any; an
     * IPI with any move on a CPU it goes to (two IPIs commute: each only sets pending bits);
     * two steps when they touch one location and one of them writes it.
     */
    public static boolean dependent(int moveA, int locA, int flagsA, int moveB, int locB, int flagsB) {
        if (((flagsA | flagsB) & GLOBAL) != 0) return true;
        if (((flagsA | flagsB) & CPUS) != 0) {
            if (cpu(moveA) == cpu(moveB)) return true;
            if ((flagsA & flagsB & CPUS) != 0) return false;
            boolean ipiA = (flagsA & CPUS) != 0;
            int targets = ipiA ? locA : locB, other = ipiA ? moveB : moveA, otherLoc = ipiA ? locB : locA;
            int sender = ipiA ? cpu(moveA) : cpu(moveB);
            if ((targets >>> cpu(other) & 1) != 0) return true;
            // A migration changes its source and destination CPUs (its location is the source).
            return kind(other) == Kind.MIGRATE && ((targets >>> otherLoc & 1) != 0 || otherLoc == sender);
        }
        boolean migA = kind(moveA) == Kind.MIGRATE, migB = kind(moveB) == Kind.MIGRATE;
        if (migA && migB) return true;
        if (migA) return cpu(moveB) == cpu(moveA) || cpu(moveB) == locA;     // a migration touches its source and destination
        if (migB) return cpu(moveA) == cpu(moveB) || cpu(moveA) == locB;
        if (cpu(moveA) == cpu(moveB)) return true;
        return locA >= 0 && locA == locB && ((flagsA | flagsB) & WRITE) != 0;
    }

    /**
     * What a run-id records of a move: its kind, its actor (the CPU, or for a migration the
     * task) and its argument, packed small (one byte for a step, an interrupt or a forced
     * preemption on CPUs 0-15). Replay finds the move with the same token among those the
     * machine offers, so a recording that does not fit the run is caught where it stops fitting.
     */
    public static int token(int move) {
        return kind(move).ordinal() | cpu(move) << 3 | arg(move) << 9;
    }

    /** The move a token stands for. */
    public static int fromToken(int token) {
        int kind = token & 7, cpu = token >>> 3 & 0x3f, arg = token >>> 9;
        if (kind >= KINDS.length || arg > 0xfffff) return -1;
        return encode(KINDS[kind], cpu, arg);
    }

    /** The step count where these moves are offered (for messages). */
    long step;

    public long step() { return step; }

    /** The moves as a list for messages: {@code step CPU0, irq CPU1}. */
    public String describeAll() {
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < size; i++) {
            if (i > 0) sb.append(", ");
            sb.append(describe(moves[i]));
        }
        return sb.toString();
    }

    public static String describe(int move) {
        return switch (kind(move)) {
            case STEP -> "step CPU" + cpu(move);
            case IRQ -> "irq CPU" + cpu(move);
            case PREEMPT -> (arg(move) == 1 ? "preempt CPU" : "forced preempt CPU") + cpu(move);
            case MIGRATE -> "migrate task#" + arg(move) + " to CPU" + cpu(move);
            case DATA -> "choose " + arg(move);
        };
    }
}
