package smpcall.cli;

import java.io.PrintWriter;
import java.util.concurrent.Callable;

import picocli.CommandLine.Command;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;
import smpcall.kernel.Mutant;
import smpcall.run.Models;

@Command(name = "models", description = "List the models: mainline, series-v9, and the mutants of series-v9 with the reason each drops.")
final class ModelsCommand implements Callable<Integer> {
    @Spec CommandSpec spec;

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        for (String name : Models.names()) out.printf("%-24s %s%n", name, Models.create(name).description());
        out.println();
        out.println("mutants of series-v9, each dropping one of the six reasons of the seed's commit message:");
        for (Mutant m : Models.mutants()) out.printf("%-24s %s%n", m.name(), m.description());
        out.println();
        out.println("your own: --model FILE.patch (a diff against the shipped model sources) or --model FILE.java");
        out.println("(a class extending a shipped model); see docs/user-models.md");
        out.flush();
        return 0;
    }
}
