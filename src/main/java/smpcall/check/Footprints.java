package smpcall.check;

import smpcall.machine.Moves;

/**
 * What one search learns of a move once it has made it, from the choice to the next one (the
 * moves the machine makes alone in between included): whether it read or changed a run
 * queue ({@link LateMigrations}), and, for a stopper's step taken first, whether it left
 * everything but its own cell and its task's history as it found it ({@link StopperSteps}).
 * A move that ends the run is taken to have touched everything. Not in the C.
 */
final class Footprints {
    private Node last;
    private long touchesAt, movesAt;
    private Moves.Witness witnessAt;

    /** At a new decision: what the move made since the last one touched. */
    void arrived(Moves moves) {
        if (last == null) return;
        last.clean[last.chosen] = moves.rqTouches() == touchesAt;
        if (last.chosen == last.first)
            last.firstPrivate = moves.movesMade() == movesAt + 1 && moves.witness(Moves.cpu(last.moves[last.first])).equals(witnessAt);
        last = null;
    }

    /** The run ended after the last move. */
    void ended() { last = null; }

    /** {@code n}'s chosen move is made now (a point of a search that learns nothing is not followed). */
    void making(Node n, Moves moves) {
        if (n.clean == null) return;
        last = n;
        touchesAt = moves.rqTouches();
        if (n.chosen == n.first) {
            movesAt = moves.movesMade();
            witnessAt = moves.witness(Moves.cpu(n.moves[n.first]));
        }
    }
}
