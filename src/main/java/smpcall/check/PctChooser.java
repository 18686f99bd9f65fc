package smpcall.check;

import java.util.SplittableRandom;

import smpcall.machine.Chooser;
import smpcall.machine.Moves;

/**
 * PCT (Burckhardt et al., ASPLOS 2010) over the machine's moves. Each CPU is an actor with a
 * random distinct priority; the enabled move of the highest-priority CPU is taken; at d-1
 * change points drawn uniformly from the first k steps, the CPU that moves there drops below
 * all others. A bug of depth d is found by one run with probability at least 1/(n k^(d-1)),
 * n the number of actors. Migrations and data choices are actors of their own.
 */
public final class PctChooser implements Chooser {
    private final SplittableRandom random;
    private final int[] priority;
    private final long[] changePoints;
    private int nextLow;
    private long step;

    /**
     * @param actors CPUs plus one (migrations and data choices)
     * @param depth  the bug depth d (1 or more)
     * @param k      an estimate of the steps of one run
     */
    public PctChooser(long seed, int actors, int depth, long k) {
        this.random = new SplittableRandom(seed);
        this.priority = new int[actors];
        for (int i = 0; i < actors; i++) priority[i] = depth + i;
        for (int i = actors - 1; i > 0; i--) {          // a random permutation of d .. d+n-1
            int j = random.nextInt(i + 1);
            int t = priority[i];
            priority[i] = priority[j];
            priority[j] = t;
        }
        this.changePoints = new long[Math.max(0, depth - 1)];
        for (int i = 0; i < changePoints.length; i++) changePoints[i] = 1 + random.nextLong(Math.max(1, k));
        this.nextLow = depth - 1;
    }

    @Override
    public int choose(Moves moves) {
        step++;
        int best = -1;
        int bestPrio = Integer.MIN_VALUE;
        for (int i = 0; i < moves.size(); i++) {
            int p = priority[actor(moves.get(i))];
            if (p > bestPrio) {
                bestPrio = p;
                best = i;
            }
        }
        int actor = actor(moves.get(best));
        for (long cp : changePoints) {
            if (cp == step && nextLow > 0) priority[actor] = nextLow--;
        }
        // Several moves of one CPU (step, irq, preempt): pick among them at random.
        int same = 0;
        for (int i = 0; i < moves.size(); i++) if (actor(moves.get(i)) == actor) same++;
        if (same == 1) return best;
        int pick = random.nextInt(same);
        for (int i = 0; i < moves.size(); i++) if (actor(moves.get(i)) == actor && pick-- == 0) return i;
        return best;
    }

    private int actor(int move) {
        Moves.Kind kind = Moves.kind(move);
        return kind == Moves.Kind.MIGRATE || kind == Moves.Kind.DATA ? priority.length - 1 : Moves.cpu(move);
    }
}
