package smpcall.run;

import java.util.function.Supplier;

import smpcall.kernel.Mainline;
import smpcall.kernel.Property;
import smpcall.machine.Chooser;
import smpcall.machine.Clock;
import smpcall.machine.Config;
import smpcall.machine.Machine;
import smpcall.machine.ReplayChooser;
import smpcall.machine.RunResult;

/**
 * The one way to make an execution: build the machine, boot the model on it, set up the
 * scenario, run, and say how it ended. A recorded run (a run-id with moves) is checked
 * against its recording at every decision by the {@link ReplayChooser}, and at the end for
 * moves left over.
 */
public final class Driver {
    private Driver() {}

    /** Runs what {@code spec} names; a recording that does not fit ends it as {@link RunResult.End#DIVERGED}. */
    public static RunResult run(RunSpec spec, boolean tracing, boolean stopOnFinding) {
        Scenario s = spec.resolveScenario();     // a file is read once per run
        Config c = spec.knobs().apply(s.config());
        RunResult r = spec.moves() != null ? replay(spec.model(), s, c, spec.moves(), tracing)
                : run(spec.model(), s, c, spec.chooser(), tracing, stopOnFinding);
        String mismatch = r.end() == RunResult.End.DIVERGED ? null : spec.mismatch(r);
        return mismatch == null ? r : diverged(r, mismatch);
    }

    /**
     * Replays recorded {@code moves} (tokens) to the end of the run; a recording that names a
     * move the machine does not offer, runs out, or has moves left at the end makes the run
     * {@link RunResult.End#DIVERGED}.
     */
    public static RunResult replay(String model, Scenario scenario, Config config, int[] moves, boolean tracing) {
        ReplayChooser replay = new ReplayChooser(moves);
        RunResult r = run(model, scenario, config, replay, tracing, false);
        if (r.end() != RunResult.End.DIVERGED && !replay.exhausted())
            return diverged(r, "the run ended after step " + r.steps() + ", but the run-id records "
                    + replay.left() + " more move" + (replay.left() == 1 ? "" : "s"));
        return r;
    }

    /** One execution in checking time (one global clock) under {@code chooser}. */
    public static RunResult run(String model, Scenario scenario, Config config, Chooser chooser,
                                boolean tracing, boolean stopOnFinding) {
        return run(model, scenario, config, chooser, Clock.Mode.GLOBAL, tracing, stopOnFinding);
    }

    /** One execution; {@code timing} PER_CPU is the latency lab's (each CPU its own clock). */
    public static RunResult run(String model, Scenario scenario, Config config, Chooser chooser, Clock.Mode timing,
                                boolean tracing, boolean stopOnFinding) {
        return run(() -> Models.create(model), scenario, config, chooser, timing, tracing, stopOnFinding);
    }

    /** One execution in checking time of the model {@code model} makes (a fresh one; e.g. a user's model). */
    public static RunResult run(Supplier<? extends Mainline> model, Scenario scenario, Config config, Chooser chooser,
                                boolean tracing, boolean stopOnFinding) {
        return run(model, scenario, config, chooser, Clock.Mode.GLOBAL, tracing, stopOnFinding);
    }

    public static RunResult run(Supplier<? extends Mainline> model, Scenario scenario, Config config, Chooser chooser,
                                Clock.Mode timing, boolean tracing, boolean stopOnFinding) {
        Machine m = new Machine(config, chooser, timing, tracing);
        m.nameChecks(Property::of);
        if (timing == Clock.Mode.PER_CPU) m.recordNoMoves();     // time-ordered runs are reproduced from their seed
        m.stopOnFirstFinding(stopOnFinding);
        java.util.Set<smpcall.kernel.Property> checked = scenario.checked();
        if (!checked.containsAll(java.util.EnumSet.allOf(smpcall.kernel.Property.class)))
            m.keepFindings(f -> checked.contains(f.property()));
        Mainline k = model.get();
        k.boot(m);
        scenario.setUp(m, k);
        return m.run();
    }

    /** Runs what {@code spec} names with tracing, to its end, and says how it ended. */
    public static Outcome outcome(RunSpec spec) {
        return Outcome.of(run(spec, true, false));
    }

    private static RunResult diverged(RunResult r, String why) {
        return new RunResult(RunResult.End.DIVERGED, r.findings(), r.trace(), r.console(), r.steps(), r.choices(),
                r.moves(), r.endNs(), why, r.contexts());
    }
}
