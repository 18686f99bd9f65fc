package smpcall.check;

import java.util.Arrays;

import smpcall.machine.VirtualThreads;
import smpcall.run.RunSpec;
import smpcall.run.Driver;
import smpcall.run.Scenario;
import smpcall.run.Scenarios;
import smpcall.machine.Chooser;
import smpcall.machine.Config;
import smpcall.machine.Finding;
import smpcall.kernel.Property;
import smpcall.machine.RandomChooser;
import smpcall.machine.RunResult;

/**
 * Searches one model on one scenario (with its knobs) for a violation with a randomized strategy:
 * runs until a run has a finding (of a given property, if one is asked for), or the budget
 * ends. A counterexample is then shrunk by delta-debugging its choice string.
 */
public final class Search {
    public enum Strategy { RANDOM, PCT }

    /** What a search did and found. */
    public record Outcome(long executions, long steps, double seconds, Counterexample counterexample, boolean interrupted) {
        public boolean found() { return counterexample != null; }
    }

    private final String model;
    private final Scenario scenario;
    private final RunSpec.Knobs knobs;
    private final Config config;

    public Search(String model, String scenario, RunSpec.Knobs knobs) {
        this(model, Scenarios.get(scenario), knobs);
    }

    public Search(String model, Scenario scenario, RunSpec.Knobs knobs) {
        this.model = model;
        this.scenario = scenario;
        this.knobs = knobs;
        this.config = knobs.apply(scenario.config());
    }

    /** As {@link #run(Strategy, int, Property, long, double, java.util.function.BooleanSupplier, int)} with one job. */
    public Outcome run(Strategy strategy, int depth, Property wanted, long maxRuns, double maxSeconds,
                       java.util.function.BooleanSupplier stop) {
        return run(strategy, depth, wanted, maxRuns, maxSeconds, stop, 1);
    }

    /** How many random runs measure the run length PCT draws its change points from. */
    static final int PCT_CALIBRATION_RUNS = 8;

    /**
     * Runs seeds {@code 1, 2, ...} with the strategy until a finding of {@code wanted} (any
     * property when null), {@code maxRuns} runs, or {@code maxSeconds}; {@code jobs} runs
     * side by side. Each seed's run depends on nothing else, and the finding reported is the
     * one of the lowest seed, so the outcome does not depend on {@code jobs} (only a time
     * budget does). Call it on a virtual thread ({@link VirtualThreads#call}).
     */
    public Outcome run(Strategy strategy, int depth, Property wanted, long maxRuns, double maxSeconds,
                       java.util.function.BooleanSupplier stop, int jobs) {
        long t0 = System.nanoTime();
        long deadline = deadline(t0, maxSeconds);
        // PCT draws its change points over k steps: the longest of a few random runs, doubled.
        long k = 0;
        if (strategy == Strategy.PCT) {
            for (long seed = 1; seed <= PCT_CALIBRATION_RUNS; seed++)
                k = Math.max(k, Driver.run(model, scenario, config, new RandomChooser(-seed), false, true).steps());
            k = Math.max(200, 2 * k);
        }
        long pctSteps = k;
        java.util.concurrent.atomic.AtomicLong next = new java.util.concurrent.atomic.AtomicLong(1);
        java.util.concurrent.ConcurrentSkipListMap<Long, Long> stepsOf = new java.util.concurrent.ConcurrentSkipListMap<>();
        java.util.concurrent.atomic.AtomicBoolean interrupted = new java.util.concurrent.atomic.AtomicBoolean();
        Object lock = new Object();
        long[] best = {Long.MAX_VALUE};
        RunResult[] found = {null};
        Runnable worker = () -> {
            while (true) {
                if (System.nanoTime() >= deadline || smpcall.machine.Machine.heapFull()) return;
                if (stop.getAsBoolean()) {
                    interrupted.set(true);
                    return;
                }
                long seed = next.getAndIncrement();
                synchronized (lock) {
                    if (seed > maxRuns || seed > best[0]) return;
                }
                Chooser c = switch (strategy) {
                    case RANDOM -> new RandomChooser(seed);
                    case PCT -> new PctChooser(seed, config.nrCpus() + 1, depth, pctSteps);
                };
                RunResult r = Driver.run(model, scenario, config, c, false, wanted == null);
                stepsOf.put(seed, r.steps());
                if (first(r, wanted) != null) {
                    synchronized (lock) {
                        if (seed < best[0]) {
                            best[0] = seed;
                            found[0] = r;
                        }
                    }
                }
            }
        };
        if (jobs <= 1) worker.run();
        else VirtualThreads.runAll("search", java.util.Collections.nCopies(jobs, worker));
        // Seeds up to the finding all ran; count those only, whatever else was under way.
        var counted = found[0] == null ? stepsOf : stepsOf.headMap(best[0], true);
        long runs = counted.size(), steps = counted.values().stream().mapToLong(Long::longValue).sum();
        Counterexample cx = found[0] == null ? null : shrink(found[0].choices(), smpcall.kernel.Property.of(first(found[0], wanted)));
        return new Outcome(runs, steps, (System.nanoTime() - t0) / 1e9, cx, found[0] == null && interrupted.get());
    }

    /** {@code t0} plus {@code seconds}, saturating instead of overflowing into the past. */
    static long deadline(long t0, double seconds) {
        double ns = seconds * 1e9;
        return ns >= Long.MAX_VALUE - Math.max(0, t0) ? Long.MAX_VALUE : t0 + (long) ns;
    }

    private static Finding first(RunResult r, Property wanted) {
        for (Finding f : r.findings()) if (wanted == null || f.property() == wanted) return f;
        return null;
    }

    /** Replays {@code choices} leniently under {@code c}, to the end of the run. */
    private RunResult attempt(int[] choices, Config c) {
        return Driver.run(model, scenario, c, new LenientReplay(choices), false, false);
    }

    /**
     * ddmin over the choice string: drop chunks (halves, quarters, ...) and set choices to
     * the first move while the property still breaks; then replay the shortest run found
     * exactly, with tracing, from its own recorded choices.
     */
    Counterexample shrink(int[] choices, Property p) {
        // Shrinking tries runs that may loop (a corrupted list): a step budget near the original's.
        Config c = config.withMaxSteps(Math.min(config.maxSteps(), 20L * choices.length + 10_000));
        int[] best = attempt(choices, c).choices();   // the whole run: replay does not stop at a finding
        int chunk = Math.max(1, best.length / 2);
        int budget = 400;
        while (chunk >= 1 && budget > 0) {
            boolean progress = false;
            for (int start = 0; start < best.length && budget > 0; start += chunk) {
                int[] cand = remove(best, start, chunk);
                budget--;
                RunResult r = attempt(cand, c);
                if (first(r, p) != null && r.choices().length <= best.length) {
                    best = r.choices();
                    progress = true;
                    start -= chunk;
                }
            }
            if (!progress) chunk /= 2;
        }
        for (int i = 0; i < best.length && budget > 0; i++) {       // prefer the first move
            if (best[i] == 0) continue;
            int[] cand = best.clone();
            cand[i] = 0;
            budget--;
            RunResult r = attempt(cand, c);
            if (first(r, p) != null && r.choices().length <= best.length) best = r.choices();
        }
        return counterexample(best, p, c);
    }

    /**
     * The counterexample that {@code choices} make (leniently) under {@code c}: its run to the
     * end, recorded move by move, so that its run-id replays exactly. When the run spent the
     * step budget of {@code c}, the run-id carries that budget.
     */
    Counterexample counterexample(int[] choices, Property p, Config c) {
        RunResult lenient = attempt(choices, c);
        RunSpec.Knobs k = lenient.end() == RunResult.End.STEP_LIMIT && c.maxSteps() != config.maxSteps()
                ? knobs.withMaxSteps(c.maxSteps()) : knobs;
        RunSpec spec = RunSpec.recorded(model, scenario.ref(), k, lenient.moves());
        RunResult exact = Driver.replay(model, scenario, k.apply(scenario.config()), lenient.moves(), true);
        if (exact.end() == RunResult.End.DIVERGED)
            throw new IllegalStateException("the counterexample does not replay: " + exact.divergence());
        return new Counterexample(spec.checked(exact), first(exact, p), exact);
    }

    private static int[] remove(int[] a, int start, int len) {
        int end = Math.min(a.length, start + len);
        int[] out = Arrays.copyOf(a, a.length - (end - start));
        System.arraycopy(a, end, out, start, a.length - end);
        return out;
    }
}
