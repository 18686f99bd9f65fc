package smpcall.machine;

/**
 * Replays a recorded run: the moves of a run-id, by token ({@link Moves#token}). At every
 * decision it takes the offered move the recording names, and stops at the first one that
 * the machine does not offer, or when the run needs a move after the recording has ended,
 * with one message saying where. Whether the recording was used up is for the caller to ask
 * at the end ({@link #exhausted}).
 */
public final class ReplayChooser implements Chooser {
    /** A replayed run did not follow its recording (another model, scenario or knob). */
    public static final class Divergence extends RuntimeException {
        public Divergence(String message) { super(message, null, false, false); }
    }

    private final int[] tokens;
    private int next;

    public ReplayChooser(int[] tokens) { this.tokens = tokens.clone(); }

    @Override
    public int choose(Moves moves) {
        if (next >= tokens.length)
            throw new Divergence("step " + moves.step() + " needs a choice among " + moves.describeAll()
                    + ", but the recording ended after " + tokens.length + " moves");
        int token = tokens[next++];
        for (int i = 0; i < moves.size(); i++) if (Moves.token(moves.get(i)) == token) return i;
        int recorded = Moves.fromToken(token);
        throw new Divergence("step " + moves.step() + " recorded " + (recorded < 0 ? "move #" + token : Moves.describe(recorded))
                + ", the machine offers " + moves.describeAll());
    }

    /** Whether every recorded move was used. */
    public boolean exhausted() { return next == tokens.length; }

    /** How many recorded moves are left. */
    public int left() { return tokens.length - next; }
}
