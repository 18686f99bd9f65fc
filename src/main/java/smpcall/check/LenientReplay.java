package smpcall.check;

import smpcall.machine.Chooser;
import smpcall.machine.Moves;

/**
 * Follows a choice string as far as it fits: an index out of range wraps around, and past the
 * end it takes the first move. Any string makes a run, which is what shrinking needs; the
 * run's own recorded choices then replay it exactly.
 */
final class LenientReplay implements Chooser {
    private final int[] choices;
    private int next;

    LenientReplay(int[] choices) { this.choices = choices; }

    @Override
    public int choose(Moves moves) {
        if (next >= choices.length) return 0;
        return choices[next++] % moves.size();
    }
}
