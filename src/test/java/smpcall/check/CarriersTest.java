package smpcall.check;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;

import smpcall.machine.VirtualThreads;
import smpcall.run.RunSpec;
import smpcall.run.Scenarios;

/**
 * The search that restores saved states gives the same counts, to the step, whether its task
 * threads share one carrier (as in the other tests) or run on two at once. On two carriers a
 * thread that handed the baton on runs beside the one that took it; a dead task's thread once
 * read its task's state after the hand-off, saw the state of its rebuild on the other carrier,
 * and ran on beside it: steps were counted twice, and a run ended with a model error that no
 * replay showed (any-offline on series-v9 showed it in four runs out of four). The search on
 * two carriers runs in a JVM of its own, since the carriers are fixed when a JVM starts.
 */
class CarriersTest {
    static final String MODEL = "series-v9", SCENARIO = "any-offline";
    static final int RUNS = 4;

    @Test
    void twoCarriersCountWhatOneCounts() throws IOException, InterruptedException {
        String expected = VirtualThreads.call(CarriersTest::search);
        Path java = Path.of(System.getProperty("java.home"), "bin", "java");
        Process p = new ProcessBuilder(java.toString(), "-Djdk.virtualThreadScheduler.parallelism=2", "-Xss2m",
                "-cp", System.getProperty("java.class.path"), CarriersTest.class.getName())
                .redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(300, TimeUnit.SECONDS), "the search on two carriers ended");
        assertEquals(0, p.exitValue(), out);
        List<String> lines = new ArrayList<>(out.lines().toList());
        assertEquals(RUNS, lines.size(), out);
        for (String line : lines) assertEquals(expected, line);
        assertTrue(expected.contains("exhaustive=true") && expected.contains("restored=true"), expected);
    }

    /** One search that restores states, as counts on one line. */
    static String search() {
        Dfs dfs = new Dfs(MODEL, Scenarios.get(SCENARIO), new RunSpec.Knobs(null, null, null, null, null), -1,
                Dfs.Reduction.SLEEP_SETS).restoring();
        Dfs.Outcome o = dfs.run(3_000_000, 120, () -> false);
        return "executions=" + o.executions() + " states=" + o.states() + " steps=" + o.steps() + " exhaustive="
                + o.exhaustive() + " found=" + (o.counterexample() != null) + " restored=" + dfs.restored()
                + " rebuildsFailed=" + dfs.rebuildsFailed();
    }

    /** In the JVM with two carriers: the search, {@link #RUNS} times. */
    public static void main(String[] args) {
        for (int i = 0; i < RUNS; i++) System.out.println(VirtualThreads.call(CarriersTest::search));
    }
}
