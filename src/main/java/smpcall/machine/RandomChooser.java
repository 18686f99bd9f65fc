package smpcall.machine;

import java.util.SplittableRandom;

/** Uniformly random among the enabled moves, from a seed: the same seed, the same run. */
public final class RandomChooser implements Chooser {
    private final SplittableRandom random;

    public RandomChooser(long seed) { this.random = new SplittableRandom(seed); }

    @Override public int choose(Moves moves) { return random.nextInt(moves.size()); }
}
