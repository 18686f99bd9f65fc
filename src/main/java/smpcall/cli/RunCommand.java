package smpcall.cli;

import java.util.concurrent.Callable;

import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;
import smpcall.run.RunSpec;

@Command(name = "run", description = "Run one scenario on one model with a seed; print the ftrace-style trace, "
        + "the findings in the kernel's words and the run-id.")
final class RunCommand implements Callable<Integer> {
    @Spec CommandSpec spec;

    @Mixin CellOptions cell;

    @Option(names = "--seed", defaultValue = "1", description = "The seed of the random choices (default ${DEFAULT-VALUE}).")
    long seed;

    @Mixin KnobOptions knobs;

    @Override
    public Integer call() {
        cell.validate();
        String model = cell.model, scenario = cell.scenario;
        return RunPrinter.print(RunSpec.seeded(model, scenario, knobs.knobs(), seed), spec.commandLine().getOut());
    }
}
