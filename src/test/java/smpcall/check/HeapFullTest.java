package smpcall.check;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;

import smpcall.kernel.Mainline;
import smpcall.machine.Cell;
import smpcall.machine.Config;
import smpcall.machine.Machine;
import smpcall.machine.Storage;
import smpcall.machine.TaskSpec;
import smpcall.machine.VirtualThreads;
import smpcall.run.RunSpec;
import smpcall.run.Scenario;

/**
 * A heap that fills up during a search is not the model's fault: the search stops where it
 * is, claims nothing (not exhaustive, no counterexample), and the process knows why. (It once
 * came out as a model error that no replay showed.) The heap is simulated by a task that
 * throws OutOfMemoryError in one order of its accesses, in a JVM of its own, since the flag
 * is the process's.
 */
class HeapFullTest {
    static Scenario filling() {
        return new Scenario() {
            @Override public String name() { return "filling"; }
            @Override public String description() { return "one order of two accesses runs out of heap"; }
            @Override public Config config() { return Config.defaults(2).withPreemption(false); }
            @Override public void setUp(Machine m, Mainline k) {
                Storage s = m.staticData("cells");
                Cell x = m.cell(s, "x", 0);
                m.createTask(TaskSpec.normal("A", 0, () -> {
                    if (x.get() == 1) throw new OutOfMemoryError("Java heap space");
                }).pinned());
                m.createTask(TaskSpec.normal("B", 1, () -> x.set(1)).pinned());
            }
        };
    }

    @Test
    void aFullHeapStopsTheSearchAndClaimsNothing() throws IOException, InterruptedException {
        Path java = Path.of(System.getProperty("java.home"), "bin", "java");
        Process p = new ProcessBuilder(java.toString(), "-Xss2m", "-cp", System.getProperty("java.class.path"),
                HeapFullTest.class.getName()).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(120, TimeUnit.SECONDS), "the searches ended");
        assertEquals(0, p.exitValue(), out);
        assertEquals("restoring exhaustive=false found=false heapFull=true\n"
                + "replaying exhaustive=false found=false heapFull=true\n", out);
    }

    /** In a JVM of its own: the search that restores states, then the one that replays. */
    public static void main(String[] args) {
        RunSpec.Knobs knobs = new RunSpec.Knobs(null, null, null, null, null);
        Dfs restoring = new Dfs("mainline", filling(), knobs, -1, Dfs.Reduction.SLEEP_SETS).restoring();
        Dfs replaying = new Dfs("mainline", filling(), knobs, -1, Dfs.Reduction.SLEEP_SETS).stateful();
        for (Dfs dfs : new Dfs[] {restoring, replaying}) {
            Dfs.Outcome o = VirtualThreads.call(() -> dfs.run(1_000_000, 60, () -> false));
            System.out.println((dfs == restoring ? "restoring" : "replaying") + " exhaustive=" + o.exhaustive()
                    + " found=" + (o.counterexample() != null) + " heapFull=" + Machine.heapFull());
        }
    }
}
