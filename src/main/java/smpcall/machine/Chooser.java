package smpcall.machine;

/**
 * Every nondeterministic decision of a run goes through here: which CPU steps next, whether
 * a pending interrupt is taken now, whether to preempt, where to migrate, and the data
 * choices of a scenario (which CPU to offline). The machine asks only where there are at
 * least two moves, and records each answer, so a run is named by its choices.
 */
public interface Chooser {
    /** What {@link #choose} returns to give the run up: an explorer knows the rest is redundant. */
    int ABANDON = -1;

    /** Returns the index, in {@code 0 .. moves.size()-1}, of the move to make, or {@link #ABANDON}. */
    int choose(Moves moves);

    /**
     * True for a chooser that only ever takes one of the earliest moves in virtual time (a
     * discrete-event order): the machine then offers only those, which is much cheaper.
     */
    default boolean earliestOnly() { return false; }

    /** True for a chooser that wants {@link Moves#stateHash} available (an explorer that prunes seen states). */
    default boolean stateHashes() { return false; }

    /**
     * True for a chooser that wants to see every move made ({@link #made}), forced ones
     * included: an explorer that analyses the whole run for races.
     */
    default boolean seesEveryMove() { return false; }

    /**
     * The move {@code chosen} of {@code moves} is made. Called at every point, after
     * {@link #choose} where there was a choice; {@code moves} is reused afterwards.
     */
    default void made(Moves moves, int chosen) { }
}
