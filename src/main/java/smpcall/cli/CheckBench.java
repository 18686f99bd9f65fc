package smpcall.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * {@code bench --check}: the exhaustive search's figures on the reference scenarios, each
 * beside its target. Every figure is one {@code check} (or {@code verify}) in a JVM of its
 * own, started as the launcher starts it, so that each has its own heap and its own peak
 * resident memory (read from {@code /proc/PID/status} while it runs).
 */
final class CheckBench {
    private CheckBench() {}

    /**
     * One figure: what runs, with which heap and workers, and what it is held against;
     * {@code replay} searches without saved states (check --replay), for comparison; {@code
     * copies} JVMs run the same search side by side (what the machine gives two searches).
     */
    record Figure(String what, String model, String scenario, int workers, boolean replay, int copies, String heap, String target) {
        Figure(String what, String model, String scenario, int workers, boolean replay, String heap, String target) {
            this(what, model, scenario, workers, replay, 1, heap, target);
        }
    }

    /** The search the others are held against: hotplug-target, one worker, restoring states. */
    static final Figure BASELINE = new Figure("check", "series-v9", "hotplug-target", 1, false, "1g", "at most 2 us per new state");

    static final List<Figure> FIGURES = List.of(
            new Figure("check", "series-v9", "two-callers-hotplug", 1, false, "1g", "exhaustive in at most 2.3 s"),
            new Figure("check", "series-v9", "three-callers-hotplug", 1, false, "1g", "exhaustive in at most 10 min, 1 GiB heap"),
            BASELINE,
            new Figure("check", "series-v9", "hotplug-target", 1, true, "1g", "the same search, replaying each branch"),
            new Figure("check", "series-v9", "hotplug-target", 2, false, "1g", "states/s with 2 workers (they replay) against 1"),
            new Figure("check", "series-v9", "hotplug-target", 1, false, 2, "1g", "states/s of 2 searches in 2 JVMs at once against 1"),
            new Figure("verify", null, null, 1, false, "512m", "every entry verified exhaustively, at most 60 s"),
            new Figure("verify", null, null, 2, false, "512m", "the same, two entries side by side"));

    /**
     * What a figure's run gave: the parsed JSON (of the first copy), its wall time, the
     * child's peak resident memory (the largest of the copies'), and the states of all copies
     * in the search time of the slowest.
     */
    record Measured(JsonNode json, double wallSeconds, long peakBytes, long allStates, double seconds) {
        double statesPerSecond() { return allStates / Math.max(1e-9, seconds); }
    }

    static int run(PrintWriter out, long budgetNs, Progress progress) throws IOException, InterruptedException {
        out.printf("bench --check: the depth-first search with the state table (--reduction states), each figure in a "
                + "JVM of its own, at most %s a search%n", Inputs.show(budgetNs));
        out.println("figure                                       verdict                          executions     states   seconds   states/s  us/state  peak RSS  target");
        out.flush();
        double oneWorker = 0;
        for (Figure f : FIGURES) {
            progress.update(f.what() + (f.scenario() == null ? "" : " " + f.scenario() + " on " + f.model())
                    + (f.workers() > 1 ? " with " + f.workers() + " workers" : ""));
            Measured m = measure(f, budgetNs);
            progress.done();
            out.println(line(f, m, oneWorker, budgetNs));
            out.flush();
            if (f.equals(BASELINE)) oneWorker = m.statesPerSecond();
        }
        return 0;
    }

    private static String line(Figure f, Measured m, double oneWorker, long budgetNs) {
        JsonNode j = m.json();
        String name = f.scenario() == null ? "verify (" + f.workers() + (f.workers() == 1 ? " job)" : " jobs)")
                : f.scenario() + " " + f.model() + (f.workers() > 1 ? " " + f.workers() + " workers" : "")
                        + (f.replay() ? " --replay" : "") + (f.copies() > 1 ? " x" + f.copies() + " JVMs" : "");
        if (f.what().equals("verify")) {
            int entries = 0, verified = 0;
            for (JsonNode e : j.path("entries")) {
                entries++;
                if (e.path("verdict").asText().equals("verified") || !e.path("found").isEmpty()) verified++;
            }
            return String.format(Locale.ROOT, "%-44s %-32s %10s %10s %9.1f %10s %9s %9s  %s", name,
                    verified + " of " + entries + " exhaustive or caught", "", "", m.wallSeconds(), "", "", mb(m.peakBytes()),
                    f.target());
        }
        double secs = m.seconds();
        double sps = m.statesPerSecond();
        String verdict = switch (j.path("verdict").asText()) {
            case "verified" -> "verified (exhaustive)";
            case "within-budget" -> "not finished in " + Inputs.show(budgetNs);
            default -> j.path("verdict").asText().replace('-', ' ');
        };
        String target = (f.workers() > 1 || f.copies() > 1) && oneWorker > 0
                ? f.target() + String.format(Locale.ROOT, ": %.2fx", sps / oneWorker) : f.target();
        return String.format(Locale.ROOT, "%-44s %-32s %10d %10d %9.1f %10.0f %9.1f %9s  %s", name, verdict,
                j.path("executions").asLong(), j.path("states").asLong(), secs, sps, secs * 1e6 / Math.max(1, m.allStates()), mb(m.peakBytes()), target);
    }

    private static String mb(long bytes) {
        return bytes < 0 ? "unknown" : (bytes + (1 << 19)) / (1 << 20) + " MB";
    }

    /** Runs one figure in a child JVM (or its copies side by side) and reads its JSON. */
    private static Measured measure(Figure f, long budgetNs) throws IOException, InterruptedException {
        List<Path> jsons = new ArrayList<>();
        try {
            List<Process> children = new ArrayList<>();
            long t0 = System.nanoTime();
            for (int i = 0; i < f.copies(); i++) {
                Path json = Files.createTempFile("smpcall-bench", ".json");
                jsons.add(json);
                children.add(start(f, budgetNs, json));
            }
            long peak = -1;
            for (Process p : children)
                while (!p.waitFor(100, java.util.concurrent.TimeUnit.MILLISECONDS))
                    for (Process q : children) peak = Math.max(peak, peakOf(q.pid()));
            double wall = (System.nanoTime() - t0) / 1e9;
            JsonNode first = null;
            long states = 0;
            double secs = 0;
            for (int i = 0; i < children.size(); i++) {
                if (Files.size(jsons.get(i)) == 0)
                    throw new IllegalStateException(f.what() + " " + f.scenario() + " ended with status "
                            + children.get(i).exitValue() + " and wrote no JSON");
                JsonNode j = new ObjectMapper().readTree(jsons.get(i).toFile());
                if (first == null) first = j;
                states += j.path("states").asLong();
                secs = Math.max(secs, j.path("seconds").asDouble());
            }
            return new Measured(first, wall, peak, states, secs);
        } finally {
            for (Path json : jsons) Files.deleteIfExists(json);
        }
    }

    /** Starts one child JVM of a figure, writing its JSON to {@code json}. */
    private static Process start(Figure f, long budgetNs, Path json) throws IOException {
        List<String> cmd = new ArrayList<>();
        cmd.add(ProcessHandle.current().info().command().orElse("java"));
        cmd.add("-Xmx" + f.heap());
        cmd.add("-Djdk.virtualThreadScheduler.parallelism=" + f.workers());
        cmd.add("-Djdk.trackAllThreads=false");
        cmd.add("-XX:+UseParallelGC");
        cmd.add("-Xss2m");
        cmd.add("-cp");
        cmd.add(System.getProperty("java.class.path"));
        cmd.add(Main.class.getName());
        cmd.add(f.what());
        if (f.scenario() != null) {
            cmd.addAll(List.of("--model", f.model(), "--scenario", f.scenario(), "--runs", "1000000000000",
                    "--time", budgetNs / 1_000_000 + "ms", "--jobs", Integer.toString(f.workers())));
            if (f.replay()) cmd.add("--replay");
        } else {
            cmd.addAll(List.of("--jobs", Integer.toString(f.workers())));
        }
        cmd.addAll(List.of("--json", json.toString()));
        return new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
    }

    /** VmHWM of a live process, or -1. */
    private static long peakOf(long pid) {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/" + pid + "/status")))
                if (line.startsWith("VmHWM:")) return Long.parseLong(line.replaceAll("[^0-9]", "")) * 1024;
        } catch (IOException | NumberFormatException e) {
            // gone, or not Linux
        }
        return -1;
    }
}
