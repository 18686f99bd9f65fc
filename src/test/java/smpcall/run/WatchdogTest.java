package smpcall.run;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The watchdog stops a model that spins without reaching a scheduling point (in a JVM of its own: the spin cannot be stopped). */
class WatchdogTest {
    @TempDir Path dir;

    private record Exit(int status, String out, String err, double seconds) {}

    private Process start(Path model, String runId, String... flags) throws IOException {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        List<String> cmd = new java.util.ArrayList<>(List.of(java, "-Djdk.virtualThreadScheduler.parallelism=1",
                "-Dsmpcall.cache=" + dir.resolve("cache")));
        cmd.addAll(List.of(flags));
        cmd.addAll(List.of("-cp", System.getProperty("java.class.path"), WatchdogProbe.class.getName(), model.toString(), runId));
        return new ProcessBuilder(cmd).start();
    }

    private Exit probe(Path model, String runId) throws IOException, InterruptedException {
        Process p = start(model, runId);
        long t0 = System.nanoTime();
        p.getOutputStream().close();
        if (!p.waitFor(60, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new AssertionError("the probe did not end");
        }
        return new Exit(p.exitValue(), new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8),
                new String(p.getErrorStream().readAllBytes(), StandardCharsets.UTF_8), (System.nanoTime() - t0) / 1e9);
    }

    @Test
    void aModelThatSpinsWithoutASchedulingPointIsStoppedNamingWhere() throws Exception {
        String spin = "        for (int spin = 0; thisCpu >= 0; spin++) { }     // waits for nothing, forever";
        String changed = Variants.replaceOnce(ShippedSources.source("SeriesV9.java"),
                "\n        CallFunctionData cfd = m.thisCpuPtr(cfdData);\n        Cpumask taskMask",
                "\n" + spin + "\n        CallFunctionData cfd = m.thisCpuPtr(cfdData);\n        Cpumask taskMask");
        int line = java.util.Arrays.asList(changed.split("\n", -1)).indexOf(spin) + 1;
        Path patch = Variants.write(dir, "spin.patch", Variants.gitDiff("SeriesV9.java", changed));
        Exit e = probe(patch, "series-v9:preempt-waiter:-:s1");
        assertEquals(2, e.status(), e::toString);
        assertEquals("smpcall: model code ran 1 s without reaching a scheduling point at SeriesV9.java:" + line
                + " in smpCallFunctionManyCond()\n", e.err());
        assertEquals("", e.out());
        assertTrue(e.seconds() >= 1.0, e::toString);

        // turned off, it lets the same model spin (for a debugger): still running well after that
        Process off = start(patch, "series-v9:preempt-waiter:-:s1", "-Dsmpcall.watchdog=off");
        try {
            assertTrue(!off.waitFor((long) (e.seconds() * 1000) + 1500, TimeUnit.MILLISECONDS), "ended: " + off);
        } finally {
            off.destroyForcibly();
        }
    }
}
