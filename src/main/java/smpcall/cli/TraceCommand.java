package smpcall.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;

import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;
import smpcall.machine.RunResult;
import smpcall.report.Lanes;
import smpcall.report.PerfettoTrace;
import smpcall.report.RunReport;
import smpcall.run.Driver;
import smpcall.run.Models;
import smpcall.run.Outcome;
import smpcall.run.RunSpec;
import smpcall.run.Scenario;
import smpcall.run.Scenarios;

/** One run's trace as ftrace text or as Chrome/Perfetto trace-event JSON. */
@Command(name = "trace", description = {"Write one run's trace: ftrace text as 'run' prints it, or Chrome/Perfetto "
        + "trace-event JSON that ui.perfetto.dev opens (a lane per CPU, IPIs as arrows; docs/pictures.md).",
        "Exit status: as run's (0 nothing found, 1 findings, 2 bad input, 3 step budget spent, 4 model error)."})
final class TraceCommand implements Callable<Integer> {
    @Spec CommandSpec spec;

    @Option(names = "--model", paramLabel = "MODEL", description = "The model (with --seed; a --run-id names its own).")
    String model;

    @Option(names = "--scenario", paramLabel = "SCENARIO", description = "The scenario (with --seed; a --run-id names its own).")
    String scenario;

    @Option(names = "--seed", description = "The seed of the random choices (default 1).")
    Long seed;

    @Option(names = "--run-id", paramLabel = "ID", description = "The run a run-id names (as replay takes it).")
    String runId;

    @Option(names = "--format", defaultValue = "perfetto", description = "ftrace or perfetto (default ${DEFAULT-VALUE}).")
    String format;

    @Option(names = {"-o", "--output"}, paramLabel = "FILE", converter = Inputs.OutputPath.class,
            description = "Write to FILE instead of standard output.")
    Path output;

    @Mixin KnobOptions knobs;

    @Override
    public Integer call() throws IOException {
        if (!format.equals("ftrace") && !format.equals("perfetto"))
            throw new IllegalArgumentException("--format must be ftrace or perfetto, not '" + format + "'");
        Inputs.outputFile("-o", output);
        RunSpec rs = spec();
        Outcome o = Driver.outcome(rs);
        if (o instanceof Outcome.Diverged d) throw new IllegalArgumentException("run-id does not replay: " + d.why());
        String id = rs.checked(o.result()).id();
        String text = text(o.result(), rs.config().nrCpus(), id, format);
        if (output == null) {
            PrintWriter out = spec.commandLine().getOut();
            out.print(text);
            out.flush();
        } else {
            Files.writeString(output, text);
        }
        return o.exitStatus();
    }

    /** The run as {@code format} (ftrace or perfetto) prints it. */
    static String text(RunResult r, int nrCpus, String runId, String format) {
        return format.equals("ftrace") ? RunReport.text(r, nrCpus, runId)
                : PerfettoTrace.json(Lanes.of(r, nrCpus), runId);
    }

    private RunSpec spec() {
        if (runId == null) {
            if (model == null || scenario == null)
                throw new IllegalArgumentException("trace needs --model and --scenario (with --seed), or --run-id");
            Scenario s = Scenarios.resolve(scenario);
            RunSpec.Knobs k = knobs.knobs();
            s.check(k.apply(s.config()));
            return RunSpec.seeded(Models.resolve(model), s.ref(), k, seed == null ? 1 : seed);
        }
        if (seed != null) throw new IllegalArgumentException("--seed and --run-id exclude each other: a run-id names its run");
        if (!knobs.knobs().equals(RunSpec.Knobs.NONE))
            throw new IllegalArgumentException("--run-id names its knobs: leave out --cpus, --preempt and the other knobs");
        RunSpec rs = RunSpec.parse(runId);
        if (model != null && !Models.resolve(model).equals(rs.model()))
            throw new IllegalArgumentException("--model " + model + " is not the run-id's model (" + rs.model() + ")");
        if (scenario != null && !Scenarios.resolve(scenario).ref().equals(rs.scenario()))
            throw new IllegalArgumentException("--scenario " + scenario + " is not the run-id's scenario (" + rs.scenario() + ")");
        return rs;
    }
}
