package smpcall.lab;

import java.util.SplittableRandom;

import smpcall.machine.Chooser;
import smpcall.machine.Moves;

/**
 * Discrete-event order: the move that would happen earliest in virtual time goes next, as on
 * a real machine whose CPUs run side by side. At equal times an interrupt goes first (it is
 * taken at the next instruction boundary); remaining ties are broken by the seed.
 */
public final class TimeOrderedChooser implements Chooser {
    private final SplittableRandom random;

    public TimeOrderedChooser(long seed) { this.random = new SplittableRandom(seed); }

    @Override public boolean earliestOnly() { return true; }

    @Override
    public int choose(Moves moves) {
        long best = Long.MAX_VALUE;
        boolean bestIrq = false;
        int ties = 0;
        int pick = 0;
        for (int i = 0; i < moves.size(); i++) {
            long t = moves.time(i);
            boolean irq = Moves.kind(moves.get(i)) == Moves.Kind.IRQ;
            if (t < best || (t == best && irq && !bestIrq)) {
                best = t;
                bestIrq = irq;
                ties = 1;
                pick = i;
            } else if (t == best && irq == bestIrq && random.nextInt(++ties) == 0) {
                pick = i;   // reservoir sampling among equal moves
            }
        }
        return pick;
    }
}
