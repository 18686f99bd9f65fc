package smpcall.cli;

import java.util.concurrent.Callable;

import picocli.CommandLine.Command;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;
import smpcall.run.Scenario;
import smpcall.run.Scenarios;

@Command(name = "scenarios", description = "List the built-in scenarios.")
final class ScenariosCommand implements Callable<Integer> {
    @Spec CommandSpec spec;

    @Override
    public Integer call() {
        for (Scenario s : Scenarios.all())
            spec.commandLine().getOut().printf("%-20s %d CPUs  %s%n", s.name(), s.config().nrCpus(), s.description());
        return 0;
    }
}
