package smpcall.cli;

import java.io.PrintWriter;
import java.util.concurrent.Callable;
import java.util.concurrent.atomic.AtomicBoolean;

import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;
import smpcall.machine.VirtualThreads;
import smpcall.check.Dfs;
import smpcall.check.Search;
import smpcall.report.RunReport;
import smpcall.report.Timeline;
import smpcall.run.Scenarios;

/** One cell: search a model and scenario for a violation, within a budget. */
@Command(name = "check", description = "Search one model and scenario for a property violation: "
        + "exhaustive depth-first search (dfs, with a state cache and sleep sets, or source-DPOR), PCT, or random walk.")
final class CheckCommand implements Callable<Integer> {
    @Spec CommandSpec spec;

    @Mixin CellOptions cell;

    @Option(names = "--strategy", defaultValue = "dfs", description = "dfs, pct or random (default ${DEFAULT-VALUE}).")
    String strategy;

    @Option(names = "--bound", defaultValue = "-1", description = "dfs: at most k preemptions at will per run (default: none).")
    int bound;

    @Option(names = "--reduction", defaultValue = "states", description = "dfs: states (default: prune states seen before, "
            + "by a 64-bit hash, with sleep sets), dpor (stateless source-DPOR with sleep sets: best when few tasks "
            + "share a CPU), sleep (sleep sets only) or none (every interleaving).")
    String reduction;

    @Option(names = "--depth", defaultValue = "3", description = "PCT bug depth d (default ${DEFAULT-VALUE}).")
    int depth;

    @Option(names = "--runs", defaultValue = "100000", description = "Budget: executions (default ${DEFAULT-VALUE}).")
    long runs;

    @Option(names = "--time", defaultValue = "10", description = "Budget: seconds (default ${DEFAULT-VALUE}).")
    double seconds;

    @Option(names = "--jobs", paramLabel = "N", description = "pct and random: runs side by side (default: the number of "
            + "cores); the result does not depend on it. dfs with the state cache: workers sharing the table of seen "
            + "states (default: one); the verdict does not depend on it, the counts and the counterexample found first may.")
    Integer jobs;

    @Mixin KnobOptions knobs;

    @Override
    public Integer call() {
        cell.validate();
        String model = cell.model, scenario = cell.scenario;
        Search.Strategy s = switch (strategy) {
            case "random" -> Search.Strategy.RANDOM;
            case "pct" -> Search.Strategy.PCT;
            case "dfs" -> null;
            default -> throw new IllegalArgumentException("--strategy must be dfs, pct or random, not '" + strategy + "'");
        };
        if (depth < 1) throw new IllegalArgumentException("--depth must be at least 1");
        if (runs < 1 || seconds <= 0) throw new IllegalArgumentException("--runs and --time must be positive");
        int workers = jobs != null ? jobs : strategy.equals("dfs") ? 1 : Runtime.getRuntime().availableProcessors();
        if (workers < 1) throw new IllegalArgumentException("--jobs must be at least 1");
        PrintWriter out = spec.commandLine().getOut();
        var k = knobs.knobs();
        Search search = new Search(model, scenario, k);
        AtomicBoolean interrupted = new AtomicBoolean();
        java.util.concurrent.CountDownLatch printed = new java.util.concurrent.CountDownLatch(1);
        // Ctrl-C: stop the search and let the partial result be printed before the JVM goes.
        Thread hook = new Thread(() -> {
            interrupted.set(true);
            try {
                printed.await(10, java.util.concurrent.TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        });
        Runtime.getRuntime().addShutdownHook(hook);
        // Asked once per execution: stop on Ctrl-C, and show progress on a terminal.
        Progress progress = new Progress("check");
        long started = System.nanoTime();
        java.util.concurrent.atomic.AtomicLong seen = new java.util.concurrent.atomic.AtomicLong();
        java.util.concurrent.atomic.AtomicLong shown = new java.util.concurrent.atomic.AtomicLong();
        java.util.function.BooleanSupplier stop = () -> {
            long now = System.nanoTime(), n = seen.incrementAndGet(), last = shown.get();
            if (now - last > 200_000_000L && shown.compareAndSet(last, now))
                progress.update(String.format("%d executions, %.1f s", n, (now - started) / 1e9));
            return interrupted.get();
        };
        Search.Outcome o;
        boolean exhaustive = false;
        String states = "";
        if (s == null) {
            Dfs dfs = new Dfs(model, smpcall.run.Scenarios.get(scenario), k, bound, switch (reduction) {
                case "states", "sleep" -> Dfs.Reduction.SLEEP_SETS;
                case "dpor" -> Dfs.Reduction.SOURCE_DPOR;
                case "none" -> Dfs.Reduction.NONE;
                default -> throw new IllegalArgumentException("--reduction must be states, dpor, sleep or none, not '" + reduction + "'");
            });
            boolean stateful = reduction.equals("states");
            if (stateful) dfs.stateful();
            Dfs.Outcome d = VirtualThreads.call(() -> dfs.run(runs, seconds, stop, workers));
            exhaustive = d.exhaustive();
            if (stateful) states = "  states: " + d.states();
            o = new Search.Outcome(d.executions(), d.steps(), d.seconds(), d.counterexample(), d.interrupted());
        } else {
            o = VirtualThreads.call(() -> search.run(s, depth, null, runs, seconds, stop, workers));
        }
        progress.done();
        try {
            Runtime.getRuntime().removeShutdownHook(hook);
        } catch (IllegalStateException shuttingDown) {
            // Ctrl-C: print what we have
        }
        String verdict;
        if (o.found()) {
            var cx = o.counterexample();
            int cpus = cx.spec().config().nrCpus();
            out.println("violation of " + cx.finding().summary());
            out.println();
            out.print(Timeline.text(cx.result().trace(), cx.result().findings(), cpus));
            out.println();
            out.print(RunReport.text(cx.result(), cpus, cx.runId()));
            verdict = "violation of " + cx.finding().property().name();
        } else {
            verdict = o.interrupted() ? "interrupted: no violation so far"
                    : exhaustive ? "verified (exhaustive" + (bound >= 0 ? ", at most " + bound + " preemptions at will" : "") + ")"
                    : "no violation within budget";
        }
        out.printf("executions: %d%s  steps: %d  seconds: %.2f  steps/s: %.0f  verdict: %s%n",
                o.executions(), states, o.steps(), o.seconds(), o.steps() / Math.max(1e-9, o.seconds()), verdict);
        out.flush();
        printed.countDown();
        return o.found() ? 1 : 0;
    }
}
