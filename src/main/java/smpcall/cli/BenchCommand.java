package smpcall.cli;

import java.io.PrintWriter;
import java.util.concurrent.Callable;

import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;
import smpcall.kernel.Models;
import smpcall.kernel.RunSpec;
import smpcall.kernel.Runs;
import smpcall.kernel.Scenarios;
import smpcall.machine.RunResult;

/** Machine steps per second over random runs of one scenario (tracing off). */
@Command(name = "bench", description = "Measure machine steps per second over random runs of a scenario.")
final class BenchCommand implements Callable<Integer> {
    @Spec CommandSpec spec;

    @Option(names = "--model", defaultValue = "series-v9", description = "Model (default ${DEFAULT-VALUE}).")
    String model;

    @Option(names = "--scenario", defaultValue = "preempt-waiter", description = "Scenario (default ${DEFAULT-VALUE}).")
    String scenario;

    @Option(names = "--seconds", defaultValue = "5", description = "Measured time after a warm-up (default ${DEFAULT-VALUE}).")
    double seconds;

    @Override
    public Integer call() {
        if (!Models.exists(model)) Models.create(model);
        if (!Scenarios.exists(scenario)) Scenarios.get(scenario);
        if (seconds <= 0) throw new IllegalArgumentException("--seconds must be positive");
        PrintWriter out = spec.commandLine().getOut();
        Progress progress = new Progress("bench");
        progress.update("warming up");
        long seed = Runs.onVirtualThread(() -> measure(Math.min(2.0, seconds), 0))[2];
        progress.update("measuring for " + seconds + " s");
        long[] r = Runs.onVirtualThread(() -> measure(seconds, seed));
        progress.done();
        double sec = r[3] / 1e9;
        out.printf("bench: %s on %s, random runs, tracing off%n", scenario, model);
        out.printf("runs: %d  steps: %d  time: %.2f s%n", r[0], r[1], sec);
        out.printf("machine steps/s: %.0f  runs/s: %.0f%n", r[1] / sec, r[0] / sec);
        out.flush();
        return 0;
    }

    /** Returns runs, steps, next seed, elapsed ns. */
    private long[] measure(double secs, long seed) {
        long runs = 0, steps = 0, t0 = System.nanoTime(), deadline = t0 + (long) (secs * 1e9);
        long now;
        do {
            RunResult r = Runs.run(RunSpec.seeded(model, scenario, RunSpec.Knobs.NONE, seed++), false, false);
            steps += r.steps();
            runs++;
        } while ((now = System.nanoTime()) < deadline);
        return new long[] {runs, steps, seed, now - t0};
    }
}
