package smpcall.cli;

import java.util.concurrent.Callable;

import picocli.CommandLine.Command;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;
import smpcall.run.Models;

@Command(name = "models", description = "List the models.")
final class ModelsCommand implements Callable<Integer> {
    @Spec CommandSpec spec;

    @Override
    public Integer call() {
        for (String name : Models.names())
            spec.commandLine().getOut().printf("%-12s %s%n", name, Models.create(name).description());
        return 0;
    }
}
