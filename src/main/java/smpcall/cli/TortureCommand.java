package smpcall.cli;

import java.io.PrintWriter;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;
import smpcall.machine.VirtualThreads;
import smpcall.run.Models;
import smpcall.torture.Invoker;
import smpcall.torture.Torture;
import smpcall.torture.TortureParams;

/** scftorture on a model: its parameters, its output, its verdict; every failure with a run-id. */
@Command(name = "torture", sortOptions = false,
        description = {"kernel/scftorture.c on a model in virtual time: random cross-calls of every kind from "
                + "nthreads invokers while CPUs go down and up (onoff_interval), checked by scftorture's own checks and "
                + "every property of the checker. Prints scftorture's kernel log (parameters, selection table, "
                + "statistics lines, the end-of-test line with SUCCESS, FAILURE or LOCK_HOTPLUG) and a run-id that "
                + "'replay' reproduces.",
                "scftorture's parameters are taken as module parameters (nthreads=8 onoff_interval=1, also with a "
                        + "'scftorture.' prefix) or as flags (--nthreads 8 --onoff_interval 1); the defaults are those of a "
                        + "kernel built with CONFIG_SCF_TORTURE_TEST=y: " + "holdoff=10 nthreads=-1 onoff_holdoff=0 "
                        + "onoff_interval=0 (jiffies, HZ=1000; 0: no hotplug) shutdown_secs=0 stat_interval=60 stutter=5 "
                        + "use_cpus_read_lock=0 longwait=0 verbose=0, every weight -1 (the defaults: 2N for the single "
                        + "kinds, 2 for many, 1 for all; once one weight is positive, -1 means 0).",
                "Exit status: 0 SUCCESS, 1 FAILURE (or LOCK_HOTPLUG), 2 bad input, 3 stopped early by Ctrl-C with nothing "
                        + "found, 4 a model error."})
final class TortureCommand implements Callable<Integer> {
    @Spec CommandSpec spec;

    @Option(names = "--model", paramLabel = "MODEL", defaultValue = "series-v9",
            description = "The model (a shipped name, a .patch or .java file; default ${DEFAULT-VALUE}).")
    String model;

    @Option(names = "--cpus", paramLabel = "N", description = "CPUs, 2..64 (default 4).")
    int cpus = TortureParams.defaults().cpus();

    @Option(names = "--duration", paramLabel = "DURATION", converter = Inputs.Duration.class,
            description = "Virtual time the test runs after its holdoff when shutdown_secs is 0, such as 25ms or 2s "
                    + "(a bare number is seconds; default 100ms).")
    Duration duration = Duration.ofNanos(TortureParams.defaults().durationNs());

    @Option(names = "--seed", paramLabel = "N", description = "Seed of torture_random() and the machine (default 1).")
    long seed = 1;

    @Option(names = "--seeds", paramLabel = "N", description = "Run N tests, seeds SEED..SEED+N-1 (default 1).")
    int seeds = 1;

    @Option(names = "--jobs", paramLabel = "N", description = "Tests side by side with --seeds (default: all cores).")
    Integer jobs;

    @Option(names = "--invoker", paramLabel = "KIND",
            description = "The invoker: mainline (preempt_disable() around each call), series-v9 (patch 09: none, "
                    + "and the narrowed memory-ordering check), series-v9-old-warn (patch 09's invoker, the old check); "
                    + "default: the model's own.")
    String invoker;

    @Option(names = "--csdlock-debug", paramLabel = "0|1", description = "The csdlock_debug= boot option (torture.sh boots with 1).")
    String csdlockDebug;

    @Option(names = "--report", paramLabel = "DIR", converter = Inputs.OutputPath.class,
            description = "Also write a self-contained HTML report of the test: its kernel log, verdict and findings.")
    java.nio.file.Path report;

    @Option(names = {"--nthreads"}, hidden = true) String nthreads;
    @Option(names = {"--holdoff"}, hidden = true) String holdoff;
    @Option(names = {"--onoff_holdoff", "--onoff-holdoff"}, hidden = true) String onoffHoldoff;
    @Option(names = {"--onoff_interval", "--onoff-interval"}, hidden = true) String onoffInterval;
    @Option(names = {"--stat_interval", "--stat-interval"}, hidden = true) String statInterval;
    @Option(names = {"--stutter"}, hidden = true) String stutter;
    @Option(names = {"--use_cpus_read_lock", "--use-cpus-read-lock"}, hidden = true) String useCpusReadLock;
    @Option(names = {"--longwait"}, hidden = true) String longwait;
    @Option(names = {"--shutdown_secs", "--shutdown-secs"}, hidden = true) String shutdownSecs;
    @Option(names = {"--verbose"}, hidden = true) String verbose;
    @Option(names = {"--weight_resched", "--weight-resched"}, hidden = true) String weightResched;
    @Option(names = {"--weight_single", "--weight-single"}, hidden = true) String weightSingle;
    @Option(names = {"--weight_single_rpc", "--weight-single-rpc"}, hidden = true) String weightSingleRpc;
    @Option(names = {"--weight_single_wait", "--weight-single-wait"}, hidden = true) String weightSingleWait;
    @Option(names = {"--weight_many", "--weight-many"}, hidden = true) String weightMany;
    @Option(names = {"--weight_many_wait", "--weight-many-wait"}, hidden = true) String weightManyWait;
    @Option(names = {"--weight_all", "--weight-all"}, hidden = true) String weightAll;
    @Option(names = {"--weight_all_wait", "--weight-all-wait"}, hidden = true) String weightAllWait;

    @Parameters(paramLabel = "PARAM=VALUE", arity = "0..*",
            description = "scftorture module parameters, such as nthreads=8 onoff_interval=1 (or as flags: --nthreads 8).")
    List<String> moduleParams = new ArrayList<>();

    @Override
    public Integer call() throws Exception {
        Inputs.range("--cpus", cpus, 2, 64, "CPUs");
        Inputs.range("--duration", duration, 1_000_000L, 3600_000_000_000L);
        Inputs.range("--seeds", seeds, 1, 100_000, "seeds");
        if (jobs != null) Inputs.range("--jobs", jobs, 1, 256, "jobs");
        TortureParams p = params().withMachine(cpus, duration.toNanos(), seed);
        String name = Models.resolve(model);
        Invoker inv = invoker == null ? null : Invoker.parse(invoker);
        boolean debug = "1".equals(csdlockDebug);
        if (csdlockDebug != null && !csdlockDebug.matches("[01]"))
            throw new IllegalArgumentException("--csdlock-debug must be 0 or 1, not '" + csdlockDebug + "'");
        Torture.Run run = new Torture.Run(name, inv, p, debug);
        Torture.check(run);
        Inputs.outputDir("--report", report);
        if (report != null && seeds != 1) throw new IllegalArgumentException("--report takes one test: leave out --seeds");
        PrintWriter out = spec.commandLine().getOut();
        if (seeds == 1) {
            Interruptible.Stop stop = new Interruptible.Stop(new Progress("torture"), "calls");
            Torture.Result r = Interruptible.run(stop, () -> VirtualThreads.call(() -> Torture.run(run, false, stop)));
            int status = TorturePrinter.print(r, out, false);
            if (report != null) {
                TorturePrinter.report(r, report);
                out.println("report: " + report.resolve("index.html"));
                out.flush();
            }
            stop.printed();
            return status;
        }
        return seeds(run, out);
    }

    /** The module parameters, flags first, then the PARAM=VALUE words; one given twice is refused. */
    private TortureParams params() {
        Map<String, String> given = new LinkedHashMap<>();
        String[][] flags = {{"nthreads", nthreads}, {"holdoff", holdoff}, {"onoff_holdoff", onoffHoldoff},
                {"onoff_interval", onoffInterval}, {"stat_interval", statInterval}, {"stutter", stutter},
                {"use_cpus_read_lock", useCpusReadLock}, {"longwait", longwait}, {"shutdown_secs", shutdownSecs},
                {"verbose", verbose}, {"weight_resched", weightResched}, {"weight_single", weightSingle},
                {"weight_single_rpc", weightSingleRpc}, {"weight_single_wait", weightSingleWait},
                {"weight_many", weightMany}, {"weight_many_wait", weightManyWait}, {"weight_all", weightAll},
                {"weight_all_wait", weightAllWait}};
        for (String[] f : flags) if (f[1] != null) given.put(f[0], f[1]);
        for (String word : moduleParams) {
            int eq = word.indexOf('=');
            if (eq <= 0) throw new IllegalArgumentException("'" + word + "' is not a module parameter (NAME=VALUE, such as nthreads=8)");
            String name = word.substring(0, eq);
            if (name.startsWith("scftorture.")) name = name.substring("scftorture.".length());
            if (given.put(name, word.substring(eq + 1)) != null)
                throw new IllegalArgumentException("scftorture parameter '" + name + "' is given twice");
        }
        TortureParams p = TortureParams.defaults();
        for (var e : given.entrySet()) p = p.with(e.getKey(), e.getValue());
        return p;
    }

    /** --seeds: each test on its own, side by side; one line each, the failures in full after. */
    private int seeds(Torture.Run first, PrintWriter out) throws Exception {
        int n = jobs != null ? jobs : Runtime.getRuntime().availableProcessors();
        List<Future<Torture.Result>> results = new ArrayList<>();
        Progress progress = new Progress("torture");
        try (ExecutorService pool = Executors.newFixedThreadPool(n)) {
            for (int i = 0; i < seeds; i++) {
                TortureParams p = first.params();
                Torture.Run r = new Torture.Run(first.model(), first.invoker(), p.withMachine(p.cpus(), p.durationNs(),
                        p.seed() + i), first.csdlockDebug());
                results.add(pool.submit(() -> VirtualThreads.call(() -> Torture.run(r, false))));
            }
            int status = 0, failed = 0;
            List<Torture.Result> failures = new ArrayList<>();
            for (int i = 0; i < results.size(); i++) {
                progress.update((i + 1) + " of " + seeds + " tests");
                Torture.Result r = results.get(i).get();
                out.printf("%-8s %s  (%d handler invocations)%n", r.verdict(), r.run().id(), r.invoked());
                if (!r.verdict().equals("SUCCESS")) {
                    failures.add(r);
                    if (r.failed()) failed++;
                }
                status = Math.max(status, TorturePrinter.status(r));
            }
            progress.done();
            out.printf("torture: %d of %d tests SUCCESS, %d FAILURE%n", seeds - failures.size(), seeds, failed);
            for (Torture.Result r : failures) {
                out.println();
                TorturePrinter.findings(r, out);
            }
            out.flush();
            return status;
        }
    }
}
