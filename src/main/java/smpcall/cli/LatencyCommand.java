package smpcall.cli;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;

import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;
import smpcall.machine.VirtualThreads;
import smpcall.lab.LabConfig;
import smpcall.lab.LabResult;
import smpcall.lab.LabModel;
import smpcall.lab.LatencyLab;
import smpcall.run.Models;
import smpcall.machine.Costs;
import smpcall.report.LatencyReport;

/** The latency lab: the same workload on mainline, series-v9 and series-v9 with csdlock_debug. */
@Command(name = "latency", description = "Wakeup latency of a cyclictest-like task on every CPU while CPU0 cross-calls "
        + "all others, under mainline, series-v9 and series-v9 with csdlock_debug=1, or the models of --model "
        + "(model figures, virtual time). Exit status 0; 1 if a model hung or broke a property on the way (its findings "
        + "follow the table); 2 bad input; 4 a model error.")
final class LatencyCommand implements Callable<Integer> {
    @Spec CommandSpec spec;

    private static final LabConfig D = LabConfig.defaults();

    @Option(names = "--cpus", description = "CPUs (default ${DEFAULT-VALUE}).")
    int cpus = D.cpus();

    @Option(names = "--duration", paramLabel = "DURATION", converter = Inputs.Duration.class,
            description = "Virtual time to simulate, 1ms..1h, such as 10s or 500ms (a bare number is seconds; default 10s).")
    Duration duration = Duration.ofNanos(D.durationNs());

    @Option(names = "--interval", paramLabel = "DURATION", converter = Inputs.DurationUs.class,
            description = "Measuring period, 1us..the duration, such as 1000us or 1ms (a bare number is us, as "
                    + "cyclictest -i; default 1000us).")
    Duration interval = Duration.ofNanos(D.intervalNs());

    @Option(names = "--window", paramLabel = "DURATION", converter = Inputs.Duration.class,
            description = "Window of the preempt-off maximum, 1ms..the duration (a bare number is seconds; default 1s, or the duration if shorter).")
    Duration window;

    @Option(names = "--seed", description = "Seed (default ${DEFAULT-VALUE}).")
    long seed = D.seed();

    @Option(names = "--think", paramLabel = "US", description = "Caller's work between calls, us (default ${DEFAULT-VALUE}).")
    long thinkUs = D.thinkNs() / 1000;

    @Option(names = "--irqoff-gap", paramLabel = "US", description = "Mean gap between irq-off windows, us (default ${DEFAULT-VALUE}).")
    long gapUs = D.irqoffGapNs() / 1000;

    @Option(names = "--irqoff-short", paramLabel = "US", description = "Mean short irq-off window, us (default ${DEFAULT-VALUE}).")
    long shortUs = D.irqoffShortNs() / 1000;

    @Option(names = "--irqoff-long", paramLabel = "US", description = "Scale of a long irq-off window, us (default ${DEFAULT-VALUE}).")
    long longUs = D.irqoffLongNs() / 1000;

    @Option(names = "--irqoff-long-permille", description = "Long windows per thousand (default ${DEFAULT-VALUE}).")
    int longPermille = D.irqoffLongPermille();

    @Option(names = "--ipi-latency", paramLabel = "NS", description = "IPI delivery, ns (default ${DEFAULT-VALUE}).")
    long ipiLatencyNs = Costs.DEFAULT.ipiLatencyNs();

    @Option(names = "--ipi-send", paramLabel = "NS", description = "Sender's ICR write, ns (default ${DEFAULT-VALUE}).")
    long ipiSendNs = Costs.DEFAULT.ipiSendNs();

    @Option(names = "--irq-entry", paramLabel = "NS", description = "Interrupt entry, ns (default ${DEFAULT-VALUE}).")
    long irqEntryNs = Costs.DEFAULT.irqEntryNs();

    @Option(names = "--irq-exit", paramLabel = "NS", description = "Interrupt exit, ns (default ${DEFAULT-VALUE}).")
    long irqExitNs = Costs.DEFAULT.irqExitNs();

    @Option(names = "--access", paramLabel = "NS", description = "Plain load or store, ns (default ${DEFAULT-VALUE}).")
    long accessNs = Costs.DEFAULT.accessNs();

    @Option(names = "--atomic", paramLabel = "NS", description = "Atomic read-modify-write, ns (default ${DEFAULT-VALUE}).")
    long atomicNs = Costs.DEFAULT.atomicNs();

    @Option(names = "--callback", paramLabel = "NS", description = "Callback run time, ns (default ${DEFAULT-VALUE}).")
    long callbackNs = Costs.DEFAULT.callbackNs();

    @Option(names = "--context-switch", paramLabel = "NS", description = "Context switch, ns (default ${DEFAULT-VALUE}).")
    long contextSwitchNs = Costs.DEFAULT.contextSwitchNs();

    @Option(names = "--model", paramLabel = "MODEL",
            description = "A model to run the workload on, instead of the three defaults; repeat it to compare "
                    + "(a shipped model, a .patch or .java file; add +csdlock_debug for the csdlock_debug=1 boot option).")
    List<String> models;

    @Option(names = "--json", paramLabel = "FILE", converter = Inputs.OutputPath.class,
            description = "Also write the results as JSON.")
    Path json;

    @Option(names = "--plot", paramLabel = "FILE", converter = Inputs.OutputPath.class,
            description = "Also write a latency histogram plot (SVG).")
    Path plot;

    @Option(names = "--report", paramLabel = "DIR", converter = Inputs.OutputPath.class,
            description = "Also write a self-contained HTML report: the configuration, the histogram plot and the tables.")
    Path report;

    @Override
    public Integer call() throws Exception {
        Inputs.range("--cpus", cpus, 2, 64, "CPUs");
        Inputs.range("--duration", duration, 1_000_000L, 3600_000_000_000L);
        Inputs.range("--interval", interval, 1_000L, duration.toNanos());
        if (window == null) window = Duration.ofNanos(Math.min(D.windowNs(), duration.toNanos()));
        Inputs.range("--window", window, 1_000_000L, Math.max(1_000_000L, duration.toNanos()));
        Inputs.outputFile("--json", json);
        Inputs.outputFile("--plot", plot);
        Inputs.outputDir("--report", report);
        if (thinkUs < 0 || gapUs <= 0 || shortUs <= 0 || longUs <= 0 || longPermille < 0 || longPermille > 1000)
            throw new IllegalArgumentException("irq-off and think settings must be positive (--irqoff-long-permille 0..1000)");
        if (Math.min(Math.min(Math.min(ipiLatencyNs, ipiSendNs), Math.min(irqEntryNs, irqExitNs)),
                Math.min(Math.min(accessNs, atomicNs), Math.min(contextSwitchNs, callbackNs))) < 0)
            throw new IllegalArgumentException("costs must not be negative");
        Costs costs = new Costs(accessNs, atomicNs, ipiSendNs, ipiLatencyNs, irqEntryNs, irqExitNs, contextSwitchNs, callbackNs);
        LabConfig c = new LabConfig(cpus, duration.toNanos(), interval.toNanos(), window.toNanos(), seed,
                thinkUs * 1000, gapUs * 1000, shortUs * 1000, longUs * 1000, longPermille, costs);
        List<LabModel> subjects = subjects();
        PrintWriter out = spec.commandLine().getOut();
        out.print(LatencyReport.configuration(c));
        out.println();
        Progress progress = new Progress("latency");
        List<LabResult> results = new ArrayList<>();
        for (LabModel v : subjects) {
            progress.update(v.label() + " (" + Inputs.show(duration.toNanos()) + " of virtual time)");
            results.add(VirtualThreads.call(() -> LatencyLab.run(c, v)));
        }
        progress.done();
        out.print(LatencyReport.table(results, c));
        out.println();
        // Wall time differs from run to run: it goes to stderr, so that stdout stays the same bytes.
        for (LabResult r : results)
            System.err.printf("latency: %s simulated %.1f s in %.1f s of wall time (%.2f simulated s per wall s)%n",
                    r.model(), r.simulatedNs() / 1e9, r.wallNs() / 1e9, (double) r.simulatedNs() / r.wallNs());
        if (json != null) {
            LatencyReport.writeJson(results, c, json);
            out.println("json: " + json);
        }
        if (plot != null) {
            LatencyReport.writeSvg(results, c, plot);
            out.println("plot: " + plot);
        }
        if (report != null) {
            smpcall.report.HtmlReport.latency(report, results, c);
            out.println("report: " + report.resolve("index.html"));
        }
        return findings(out, results);
    }

    /** The models to run: the defaults, or those of --model, each resolved (a file is loaded here, once). */
    private List<LabModel> subjects() {
        if (models == null) return LabModel.DEFAULTS;
        List<LabModel> out = new ArrayList<>();
        for (String ref : models) {
            boolean debug = ref.endsWith(CSDLOCK_DEBUG);
            String model = debug ? ref.substring(0, ref.length() - CSDLOCK_DEBUG.length()) : ref;
            String name = Models.resolve(model);
            String label = model.equals(name) ? ref : java.nio.file.Path.of(model).getFileName() + (debug ? CSDLOCK_DEBUG : "");
            if (out.stream().anyMatch(m -> m.label().equals(label)))
                throw new IllegalArgumentException("--model " + ref + " is given twice");
            out.add(new LabModel(label, name, debug));
        }
        return out;
    }

    private static final String CSDLOCK_DEBUG = "+csdlock_debug";

    /**
     * A model that hung, failed or broke a property under the workload: its findings in the
     * kernel's words after the table, and the exit status says so (1, or 4 for a model error).
     */
    private static int findings(PrintWriter out, List<LabResult> results) {
        int status = 0;
        for (LabResult r : results) {
            if (r.clean()) continue;
            out.println();
            String how = switch (r.end()) {
                case FINDING -> "stopped at its first finding";
                case HANG -> "hung";
                case MODEL_ERROR -> "stopped: the model failed";
                default -> "ended: " + r.end().name().toLowerCase(java.util.Locale.ROOT).replace('_', ' ');
            };
            out.println(r.model() + ": the run " + how + "; its figures cover the run up to there");
            for (var f : r.findings()) for (String line : f.kernelLog()) out.println("  " + line);
            status = Math.max(status, r.end() == smpcall.machine.RunResult.End.MODEL_ERROR ? 4 : 1);
        }
        out.flush();
        return status;
    }
}
