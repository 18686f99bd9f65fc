package smpcall.kernel;

import java.util.function.Supplier;

import smpcall.machine.Chooser;
import smpcall.machine.Clock;
import smpcall.machine.Config;
import smpcall.machine.Machine;
import smpcall.machine.RunResult;

/** Builds machine, model and scenario for one run, and runs it. */
public final class Runs {
    private Runs() {}

    /** Runs what {@code spec} names. */
    public static RunResult run(RunSpec spec, boolean tracing, boolean stopOnFinding) {
        return run(spec.model(), Scenarios.get(spec.scenario()), spec.config(), spec.chooser(), tracing, stopOnFinding);
    }

    public static RunResult run(String model, Scenario scenario, Config config, Chooser chooser,
                                boolean tracing, boolean stopOnFinding) {
        return run(() -> Models.create(model), scenario, config, chooser, tracing, stopOnFinding);
    }

    /** Runs the model {@code model} makes (a fresh one; e.g. a user's model). */
    public static RunResult run(Supplier<? extends Mainline> model, Scenario scenario, Config config, Chooser chooser,
                                boolean tracing, boolean stopOnFinding) {
        Machine m = new Machine(config, chooser, Clock.Mode.GLOBAL, tracing);
        m.stopOnFirstFinding(stopOnFinding);
        Mainline k = model.get();
        k.boot(m);
        scenario.setUp(m, k);
        return m.run();
    }
}
