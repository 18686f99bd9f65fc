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
        /** A runnable task (arg: its index) moves to CPU (cpu). */
        MIGRATE,
        /** A data choice inside model code (arg: the alternative). */
        DATA
    }

    private static final Kind[] KINDS = Kind.values();

    private int[] moves = new int[16];
    private int size;

    static int encode(Kind kind, int cpu, int arg) {
        return kind.ordinal() << 28 | cpu << 20 | arg;
    }

    public static Kind kind(int move) { return KINDS[move >>> 28]; }
    public static int cpu(int move) { return move >>> 20 & 0xff; }
    public static int arg(int move) { return move & 0xfffff; }

    void clear() { size = 0; }

    void add(Kind kind, int cpu, int arg) {
        if (size == moves.length) moves = java.util.Arrays.copyOf(moves, size * 2);
        moves[size++] = encode(kind, cpu, arg);
    }

    public int size() { return size; }
    public int get(int i) { return moves[i]; }

    public static String describe(int move) {
        return switch (kind(move)) {
            case STEP -> "step CPU" + cpu(move);
            case IRQ -> "irq CPU" + cpu(move);
            case PREEMPT -> "preempt CPU" + cpu(move);
            case MIGRATE -> "migrate task#" + arg(move) + " to CPU" + cpu(move);
            case DATA -> "choose " + arg(move);
        };
    }
}
