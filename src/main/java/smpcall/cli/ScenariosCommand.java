package smpcall.cli;

import java.util.concurrent.Callable;

import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;
import smpcall.run.Scenario;
import smpcall.run.Scenarios;

@Command(name = "scenarios", description = "List the built-in scenarios, or print one's YAML file (docs/scenarios.md).")
final class ScenariosCommand implements Callable<Integer> {
    @Spec CommandSpec spec;

    @Option(names = "--show", paramLabel = "NAME",
            description = "Print the YAML file of built-in scenario NAME as shipped: a starting point for a file of your own.")
    String show;

    @Override
    public Integer call() {
        if (show != null) {
            spec.commandLine().getOut().print(Scenarios.text(show));
            spec.commandLine().getOut().flush();
            return 0;
        }
        for (Scenario s : Scenarios.all())
            spec.commandLine().getOut().printf("%-20s %d CPUs  %s%n", s.name(), s.config().nrCpus(), s.description());
        return 0;
    }
}
