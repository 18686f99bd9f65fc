package smpcall.run;

import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import smpcall.run.Driver;
import smpcall.machine.RandomChooser;

/**
 * Generated inputs: mutants of every built-in file. Each either loads (and then fits a
 * machine of any size, or says in one line why not) or is refused in one line
 * {@code file:line:column: what}; nothing else ever comes out of the loader. More cases
 * per file with {@code -Dsmpcall.fuzz.cases=N}.
 */
class ScenarioFileFuzzTest {
    private static final Pattern ONE_LINE = Pattern.compile("^[^\\n]+:\\d+:\\d+: [^\\n]+$");
    private static final int CASES = Integer.getInteger("smpcall.fuzz.cases", 120);

    static Stream<String> builtIns() { return Scenarios.all().stream().map(Scenario::name); }

    /** The outcome of one input: loaded, or the one-line error. Fails the test on anything else. */
    private static String load(byte[] input, String what) {
        try {
            FileScenario s = ScenarioFile.parse(input, "m.yaml");
            for (int cpus : new int[] {1, 2, s.config().nrCpus(), 64}) {
                try {
                    s.check(s.config().withNrCpus(cpus));
                } catch (IllegalArgumentException e) {
                    assertOneLine(e, what + " (check on " + cpus + " CPUs)", input);
                }
            }
            // and it runs: findings are fine (a mutant may well break a property), a crash is not
            s.check(s.config());
            Driver.run("series-v9", s, s.config().withMaxSteps(20_000), new RandomChooser(1), false, true);
            return "loaded";
        } catch (IllegalArgumentException e) {
            assertOneLine(e, what, input);
            return "refused";
        } catch (Throwable t) {
            throw new AssertionError(what + ": " + t + "\n--- input:\n" + preview(input), t);
        }
    }

    private static void assertOneLine(IllegalArgumentException e, String what, byte[] input) {
        if (e.getMessage() == null || !ONE_LINE.matcher(e.getMessage()).matches())
            fail(what + ": not one line file:line:column: " + e.getMessage() + "\n--- input:\n" + preview(input));
        if (e.getMessage().length() > 400) fail(what + ": a message of " + e.getMessage().length() + " characters");
    }

    private static String preview(byte[] input) {
        String s = new String(input, StandardCharsets.UTF_8);
        return s.length() > 2000 ? s.substring(0, 2000) + "..." : s;
    }

    @ParameterizedTest
    @MethodSource("builtIns")
    void mutantsLoadOrAreRefusedInOneLine(String name) {
        String text = Scenarios.text(name);
        Random rnd = new Random(name.hashCode());
        int loaded = 0, refused = 0;
        for (int i = 0; i < CASES; i++) {
            Mutation m = Mutation.values()[i % Mutation.values().length];
            byte[] input = m.apply(text, rnd);
            String r = load(input, name + " mutant " + i + " (" + m + ")");
            if (r.equals("loaded")) loaded++;
            else refused++;
        }
        // both outcomes occur: the mutants are neither all harmless nor all garbage
        assertTrue(loaded > 0 && refused > 0, name + ": loaded " + loaded + ", refused " + refused);
    }

    /** A billion-laughs document is refused fast, by the alias limit. */
    @Test
    void aliasBombIsRefusedFast() {
        StringBuilder b = new StringBuilder("cpus: 2\nlol0: &l0 [lol, lol, lol, lol, lol, lol, lol, lol, lol]\n");
        for (int i = 1; i < 12; i++) {
            b.append("lol").append(i).append(": &l").append(i).append(" [");
            for (int j = 0; j < 9; j++) b.append(j == 0 ? "" : ", ").append("*l").append(i - 1);
            b.append("]\n");
        }
        byte[] bomb = b.toString().getBytes(StandardCharsets.UTF_8);
        String msg = assertTimeoutPreemptively(Duration.ofSeconds(2), () -> {
            try {
                ScenarioFile.parse(bomb, "bomb.yaml");
                return "loaded";
            } catch (IllegalArgumentException e) {
                return e.getMessage();
            }
        });
        assertTrue(msg.startsWith("bomb.yaml:") && msg.contains("aliases"), msg);
    }

    /** Aliases that stay under the limit but nest: the walk is bounded too (and a program may be shared). */
    @Test
    void nestedAliasesWithinTheLimitAreBounded() {
        StringBuilder b = new StringBuilder("cpus: 2\nmasks: {m: 1}\ntasks:\n  - name: T0\n    program: &p0\n      - on_each_cpu_mask: {mask: m, func: f}\n");
        for (int i = 1; i <= 16; i++)
            b.append("  - name: T").append(i).append("\n    program: &p").append(i)
                    .append("\n      - repeat: {times: 2, steps: *p").append(i - 1).append("}\n      - repeat: {times: 2, steps: *p").append(i - 1).append("}\n");
        String msg = assertTimeoutPreemptively(Duration.ofSeconds(5), () -> {
            try {
                ScenarioFile.parse(b.toString(), "deep.yaml");
                return "loaded";
            } catch (IllegalArgumentException e) {
                return e.getMessage();
            }
        });
        assertTrue(msg.startsWith("deep.yaml:") && msg.contains("nodes"), msg);
    }

    /** The ways a file is damaged. */
    enum Mutation {
        DELETE_LINE, DUPLICATE_LINE, INDENT, SCALAR, SWAP_LINES, TRUNCATE, RANDOM_BYTES, TABS, DEEP_NESTING,
        ANCHORS, HUGE_VALUE, SCALAR_TWICE;

        private static final String[] JUNK = {"", "~", "null", "-1", "0", "1", "2", "3", "63", "64", "65", "99", "100", "-0",
                "9223372036854775807", "9223372036854775808", "-9223372036854775809", "99999999999999999999999", "0x10", "0o7",
                "1e3", "1.5", ".inf", "true", "false", "yes", "\"\"", "''", "'a'", "[]", "{}", "[1, 2]", "{a: b}", "any",
                "10us", "1s", "3601s", "0-2", "2-0", "0-63", "0-64", "1,1", "fifo", "normal", "pushed", "P1", "P10", "do_work",
                "&x 1", "*x", "!!str 1", "!!int x", "!custom 1", "|\n  block", ">\n  folded", "\"\\u0000\"", "\"a\\nb\"",
                "# comment", ": :", "- - -", "? x", "%YAML 1.2", "---", "...", "@", "`", "\t", "\u00e9\u4e2d", "\ud83d\ude00"};

        byte[] apply(String text, Random rnd) {
            List<String> lines = new ArrayList<>(Arrays.asList(text.split("\n", -1)));
            int at = rnd.nextInt(lines.size());
            switch (this) {
                case DELETE_LINE -> lines.remove(at);
                case DUPLICATE_LINE -> lines.add(at, lines.get(at));
                case INDENT -> {
                    String l = lines.get(at);
                    lines.set(at, rnd.nextBoolean() ? " ".repeat(1 + rnd.nextInt(4)) + l : l.replaceFirst("^ {1,3}", ""));
                }
                case SCALAR, SCALAR_TWICE -> {
                    for (int k = 0; k < (this == SCALAR ? 1 : 2); k++) {
                        int i = valueLine(lines, rnd);
                        lines.set(i, replaceScalar(lines.get(i), JUNK[rnd.nextInt(JUNK.length)], rnd));
                    }
                }
                case SWAP_LINES -> {
                    int b = rnd.nextInt(lines.size());
                    String t = lines.get(at);
                    lines.set(at, lines.get(b));
                    lines.set(b, t);
                }
                case TRUNCATE -> {
                    byte[] all = text.getBytes(StandardCharsets.UTF_8);
                    return Arrays.copyOf(all, rnd.nextInt(all.length + 1));
                }
                case RANDOM_BYTES -> {
                    byte[] all = text.getBytes(StandardCharsets.UTF_8);
                    for (int k = 1 + rnd.nextInt(4); k > 0; k--) all[rnd.nextInt(all.length)] = (byte) rnd.nextInt(256);
                    return all;
                }
                case TABS -> lines.set(at, lines.get(at).replaceFirst("^ +", "\t"));
                case DEEP_NESTING -> {
                    int depth = new int[] {10, 47, 49, 200, 5000}[rnd.nextInt(5)];
                    String deep = rnd.nextBoolean() ? "[".repeat(depth) + "]".repeat(depth) : "{a: ".repeat(depth) + "1" + "}".repeat(depth);
                    int i = valueLine(lines, rnd);
                    lines.set(i, replaceScalar(lines.get(i), deep, rnd));
                }
                case ANCHORS -> {
                    int i = valueLine(lines, rnd), j = valueLine(lines, rnd);
                    lines.set(i, lines.get(i).replaceFirst(": (?=\\S)", ": &a "));
                    lines.set(j, replaceScalar(lines.get(j), rnd.nextBoolean() ? "*a" : "*b", rnd));
                }
                case HUGE_VALUE -> {
                    int i = valueLine(lines, rnd);
                    String big = rnd.nextBoolean() ? "x".repeat(1 << 20) : "9".repeat(1 << 20);
                    lines.set(i, replaceScalar(lines.get(i), big, rnd));
                }
            }
            return String.join("\n", lines).getBytes(StandardCharsets.UTF_8);
        }

        /** A line with a value after a colon, if there is one. */
        private static int valueLine(List<String> lines, Random rnd) {
            for (int tries = 0; tries < 50; tries++) {
                int i = rnd.nextInt(lines.size());
                if (lines.get(i).matches("[^#]*:\\s*\\S.*")) return i;
            }
            return rnd.nextInt(lines.size());
        }

        /** The line with one of its values (after a ': ') replaced by {@code v}. */
        private static String replaceScalar(String line, String v, Random rnd) {
            List<Integer> colons = new ArrayList<>();
            for (int i = line.indexOf(": "); i >= 0; i = line.indexOf(": ", i + 1)) colons.add(i);
            if (colons.isEmpty()) return line + v;
            int c = colons.get(rnd.nextInt(colons.size())) + 2;
            int end = c;
            while (end < line.length() && ",}]#".indexOf(line.charAt(end)) < 0) end++;
            return line.substring(0, c) + v + line.substring(end);
        }
    }
}
