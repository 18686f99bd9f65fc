package smpcall.cli;

import java.util.concurrent.Callable;

import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;
import smpcall.run.RunSpec;

@Command(name = "replay", description = "Re-run a run from the id it printed; prints the same bytes.")
final class ReplayCommand implements Callable<Integer> {
    @Spec CommandSpec spec;

    @Parameters(paramLabel = "RUN-ID", description = "The run-id, e.g. series-v9:preempt-waiter:-:s1")
    String id;

    @Override
    public Integer call() {
        return RunPrinter.print(RunSpec.parse(id), spec.commandLine().getOut());
    }
}
