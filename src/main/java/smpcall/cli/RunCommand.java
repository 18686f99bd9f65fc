package smpcall.cli;

import java.util.concurrent.Callable;

import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;
import smpcall.run.RunSpec;
import smpcall.run.Scenario;

@Command(name = "run", description = "Run one scenario on one model with a seed; print the ftrace-style trace, "
        + "the findings in the kernel's words and the run-id.")
final class RunCommand implements Callable<Integer> {
    @Spec CommandSpec spec;

    @Mixin ModelScenarioOptions target;

    @Option(names = "--seed", defaultValue = "1", description = "The seed of the random choices (default ${DEFAULT-VALUE}).")
    long seed;

    @Mixin KnobOptions knobs;

    @Override
    public Integer call() {
        String model = target.modelName();
        Scenario s = target.scenario();
        RunSpec.Knobs k = knobs.knobs();
        target.checkMachine(s, k);
        return RunPrinter.print(RunSpec.seeded(model, s.ref(), k, seed), spec.commandLine().getOut());
    }
}
