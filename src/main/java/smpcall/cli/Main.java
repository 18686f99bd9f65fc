package smpcall.cli;

import java.io.PrintWriter;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * The {@code smpcall} command line. Exit status: 0 nothing found (or verified), 1 findings, 2
 * bad input (one line on stderr naming what and where), 3 no verdict (a budget ended), 4 the
 * model code failed; an internal error of smpcall itself also ends with 4 and one line (with
 * {@code SMPCALL_DEBUG=1}, its stack trace).
 */
@Command(name = "smpcall", mixinStandardHelpOptions = true, scope = CommandLine.ScopeType.INHERIT, version = "smpcall 0.1.0",
        description = "kernel/smp.c on a deterministic virtual SMP machine: run, replay, verify.",
        subcommands = {ModelsCommand.class, ScenariosCommand.class, RunCommand.class, ReplayCommand.class, CheckCommand.class,
                VerifyCommand.class, BenchCommand.class, LatencyCommand.class, TortureCommand.class, TraceCommand.class})
public final class Main implements Runnable {
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }

    /** The exit status of a model error, and of an internal error of smpcall. */
    public static final int INTERNAL_ERROR = 4;

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
            err.println("smpcall: internal error: " + ex + " (a bug in smpcall; SMPCALL_DEBUG=1 prints where)");
            if (System.getenv("SMPCALL_DEBUG") != null) ex.printStackTrace(err);
            return INTERNAL_ERROR;
        });
        return cl.execute(args);
    }
}
