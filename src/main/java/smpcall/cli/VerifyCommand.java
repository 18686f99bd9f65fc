package smpcall.cli;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReferenceArray;

import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;
import smpcall.check.VerifySuite;
import smpcall.kernel.Reasons;
import smpcall.machine.VirtualThreads;
import smpcall.report.Json;
import smpcall.report.VerifyJson;
import smpcall.report.VerifyMatrix;

/**
 * The main job: the matrix of every built-in scenario variant by mainline and series-v9,
 * then each of the seed's six reasons shown necessary by its mutant.
 */
@Command(name = "verify", description = {"Search every built-in scenario (each of its knob variants a row) on mainline and "
        + "series-v9 and print a matrix: 'verified' where the stateful depth-first search covered every interleaving "
        + "within " + VerifySuite.DFS_EXECUTIONS + " executions, 'OK' where that search was cut and "
        + VerifySuite.RANDOM_RUNS + " random runs found nothing either (no exhaustive claim), 'caught' for the "
        + "violations a negative scenario expects, 'FOUND' for the others, with a run-id to replay. Then show each "
        + "of the six reasons of the seed's commit message necessary: the mutant that drops it breaks its property.",
        "Exit status: 0 every entry as expected and every clean entry verified; 1 an unexpected finding or a reason "
                + "not shown; 2 bad input; 3 every entry as expected, but some only within the budget (OK)."})
final class VerifyCommand implements Callable<Integer> {
    @Spec CommandSpec spec;

    @Option(names = "--runs", paramLabel = "N", defaultValue = "" + VerifySuite.RANDOM_RUNS,
            description = "Random runs of an entry whose exhaustive search was cut (default ${DEFAULT-VALUE}).")
    int runs;

    @Option(names = "--jobs", paramLabel = "N", description = "Entries searched side by side (default: one per core). "
            + "Each entry's search is cut by counts: only the times depend on it.")
    Integer jobs;

    @Option(names = "--json", paramLabel = "FILE", converter = Inputs.OutputPath.class,
            description = "Also write the matrix, the reasons and the verdict as JSON (docs/json.md).")
    Path json;

    @Option(names = "--model", paramLabel = "MODEL", description = "Also a column for this model: a mutant, or your own "
            + ".patch or .java (docs/user-models.md). May be given more than once.")
    List<String> extra = new ArrayList<>();

    static final List<String> MODELS = List.of("mainline", "series-v9");

    @Option(names = "--report", paramLabel = "DIR", converter = Inputs.OutputPath.class,
            description = "Also write a self-contained HTML report: the matrix, each entry with a counterexample linked "
                    + "to its page (SVG timeline, ftrace lines, kernel log).")
    java.nio.file.Path report;

    @Override
    public Integer call() throws Exception {
        Inputs.range("--runs", runs, 0, 1_000_000, "runs");
        int workers = jobs == null ? Runtime.getRuntime().availableProcessors() : jobs;
        Inputs.range("--jobs", workers, 1, CheckCommand.MAX_JOBS, "jobs");
        Inputs.outputFile("--json", json);
        Inputs.outputDir("--report", report);
        PrintWriter out = spec.commandLine().getOut();
        Progress progress = new Progress("verify");
        List<VerifySuite.Row> rows = VerifySuite.rows();
        List<String> models = new ArrayList<>(MODELS);
        for (String m : extra) {
            String name = smpcall.run.Models.resolve(m);
            if (!models.contains(name)) models.add(name);
        }
        int total = rows.size() * models.size();
        // Entries in matrix order; each slot is filled when its search ends, whichever worker ran it.
        AtomicReferenceArray<VerifySuite.Entry> slots = new AtomicReferenceArray<>(total);
        Thread partial = new Thread(() -> {
            out.println("interrupted: partial result");
            out.print(VerifyMatrix.text(rows, models, done(slots)));
            out.flush();
        });
        Runtime.getRuntime().addShutdownHook(partial);
        long t0 = System.nanoTime();
        AtomicInteger finished = new AtomicInteger();
        ExecutorService pool = Executors.newFixedThreadPool(workers, r -> {
            Thread t = new Thread(r, "verify-worker");
            t.setDaemon(true);
            return t;
        });
        List<Future<?>> futures = new ArrayList<>();
        progress.update("0/" + total + " entries");
        for (int i = 0; i < total; i++) {
            int slot = i;
            VerifySuite.Row row = rows.get(i / models.size());
            String model = models.get(i % models.size());
            futures.add(pool.submit(() -> {
                slots.set(slot, VirtualThreads.call(() -> VerifySuite.entry(row, model, runs)));
                progress.update(finished.incrementAndGet() + "/" + total + " entries, last " + model + " " + row.name());
            }));
        }
        pool.shutdown();
        for (Future<?> f : futures) f.get();
        Runtime.getRuntime().removeShutdownHook(partial);
        List<VerifySuite.Entry> entries = done(slots);
        out.print(VerifyMatrix.text(rows, models, entries));
        long steps = entries.stream().mapToLong(VerifySuite.Entry::steps).sum();
        long n = entries.stream().mapToLong(VerifySuite.Entry::executions).sum();
        double matrixSeconds = (System.nanoTime() - t0) / 1e9;
        out.printf("%d executions, %d steps in %.1f s with %d job%s (%.0f steps/s)%n", n, steps, matrixSeconds, workers,
                workers == 1 ? "" : "s", steps / matrixSeconds);
        out.println("verified: every interleaving explored (stateful DFS with sleep sets and a 64-bit state hash, within");
        out.println("the scenario's budgets of one preemption at will and one migration per task); OK: no violation in an");
        out.println("exhaustive search cut after " + VerifySuite.DFS_EXECUTIONS + " executions, then in " + runs
                + " random runs; not exhaustive");
        out.println();
        out.println("the seed's six reasons, each shown necessary by a mutant (random walk, at most "
                + (long) VerifySuite.REASON_SECONDS + " s each):");
        List<VerifySuite.Shown> shown = new ArrayList<>();
        for (Reasons.Reason reason : Reasons.ALL) {
            progress.update("reason " + reason.number() + ": " + reason.mutant());
            VerifySuite.Shown s = VirtualThreads.call(() -> VerifySuite.reason(reason));
            shown.add(s);
            var o = s.outcome();
            out.printf("  %d %s%n", reason.number(), reason.summary());
            if (s.shown()) {
                out.printf("    %s on %s breaks %s after %d executions (%.1f s): %s%n", reason.mutant(), reason.scenario(),
                        reason.property(), o.executions(), o.seconds(), o.counterexample().finding().summary());
                out.println("    replay: smpcall replay " + o.counterexample().runId());
            } else {
                out.printf("    NOT SHOWN: %s on %s kept %s for %d executions (%.1f s)%n", reason.mutant(), reason.scenario(),
                        reason.property(), o.executions(), o.seconds());
            }
        }
        progress.done();
        boolean asExpected = entries.size() == total && entries.stream().allMatch(VerifySuite.Entry::asExpected)
                && shown.stream().allMatch(VerifySuite.Shown::shown);
        boolean conclusive = asExpected && entries.stream().allMatch(VerifySuite.Entry::conclusive);
        int status = !asExpected ? 1 : conclusive ? 0 : 3;
        long notExhaustive = entries.stream().filter(e -> !e.conclusive()).count();
        out.printf("%nverify took %.1f s with %d job%s, %s%n", (System.nanoTime() - t0) / 1e9, workers,
                workers == 1 ? "" : "s", Memory.peakResident());
        out.println(!asExpected ? "verify: FAILED"
                : conclusive ? "verify: every entry as expected, every clean entry verified"
                : "verify: every entry as expected; " + notExhaustive + " of " + total + " only within the budget (OK), not verified");
        out.flush();
        Memory.sayIfHeapFull(spec.commandLine().getErr());
        if (json != null) Json.write(json, VerifyJson.of(models, entries, shown, status));
        if (report != null) {
            smpcall.report.HtmlReport.verify(report, rows, models, entries,
                    id -> smpcall.run.Driver.outcome(smpcall.run.RunSpec.parse(id)).result());
            out.println("report: " + report.resolve("index.html"));
            out.flush();
        }
        return status;
    }

    private static List<VerifySuite.Entry> done(AtomicReferenceArray<VerifySuite.Entry> slots) {
        List<VerifySuite.Entry> l = new ArrayList<>();
        for (int i = 0; i < slots.length(); i++) if (slots.get(i) != null) l.add(slots.get(i));
        return l;
    }
}
