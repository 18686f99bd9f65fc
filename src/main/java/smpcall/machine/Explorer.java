package smpcall.machine;

/**
 * Not in the C: a chooser that explores a tree of runs by going back to saved states
 * instead of starting a new run for every branch. Inside {@link #choose} it may save the
 * state ({@link Moves#save}); when a branch ends without a finding (the chooser abandoned
 * it, every task finished, or the step budget ran out) the machine asks it where to go on,
 * restores that state, and asks it again there. It asks for state hashes, since it has to
 * tell the states apart anyway.
 */
public interface Explorer extends Chooser {
    /**
     * The branch ended ({@code end} is COMPLETED, ABANDONED or STEP_LIMIT, and it has no
     * finding that counts) after {@code steps} steps; {@code result} makes the whole result
     * of the branch, for an explorer that looks at it. Returns the saved state to go on from,
     * where the next {@link #choose} must take the branch not yet explored; or null to end the
     * run here.
     */
    Snapshot leaf(RunResult.End end, long steps, java.util.function.Supplier<RunResult> result);

    @Override default boolean stateHashes() { return true; }
}
