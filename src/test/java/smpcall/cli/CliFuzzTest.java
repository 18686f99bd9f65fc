package smpcall.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.SplittableRandom;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The command line as a fuzzer sees it: generated argument lists for every subcommand —
 * known options with random, boundary and malformed values, unknown options, run-ids
 * mutated byte by byte, paths that do not exist, are directories or are unreadable — each
 * of which must end with a documented exit status, never print a Java stack trace, and
 * explain an exit 2 in one line. A bounded number of cases here; more with
 * {@code -Dsmpcall.clifuzz.cases=N}.
 */
class CliFuzzTest {
    private static final int CASES = Integer.getInteger("smpcall.clifuzz.cases", 160);
    private static final Set<Integer> DOCUMENTED = Set.of(0, 1, 2, 3, 4);

    @TempDir static Path dir;
    private static Path unreadable, directory, missing;

    @BeforeAll
    static void paths() throws Exception {
        directory = Files.createDirectories(dir.resolve("a-directory"));
        unreadable = Files.writeString(dir.resolve("unreadable.yaml"), "cpus: 2\n");
        unreadable.toFile().setReadable(false);
        missing = dir.resolve("missing/file.json");
    }

    private record Out(int status, String out, String err) {}

    private static Out smpcall(List<String> args) {
        StringWriter out = new StringWriter(), err = new StringWriter();
        int status;
        try {
            status = Main.execute(args.toArray(String[]::new), new PrintWriter(out, true), new PrintWriter(err, true));
        } catch (Throwable t) {
            throw new AssertionError("smpcall " + String.join(" ", args) + " threw " + t, t);
        }
        return new Out(status, out.toString(), err.toString());
    }

    @Test
    void generatedArgumentListsEndWithADocumentedStatusAndNoStackTrace() {
        SplittableRandom rnd = new SplittableRandom(20261201);
        int twos = 0;
        for (int i = 0; i < CASES; i++) {
            List<String> args = generate(rnd);
            if (Boolean.getBoolean("smpcall.clifuzz.verbose")) System.err.println("case " + i + ": " + String.join(" ", args));
            Out o = smpcall(args);
            String what = "smpcall " + String.join(" ", args) + "\nstatus " + o.status + "\nstderr: " + o.err;
            assertTrue(DOCUMENTED.contains(o.status), what);
            assertFalse(o.err.contains("\tat ") || o.err.contains("Exception") || o.err.contains("internal error"), what);
            if (o.status == 4) assertTrue(o.out.contains("model error") || o.out.contains("MODEL"), what);
            if (o.status == 2) {
                twos++;
                assertEquals(1, o.err.lines().count(), what);
                assertTrue(o.err.startsWith("smpcall: ") && o.err.length() > 12, what);
                assertEquals("", o.out, what);
            }
        }
        assertTrue(twos > CASES / 4, "the generator should mostly make bad input: " + twos);
    }

    /** A printed run-id, changed in one byte: refused in one line, or (rarely) another valid run. */
    @Test
    void mutatedRunIdsAreRefusedOrReplay() {
        Out run = smpcall(List.of("run", "--model", "series-v9", "--scenario", "single-async", "--seed", "3"));
        String id = run.out.lines().reduce((a, b) -> b).orElseThrow().substring("run-id: ".length());
        SplittableRandom rnd = new SplittableRandom(7);
        String alphabet = "abz019:~=,-_sZ";
        int refused = 0;
        for (int i = 0; i < CASES / 2; i++) {
            StringBuilder m = new StringBuilder(id);
            int at = rnd.nextInt(m.length());
            switch (rnd.nextInt(3)) {
                case 0 -> m.setCharAt(at, alphabet.charAt(rnd.nextInt(alphabet.length())));
                case 1 -> m.deleteCharAt(at);
                default -> m.insert(at, alphabet.charAt(rnd.nextInt(alphabet.length())));
            }
            Out o = smpcall(List.of("replay", m.toString()));
            assertTrue(DOCUMENTED.contains(o.status) && !o.err.contains("\tat "), m + ": " + o.err);
            if (o.status == 2) {
                refused++;
                assertEquals(1, o.err.lines().count(), m + ": " + o.err);
            } else {
                assertTrue(o.out.endsWith("\n") && o.out.contains("run-id: "), m.toString());
            }
        }
        assertTrue(refused > CASES / 4, "most mutations must be refused: " + refused);
    }

    // ---------------------------------------------------------------- the generator

    private static final String[] MODELS = {"mainline", "series-v9", "v9-lock-nowait", "nope", ""};
    private static final String[] SCENARIOS = {"single-async", "boot-task", "irqs-off-crosscall", "same-cpu-callers",
            "hotplug-target", "nope", ""};
    private static final String[] INTS = {"-1", "0", "1", "2", "3", "7", "64", "65", "100000", "2147483648",
            "99999999999999999999", "abc", "", "1.5", "0x10", " 3"};
    private static final String[] BITS = {"0", "1", "2", "-1", "yes", ""};
    /** Durations: the valid ones short, as the search's budget (--runs) is what ends it. */
    private static final String[] DURATIONS = {"1s", "200ms", "0.2", "0", "-1", "1e10", "1e300", "abc", "", "10us", "500ns", "2", "400d"};
    /** Counts that are never a valid budget. */
    private static final String[] BAD_COUNTS = {"-1", "0", "1000000000001", "99999999999999999999", "abc", "", "1.5"};

    private List<String> generate(SplittableRandom rnd) {
        List<String> a = new ArrayList<>();
        switch (rnd.nextInt(9)) {
            case 0, 1 -> {
                a.add("run");
                cell(rnd, a);
                if (rnd.nextBoolean()) a.addAll(List.of("--seed", pick(rnd, INTS)));
                knobs(rnd, a);
            }
            case 2, 3 -> {
                a.add("check");
                cell(rnd, a);
                String strategy = pick(rnd, new String[] {"dfs", "pct", "random", "magic"});
                a.addAll(List.of("--strategy", strategy));
                // a valid budget is small, so that the search ends quickly
                a.addAll(List.of("--runs", rnd.nextInt(4) == 0 ? pick(rnd, BAD_COUNTS) : Integer.toString(1 + rnd.nextInt(20))));
                if (rnd.nextInt(3) == 0) a.addAll(List.of("--time", pick(rnd, DURATIONS)));
                if (rnd.nextInt(3) == 0) a.addAll(List.of("--reduction", pick(rnd, new String[] {"states", "dpor", "sleep", "none", "x"})));
                if (rnd.nextInt(4) == 0) a.addAll(List.of("--bound", pick(rnd, INTS)));
                if (rnd.nextInt(4) == 0) a.addAll(List.of("--depth", pick(rnd, INTS)));
                if (rnd.nextInt(4) == 0) a.addAll(List.of("--jobs", pick(rnd, new String[] {"1", "2", "0", "-3", "100000", "x"})));
                if (rnd.nextInt(4) == 0) a.addAll(List.of("--json", path(rnd)));
                knobs(rnd, a);
            }
            case 4 -> {
                a.add("latency");
                a.addAll(List.of("--cpus", pick(rnd, new String[] {"1", "2", "3", "65", "x"})));
                a.addAll(List.of("--duration", pick(rnd, new String[] {"10ms", "20ms", "0", "-1", "1e300", "abc", "2h", "400d"})));
                if (rnd.nextBoolean()) a.addAll(List.of("--interval", pick(rnd, new String[] {"1000", "1ms", "0", "20s", "x"})));
                if (rnd.nextBoolean()) a.addAll(List.of("--window", pick(rnd, new String[] {"1ms", "5ms", "0", "1e300"})));
                if (rnd.nextBoolean()) a.addAll(List.of(rnd.nextBoolean() ? "--json" : "--plot", path(rnd)));
            }
            case 5 -> {
                a.add("bench");
                if (rnd.nextBoolean()) a.add("--lab");
                if (rnd.nextBoolean()) a.addAll(List.of("--model", pick(rnd, MODELS)));
                a.addAll(List.of("--seconds", pick(rnd, new String[] {"0", "-1", "x", "1e300", "0.01"})));
            }
            case 6 -> {
                a.add("verify");      // only bad input: a valid verify takes half a minute
                switch (rnd.nextInt(3)) {
                    case 0 -> a.addAll(List.of("--jobs", pick(rnd, new String[] {"0", "-1", "x", "100000000", ""})));
                    case 1 -> a.addAll(List.of("--runs", pick(rnd, new String[] {"-1", "x", "100000000", ""})));
                    default -> a.addAll(List.of("--json", pick(rnd, new String[] {"", directory.toString(), missing.toString()})));
                }
            }
            case 7 -> {
                a.add(pick(rnd, new String[] {"models", "scenarios", "replay", "frob", "--version", "run", "check"}));
                if (rnd.nextBoolean()) a.add(pick(rnd, new String[] {"--bogus", "-x", "--model", "extra", "--cpus=3"}));
            }
            default -> {
                a.add("replay");
                a.add(pick(rnd, new String[] {"", ":", "a:b:c:d", "series-v9:single-async:-:s", "series-v9:single-async:-:sx",
                        "series-v9:single-async:-:z", "series-v9:single-async:-:z!!!", "series-v9:single-async:cpus=:s1",
                        "series-v9:single-async:-:s1~", "series-v9:single-async:-:s1~zzzzzzzz", "series-v9:nope:-:s1",
                        "series-v9:single-async:steps=0:s1", "series-v9:single-async:steps=5:s1"}));
            }
        }
        if (rnd.nextInt(12) == 0) a.add(rnd.nextInt(a.size() + 1), "--unknown-option");
        return a;
    }

    private static void cell(SplittableRandom rnd, List<String> a) {
        if (rnd.nextInt(10) != 0) a.addAll(List.of("--model", rnd.nextInt(8) == 0 ? path(rnd) : pick(rnd, MODELS)));
        if (rnd.nextInt(10) != 0) a.addAll(List.of("--scenario", rnd.nextInt(8) == 0 ? path(rnd) : pick(rnd, SCENARIOS)));
    }

    private static void knobs(SplittableRandom rnd, List<String> a) {
        if (rnd.nextInt(3) == 0) a.addAll(List.of("--cpus", pick(rnd, INTS)));
        if (rnd.nextInt(4) == 0) a.addAll(List.of("--preempt", pick(rnd, BITS)));
        if (rnd.nextInt(4) == 0) a.addAll(List.of("--inline-mask", pick(rnd, BITS)));
        if (rnd.nextInt(4) == 0) a.addAll(List.of("--csdlock-debug", pick(rnd, BITS)));
        if (rnd.nextInt(4) == 0) a.addAll(List.of("--csd-lock-timeout", pick(rnd, INTS)));
    }

    private static String path(SplittableRandom rnd) {
        return switch (rnd.nextInt(4)) {
            case 0 -> directory.toString();
            case 1 -> unreadable.toString();
            case 2 -> missing.toString();
            default -> "";
        };
    }

    private static String pick(SplittableRandom rnd, String[] options) { return options[rnd.nextInt(options.length)]; }

    @Test
    void aCaseThatRanIsNotABadInputLine() {
        Out o = smpcall(List.of("check", "--model", "series-v9", "--scenario", "single-async", "--runs", "5"));
        if (o.status == 2) fail(o.err);
        assertEquals(3, o.status, o.out);
    }
}
