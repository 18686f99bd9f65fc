package smpcall.check;

import java.util.function.BooleanSupplier;

import smpcall.machine.VirtualThreads;
import smpcall.run.RunSpec;
import smpcall.run.Scenario;

/** One model on one scenario (with its knobs) searched with one strategy, to a {@link SearchResult}. */
public final class Check {
    private Check() {}

    public enum Strategy { DFS, PCT, RANDOM }

    /** The reductions of the depth-first search, as {@code --reduction} names them. */
    public enum Reduction {
        /** A table of seen states with sleep sets (the default). */
        STATES,
        /** Stateless source-DPOR with sleep sets. */
        DPOR,
        /** Sleep sets only. */
        SLEEP,
        /** Every interleaving. */
        NONE
    }

    /**
     * How to search: the strategy; for dfs its reduction and preemption bound (negative: none);
     * for pct its depth; the budget of executions and seconds; how many jobs side by side.
     */
    public record Options(Strategy strategy, Reduction reduction, int bound, int depth, long executions, double seconds,
                          int jobs, boolean replay) {
        public Options(Strategy strategy, Reduction reduction, int bound, int depth, long executions, double seconds, int jobs) {
            this(strategy, reduction, bound, depth, executions, seconds, jobs, false);
        }
    }

    /** Searches; call it from any thread. {@code stop} is asked about once per execution (Ctrl-C, progress). */
    public static SearchResult run(String model, Scenario scenario, RunSpec.Knobs knobs, Options o, BooleanSupplier stop) {
        String name = scenario.ref();
        if (o.strategy() == Strategy.DFS) {
            Dfs dfs = new Dfs(model, scenario, knobs, o.bound(), switch (o.reduction()) {
                case STATES, SLEEP -> Dfs.Reduction.SLEEP_SETS;
                case DPOR -> Dfs.Reduction.SOURCE_DPOR;
                case NONE -> Dfs.Reduction.NONE;
            });
            boolean stateful = o.reduction() == Reduction.STATES;
            if (stateful && o.replay()) dfs.stateful();
            else if (stateful) dfs.restoring();           // it replays anyway with more than one job
            Dfs.Outcome d = VirtualThreads.call(() -> dfs.run(o.executions(), o.seconds(), stop, o.jobs()));
            return new SearchResult(model, name, knobs.format(), "dfs", o.reduction().name().toLowerCase(java.util.Locale.ROOT),
                    d.executions(), stateful ? d.states() : 0, d.steps(), d.seconds(), d.stepLimited(),
                    SearchResult.verdict(d.counterexample(), d.exhaustive(), d.interrupted()), d.counterexample());
        }
        Search.Strategy s = o.strategy() == Strategy.PCT ? Search.Strategy.PCT : Search.Strategy.RANDOM;
        Search search = new Search(model, scenario, knobs);
        Search.Outcome r = VirtualThreads.call(() -> search.run(s, o.depth(), null, o.executions(), o.seconds(), stop, o.jobs()));
        return new SearchResult(model, name, knobs.format(), s.name().toLowerCase(java.util.Locale.ROOT), null,
                r.executions(), 0, r.steps(), r.seconds(), 0,
                SearchResult.verdict(r.counterexample(), false, r.interrupted()), r.counterexample());
    }
}
