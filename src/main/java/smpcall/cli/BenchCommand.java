package smpcall.cli;

import java.io.PrintWriter;
import java.util.concurrent.Callable;

import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;
import smpcall.machine.VirtualThreads;
import smpcall.run.Models;
import smpcall.run.RunSpec;
import smpcall.run.Driver;
import smpcall.run.Scenarios;
import smpcall.lab.LabConfig;
import smpcall.lab.LabResult;
import smpcall.lab.LabModel;
import smpcall.lab.LatencyLab;
import smpcall.machine.RunResult;
import smpcall.run.Scenario;

/** Machine steps per second over random runs of one scenario (tracing off). */
@Command(name = "bench", description = "Measure machine steps per second over random runs of a scenario.")
final class BenchCommand implements Callable<Integer> {
    @Spec CommandSpec spec;

    @Option(names = "--model", description = "Model (default series-v9).")
    String model;

    @Option(names = "--scenario", description = "Scenario (default preempt-waiter).")
    String scenario;

    @Option(names = "--seconds", paramLabel = "DURATION", converter = Inputs.Duration.class,
            description = "Measured time after a warm-up, 100ms..1h (a bare number is seconds; default 5s).")
    java.time.Duration measured;

    @Option(names = "--lab", description = "Instead: the latency lab's default configuration (16 CPUs, 10 s of virtual "
            + "time) on each model, in simulated seconds per wall second.")
    boolean lab;

    @Option(names = "--torture", description = "Instead: torture on 64 CPUs with 4 threads each (nthreads=256) and CPU "
            + "hotplug every jiffy on series-v9, for --virtual of virtual time, in simulated seconds per wall second.")
    boolean torture;

    @Option(names = "--virtual", paramLabel = "DURATION", converter = Inputs.Duration.class,
            description = "With --torture: virtual time to run, 1ms..1h (default 100ms; the issue's figure is for 10s).")
    java.time.Duration virtual;

    @Option(names = "--check", description = "Instead: the exhaustive search's figures on the reference scenarios "
            + "(two-callers-hotplug, three-callers-hotplug, hotplug-target restoring, replaying, with 2 workers and as two "
            + "searches in two JVMs at once, verify with 1 and 2 jobs), each in a JVM of its own, with states/s, us per new "
            + "state and peak resident memory beside its target.")
    boolean check;

    @Option(names = "--time", paramLabel = "DURATION", converter = Inputs.Duration.class,
            description = "With --check: the budget of each search, 1s..1h (a bare number is seconds; default 60s).")
    java.time.Duration time;

    @Override
    public Integer call() throws Exception {
        if (time != null && !check) throw new IllegalArgumentException("--time applies to bench --check only");
        if (virtual != null && !torture) throw new IllegalArgumentException("--virtual applies to bench --torture only");
        if (torture) {
            if (lab || check || model != null || scenario != null || measured != null)
                throw new IllegalArgumentException("bench --torture runs a fixed configuration: it takes only --virtual");
            if (virtual == null) virtual = java.time.Duration.ofMillis(100);
            Inputs.range("--virtual", virtual, 1_000_000L, 3600_000_000_000L);
            return tortureBench(spec.commandLine().getOut(), virtual.toNanos());
        }
        if (check) {
            if (lab || model != null || scenario != null || measured != null)
                throw new IllegalArgumentException("bench --check runs fixed figures: it takes no "
                        + (lab ? "--lab" : model != null ? "--model" : scenario != null ? "--scenario" : "--seconds"));
            if (time == null) time = java.time.Duration.ofSeconds(60);
            Inputs.range("--time", time, 1_000_000_000L, 3600_000_000_000L);
            return CheckBench.run(spec.commandLine().getOut(), time.toNanos(), new Progress("bench"));
        }
        if (lab && (model != null || scenario != null || measured != null))
            throw new IllegalArgumentException("bench --lab runs the latency lab's default configuration: it takes no "
                    + (model != null ? "--model" : scenario != null ? "--scenario" : "--seconds"));
        if (model == null) model = "series-v9";
        if (scenario == null) scenario = "preempt-waiter";
        if (measured == null) measured = java.time.Duration.ofSeconds(5);
        if (!Models.exists(model)) Models.create(model);
        if (!Scenarios.exists(scenario)) Scenarios.get(scenario);
        Inputs.range("--seconds", measured, 100_000_000L, 3600_000_000_000L);
        double seconds = measured.toNanos() / 1e9;
        PrintWriter out = spec.commandLine().getOut();
        Progress progress = new Progress("bench");
        if (lab) {
            LabConfig c = LabConfig.defaults();
            for (LabModel v : LabModel.DEFAULTS) {
                progress.update("lab: " + v.label());
                LabResult r = VirtualThreads.call(() -> LatencyLab.run(c, v));
                progress.done();
                out.printf("lab %s: %.1f simulated s in %.1f wall s: %.2f simulated s per wall s (%d steps, %.0f steps/s), %s%n",
                        v.label(), r.simulatedNs() / 1e9, r.wallNs() / 1e9, (double) r.simulatedNs() / r.wallNs(), r.steps(),
                        r.steps() / (r.wallNs() / 1e9), Memory.peakResident());
                out.flush();
            }
            return 0;
        }
        progress.update("warming up");
        long seed = VirtualThreads.call(() -> measure(Math.min(2.0, seconds), 0))[2];
        progress.update("measuring for " + seconds + " s");
        long[] r = VirtualThreads.call(() -> measure(seconds, seed));
        progress.done();
        double sec = r[3] / 1e9;
        out.printf("bench: %s on %s, random runs, tracing off%n", scenario, model);
        out.printf("runs: %d  steps: %d  time: %.2f s%n", r[0], r[1], sec);
        out.printf("machine steps/s: %.0f  executions/s: %.0f  %s%n", r[1] / sec, r[0] / sec, Memory.peakResident());
        out.flush();
        return 0;
    }

    /** The torture figure: 64 CPUs x 4 threads with hotplug, simulated seconds per wall second, memory. */
    private static int tortureBench(PrintWriter out, long virtualNs) {
        smpcall.torture.TortureParams p = smpcall.torture.TortureParams.defaults().with("holdoff", "0")
                .with("onoff_interval", "1").with("nthreads", "256").withMachine(64, virtualNs, 1);
        smpcall.torture.Torture.Run run = new smpcall.torture.Torture.Run("series-v9", null, p, false);
        Progress progress = new Progress("bench");
        progress.update("torture: " + Inputs.show(virtualNs) + " of virtual time on 64 CPUs");
        smpcall.torture.Torture.Result r = VirtualThreads.call(() -> smpcall.torture.Torture.run(run, false));
        progress.done();
        double wall = r.wallNs() / 1e9, sim = r.machine().endNs() / 1e9;     // the test, then the shutdown's wait for the invokers
        out.printf("bench torture: %s, 64 CPUs, 256 threads, onoff_interval=1: %s, %d handler invocations, %d steps%n",
                run.id(), r.verdict(), r.invoked(), r.machine().steps());
        out.printf("%.3f simulated s in %.1f wall s: %.4f simulated s per wall s, %.0f steps/s; 10 s of virtual "
                        + "time would take about %.0f wall s; heap max %d MB, %s%n",
                sim, wall, sim / wall, r.machine().steps() / wall, 10 * wall / sim,
                Runtime.getRuntime().maxMemory() >> 20, Memory.peakResident());
        out.flush();
        return r.verdict().equals("SUCCESS") ? 0 : 1;
    }

    /** Returns runs, steps, next seed, elapsed ns. */
    private long[] measure(double secs, long seed) {
        long runs = 0, steps = 0, t0 = System.nanoTime(), deadline = t0 + (long) (secs * 1e9);
        long now;
        do {
            RunResult r = Driver.run(RunSpec.seeded(model, scenario, RunSpec.Knobs.NONE, seed++), false, false);
            steps += r.steps();
            runs++;
        } while ((now = System.nanoTime()) < deadline);
        return new long[] {runs, steps, seed, now - t0};
    }
}
