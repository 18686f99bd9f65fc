package smpcall.cli;

import java.io.PrintWriter;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/** The {@code smpcall} command line. Exit status: 0 nothing found, 1 findings, 2 bad input. */
@Command(name = "smpcall", mixinStandardHelpOptions = true, scope = CommandLine.ScopeType.INHERIT, version = "smpcall 0.1.0",
        description = "kernel/smp.c on a deterministic virtual SMP machine: run, replay, verify.",
        subcommands = {ModelsCommand.class, ScenariosCommand.class, RunCommand.class, ReplayCommand.class, CheckCommand.class,
                VerifyCommand.class, BenchCommand.class, LatencyCommand.class})
public final class Main implements Runnable {
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }

    public static void main(String[] args) {
        System.exit(execute(args, new PrintWriter(System.out, true), new PrintWriter(System.err, true)));
    }

    /** Runs the command line with the given streams; returns the exit status. */
    public static int execute(String[] args, PrintWriter out, PrintWriter err) {
        CommandLine cl = new CommandLine(new Main());
        cl.setOut(out);
        cl.setErr(err);
        cl.setParameterExceptionHandler((ex, a) -> {
            err.println("smpcall: " + ex.getMessage());
            return 2;
        });
        cl.setExecutionExceptionHandler((ex, cmd, parsed) -> {
            if (ex instanceof IllegalArgumentException) {
                err.println("smpcall: " + ex.getMessage());
                return 2;
            }
            throw ex;
        });
        return cl.execute(args);
    }
}
