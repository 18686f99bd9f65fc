package smpcall.cli;

import java.util.concurrent.Callable;

import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;
import smpcall.run.RunSpec;

@Command(name = "replay", description = "Re-run a run from the id it printed; prints the same bytes. A torture "
        + "run-id (torture:...) runs that test again and prints the ftrace lines of the last events before its first "
        + "finding, then the same output.")
final class ReplayCommand implements Callable<Integer> {
    @Spec CommandSpec spec;

    @Parameters(paramLabel = "RUN-ID", description = "The run-id, e.g. series-v9:preempt-waiter:-:s1")
    String id;

    @Override
    public Integer call() {
        if (id.startsWith("torture:")) {
            smpcall.torture.Torture.Run run = smpcall.torture.Torture.Run.parse(id);
            return TorturePrinter.print(smpcall.machine.VirtualThreads.call(() -> smpcall.torture.Torture.run(run, true)),
                    spec.commandLine().getOut(), true);
        }
        return RunPrinter.print(RunSpec.parse(id), spec.commandLine().getOut());
    }
}
