package smpcall.cli;

import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.Callable;

import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;
import smpcall.machine.VirtualThreads;
import smpcall.check.Dfs;
import smpcall.check.Search;
import smpcall.kernel.Reasons;
import smpcall.run.RunSpec;
import smpcall.run.Driver;
import smpcall.run.Scenario;
import smpcall.run.Scenarios;
import smpcall.machine.Finding;
import smpcall.machine.Property;
import smpcall.machine.RunResult;

/**
 * The main job. Until the exhaustive checker lands, it runs every built-in scenario on
 * mainline and series-v9 over a fixed set of seeds and reports a matrix: OK, or what was
 * found with the run-id that shows it. Then, for each of the six reasons the seed's commit
 * message gives, it searches the mutant that drops the reason for a run that breaks the
 * reason's property, and prints its shrunk counterexample's run-id. Exit 0 only if every
 * cell is as expected and every reason is shown.
 */
@Command(name = "verify", description = "Run every built-in scenario on mainline and series-v9 and report a matrix "
        + "(random runs over fixed seeds: no exhaustive claim); then show each of the seed's six reasons necessary "
        + "with a mutant that breaks it.")
final class VerifyCommand implements Callable<Integer> {
    @Spec CommandSpec spec;

    @Option(names = "--runs", defaultValue = "500", description = "Seeds per cell (default ${DEFAULT-VALUE}).")
    int runs;

    @Option(names = "--jobs", paramLabel = "N", description = "Cells searched side by side (default: the number of cores). "
            + "Each cell's search is deterministic: only the times depend on it.")
    Integer jobs;

    static final List<String> MODELS = List.of("mainline", "series-v9");
    static final double REASON_SECONDS = 5;
    /** The exhaustive search of a cell stops after this many executions: a count, so the verdict does not depend on the machine's speed. */
    static final long DFS_EXECUTIONS = 100_000;
    /** A safety net only. */
    static final double DFS_SECONDS = 120;

    private record Cell(String row, String model, Set<Property> found, Set<Property> expected, String firstId,
                        long steps, long runs, long states, double seconds, boolean exhaustive) {}

    /** One row of the matrix: a scenario under one of its knob variants. */
    private record Row(Scenario scenario, RunSpec.Knobs knobs) {
        String name() {
            return scenario.name() + (knobs.equals(RunSpec.Knobs.NONE) ? "" : " [" + knobs.format() + "]");
        }
    }

    @Override
    public Integer call() {
        if (runs < 1) throw new IllegalArgumentException("--runs must be at least 1");
        int workers = jobs == null ? Runtime.getRuntime().availableProcessors() : jobs;
        if (workers < 1) throw new IllegalArgumentException("--jobs must be at least 1");
        PrintWriter out = spec.commandLine().getOut();
        Progress progress = new Progress("verify");
        List<Row> rows = new ArrayList<>();
        for (Scenario s : Scenarios.all()) for (RunSpec.Knobs k : s.variants()) rows.add(new Row(s, k));
        int total = rows.size() * MODELS.size();
        // Cells in matrix order; each slot is filled when its search ends, whichever worker ran it.
        java.util.concurrent.atomic.AtomicReferenceArray<Cell> slots = new java.util.concurrent.atomic.AtomicReferenceArray<>(total);
        java.util.function.Supplier<List<Cell>> done = () -> {
            List<Cell> l = new ArrayList<>();
            for (int i = 0; i < total; i++) if (slots.get(i) != null) l.add(slots.get(i));
            return l;
        };
        Thread partial = new Thread(() -> {
            out.println("interrupted: partial result");
            print(out, done.get(), rows);
        });
        Runtime.getRuntime().addShutdownHook(partial);
        long t0 = System.nanoTime();
        java.util.concurrent.atomic.AtomicInteger finished = new java.util.concurrent.atomic.AtomicInteger();
        java.util.concurrent.ExecutorService pool = java.util.concurrent.Executors.newFixedThreadPool(workers, r -> {
            Thread t = new Thread(r, "verify-worker");
            t.setDaemon(true);
            return t;
        });
        List<java.util.concurrent.Future<?>> futures = new ArrayList<>();
        progress.update("0/" + total + " cells");
        for (int i = 0; i < total; i++) {
            int slot = i;
            Row row = rows.get(i / MODELS.size());
            String model = MODELS.get(i % MODELS.size());
            futures.add(pool.submit(() -> {
                slots.set(slot, VirtualThreads.call(() -> cell(row, model)));
                progress.update(finished.incrementAndGet() + "/" + total + " cells, last " + model + " " + row.name());
            }));
        }
        pool.shutdown();
        try {
            for (var f : futures) f.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        } catch (java.util.concurrent.ExecutionException e) {
            if (e.getCause() instanceof RuntimeException re) throw re;
            throw new IllegalStateException(e.getCause());
        }
        Runtime.getRuntime().removeShutdownHook(partial);
        List<Cell> cells = done.get();
        boolean ok = print(out, cells, rows);
        long steps = cells.stream().mapToLong(Cell::steps).sum();
        long n = cells.stream().mapToLong(Cell::runs).sum();
        double matrixSeconds = (System.nanoTime() - t0) / 1e9;
        out.printf("%d runs, %d steps in %.1f s with %d job%s (%.0f steps/s)%n", n, steps, matrixSeconds, workers,
                workers == 1 ? "" : "s", steps / matrixSeconds);
        out.println("verified: every interleaving explored (stateful DFS with sleep sets and a 64-bit state hash, within");
        out.println("the scenario's budgets of one preemption at will and one migration per task); OK: no violation in an");
        out.println("exhaustive search cut after " + DFS_EXECUTIONS + " executions, then in " + runs + " random runs; not exhaustive");
        out.println();
        out.println("the seed's six reasons, each shown necessary by a mutant (random walk, at most "
                + (long) REASON_SECONDS + " s each):");
        for (Reasons.Reason reason : Reasons.ALL) {
            progress.update("reason " + reason.number() + ": " + reason.mutant());
            Search.Outcome o = VirtualThreads.call(() -> new Search(reason.mutant(), reason.scenario(), RunSpec.Knobs.NONE)
                    .run(Search.Strategy.RANDOM, 1, reason.property(), Long.MAX_VALUE, REASON_SECONDS, () -> false));
            out.printf("  %d %s%n", reason.number(), reason.summary());
            if (o.found()) {
                out.printf("    %s on %s breaks %s after %d runs (%.1f s): %s%n", reason.mutant(), reason.scenario(),
                        reason.property(), o.executions(), o.seconds(), o.counterexample().finding().summary());
                out.println("    replay: smpcall replay " + o.counterexample().runId());
            } else {
                ok = false;
                out.printf("    NOT SHOWN: %s on %s kept %s for %d runs (%.1f s)%n", reason.mutant(), reason.scenario(),
                        reason.property(), o.executions(), o.seconds());
            }
        }
        progress.done();
        out.printf("%nverify took %.1f s%n", (System.nanoTime() - t0) / 1e9);
        out.println(ok ? "verify: every cell as expected" : "verify: FAILED");
        out.flush();
        return ok ? 0 : 1;
    }

    /**
     * One cell: first an exhaustive search with a small budget (it completes on the small
     * configurations); if it does not complete, random runs over the fixed seeds.
     */
    private Cell cell(Row row, String model) {
        Scenario s = row.scenario;
        Set<Property> found = new TreeSet<>();
        String firstId = null;
        long steps = 0;
        long dfsRuns = 0, states = 0;
        long t0 = System.nanoTime();
        if (s.expectedViolations().isEmpty()) {
            Dfs.Outcome d = new Dfs(model, s.name(), row.knobs, -1).stateful().run(DFS_EXECUTIONS, DFS_SECONDS, () -> false);
            if (d.exhaustive() || d.counterexample() != null) {
                if (d.counterexample() != null) {
                    found.add(d.counterexample().finding().property());
                    firstId = d.counterexample().runId();
                }
                return new Cell(row.name(), model, found, s.expectedViolations(), firstId, d.steps(), d.executions(),
                        d.states(), (System.nanoTime() - t0) / 1e9, d.exhaustive());
            }
            steps += d.steps();
            dfsRuns = d.executions();
            states = d.states();
        }
        for (long seed = 1; seed <= runs; seed++) {
            RunSpec spec = RunSpec.seeded(model, s.name(), row.knobs, seed);
            RunResult r = Driver.run(spec, false, false);
            steps += r.steps();
            for (Finding f : r.findings()) {
                if (found.add(f.property()) && firstId == null && !s.expectedViolations().contains(f.property()))
                    firstId = spec.checked(r).id();
            }
        }
        return new Cell(row.name(), model, found, s.expectedViolations(), firstId, steps, dfsRuns + runs, states,
                (System.nanoTime() - t0) / 1e9, false);
    }

    /** Prints the matrix; true if every cell is as expected. */
    private static boolean print(PrintWriter out, List<Cell> cells, List<Row> rows) {
        boolean ok = true;
        out.printf("%-34s", "scenario");
        for (String m : MODELS) out.printf("  %-40s", m);
        out.println("  expected");
        List<String> ids = new ArrayList<>();
        for (Row r : rows) {
            List<Cell> row = cells.stream().filter(c -> c.row.equals(r.name())).toList();
            if (row.isEmpty()) continue;
            out.printf("%-34s", r.name());
            for (String model : MODELS) {
                Cell c = row.stream().filter(x -> x.model.equals(model)).findFirst().orElse(null);
                if (c == null) {        // interrupted before this cell ended
                    ok = false;
                    out.printf("  %-40s", "(not finished)");
                    continue;
                }
                boolean asExpected = c.found.equals(c.expected);
                ok &= asExpected;
                String text = c.found.isEmpty() ? (c.exhaustive ? "verified" : "OK") : (asExpected ? "caught " : "FOUND ") + join(c.found);
                String states = c.states > 0 ? " " + count(c.states) + " states" : "";
                out.printf("  %-40s", text + " " + count(c.runs) + " runs" + states + " " + String.format("%.1fs", c.seconds));
                if (c.firstId != null) ids.add(c.model + " " + c.row + ": " + c.firstId);
            }
            Set<Property> expected = r.scenario.expectedViolations();
            out.println("  " + (expected.isEmpty() ? "OK" : join(expected)));
        }
        if (!ids.isEmpty()) {
            out.println();
            out.println("unexpected findings (replay with 'smpcall replay <run-id>'):");
            for (String id : ids) out.println("  " + id);
        }
        out.flush();
        return ok;
    }

    /** 812, 79k, 1.2M: executions, short. */
    private static String count(long n) {
        if (n < 10_000) return Long.toString(n);
        if (n < 10_000_000) return (n / 1000) + "k";
        return String.format("%.1fM", n / 1e6);
    }

    private static String join(Set<Property> ps) {
        return String.join(",", ps.stream().sorted().map(Enum::name).toList());
    }
}
