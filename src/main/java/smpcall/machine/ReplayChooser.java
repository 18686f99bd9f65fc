package smpcall.machine;

/**
 * Replays a recorded choice string. It stops at the first divergence with one clear
 * message: the recorded index does not exist at that point, or the recording is too short.
 */
public final class ReplayChooser implements Chooser {
    /** A replayed run did not follow its recording (the model or scenario changed). */
    public static final class Divergence extends RuntimeException {
        Divergence(String message) { super(message); }
    }

    private final int[] choices;
    private int next;

    public ReplayChooser(int[] choices) { this.choices = choices.clone(); }

    @Override
    public int choose(Moves moves) {
        if (next >= choices.length)
            throw new Divergence("the recording ends after " + choices.length + " choices but the run goes on");
        int c = choices[next++];
        if (c >= moves.size())
            throw new Divergence("choice #" + next + " is " + c + " but only " + moves.size() + " moves are enabled there");
        return c;
    }

    /** Whether every recorded choice was used. */
    public boolean exhausted() { return next == choices.length; }
}
