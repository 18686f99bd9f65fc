package smpcall.cli;

import java.io.PrintWriter;
import java.nio.file.Path;
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
import smpcall.lab.LatencyLab;
import smpcall.machine.Costs;
import smpcall.report.LatencyReport;

/** The latency lab: the same workload on mainline, series-v9 and series-v9 with csdlock_debug. */
@Command(name = "latency", description = "Wakeup latency of a cyclictest-like task on every CPU while CPU0 cross-calls "
        + "all others, under mainline, series-v9 and series-v9 with csdlock_debug=1 (model figures, virtual time).")
final class LatencyCommand implements Callable<Integer> {
    @Spec CommandSpec spec;

    private static final LabConfig D = LabConfig.defaults();

    @Option(names = "--cpus", description = "CPUs (default ${DEFAULT-VALUE}).")
    int cpus = D.cpus();

    @Option(names = "--duration", paramLabel = "S", description = "Virtual seconds (default ${DEFAULT-VALUE}).")
    double durationS = D.durationNs() / 1e9;

    @Option(names = "--interval", paramLabel = "US", description = "Measuring period in us (default ${DEFAULT-VALUE}).")
    long intervalUs = D.intervalNs() / 1000;

    @Option(names = "--window", paramLabel = "S", description = "Window of the preempt-off maximum, s (default ${DEFAULT-VALUE}).")
    double windowS = D.windowNs() / 1e9;

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

    @Option(names = "--json", paramLabel = "FILE", description = "Also write the results as JSON.")
    Path json;

    @Option(names = "--plot", paramLabel = "FILE", description = "Also write a latency histogram plot (SVG).")
    Path plot;

    @Override
    public Integer call() throws Exception {
        if (cpus < 2 || cpus > 64) throw new IllegalArgumentException("--cpus must be 2..64, not " + cpus);
        if (durationS <= 0 || windowS <= 0 || intervalUs <= 0) throw new IllegalArgumentException("--duration, --window and --interval must be positive");
        if (thinkUs < 0 || gapUs <= 0 || shortUs <= 0 || longUs <= 0 || longPermille < 0 || longPermille > 1000)
            throw new IllegalArgumentException("irq-off and think settings must be positive (--irqoff-long-permille 0..1000)");
        if (Math.min(Math.min(Math.min(ipiLatencyNs, ipiSendNs), Math.min(irqEntryNs, irqExitNs)),
                Math.min(Math.min(accessNs, atomicNs), Math.min(contextSwitchNs, callbackNs))) < 0)
            throw new IllegalArgumentException("costs must not be negative");
        Costs costs = new Costs(accessNs, atomicNs, ipiSendNs, ipiLatencyNs, irqEntryNs, irqExitNs, contextSwitchNs, callbackNs);
        LabConfig c = new LabConfig(cpus, (long) (durationS * 1e9), intervalUs * 1000, (long) (windowS * 1e9), seed,
                thinkUs * 1000, gapUs * 1000, shortUs * 1000, longUs * 1000, longPermille, costs);
        PrintWriter out = spec.commandLine().getOut();
        out.print(LatencyReport.configuration(c));
        out.println();
        Progress progress = new Progress("latency");
        List<LabResult> results = new ArrayList<>();
        for (LatencyLab.Variant v : LatencyLab.Variant.values()) {
            progress.update(v.label + " (" + durationS + " s of virtual time)");
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
            LatencyReport.writeSvg(results, plot);
            out.println("plot: " + plot);
        }
        out.flush();
        return 0;
    }
}
