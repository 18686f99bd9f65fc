package smpcall.run;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;

import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import smpcall.kernel.RunSpec;
import smpcall.kernel.Runs;
import smpcall.kernel.Scenarios;
import smpcall.machine.RunResult;

/** Each shipped mutant also ships as a patch to SeriesV9.java (resources mutants/NAME.patch) that builds the same model. */
class MutantPatchesTest {
    @TempDir Path dir;

    /** The pinned counterexamples of MutantTest: the patch-built model runs them as the Java mutant does. */
    @ParameterizedTest
    @CsvSource({
            "v9-put-before-dispatch:preempt-waiter:-:zeNpViEEOAEAMAY39_59b0ssiYkgRFkoKLD9k41ycU9DVUfg1BxoAKQ",
            "v9-put-before-queue:hotplug-target:-:zeNodioENAAAIgpD_j85s5hiVkIZOK2V8kB0mdfxe3PPvAQR1ACU",
            "v9-put-before-queue:same-cpu-callers:-:zeNpjYGRiZAACEMHICKbhfOwAAAHCAAs",
            "v9-lock-nowait:preempt-waiter:-:zeNoti4kRADAIwgLdf-emWk-RR4GUU7HhjQRLIXZdEta0k1G7fH7xnH93EvkFDhkARw",
            "v9-percpu-waitmask:preempt-waiter:-:zeNpNiEkOACAQwlri_9_soB4EwgYYlWUyNTNq9570iGdlQdePDQoyADY",
            "v9-free-csd-on-dead:migrate-offline:-:zeNoti7ENADAMwgz9_-diKRkQYFKSEHYTPdXUNuUtds3EvkaJ25vXX7kYPgtmAEc",
    })
    void thePatchBuildsTheMutant(String runId) throws IOException {
        RunSpec spec = RunSpec.parse(runId);
        Path patch = dir.resolve(spec.model() + ".patch");
        try (InputStream in = getClass().getResourceAsStream("/mutants/" + spec.model() + ".patch")) {
            Files.write(patch, in.readAllBytes());
        }
        long t0 = System.nanoTime();
        UserModel m = UserModels.load(patch);
        System.out.printf("mutants/%s.patch: loaded in %.0f ms%n", spec.model(), (System.nanoTime() - t0) / 1e6);
        assertEquals("series-v9", m.base());
        RunResult java = Runs.run(spec, true, true);
        RunResult patched = Runs.run(m.factory(), Scenarios.get(spec.scenario()), spec.config(), spec.chooser(), true, true);
        assertFalse(java.findings().isEmpty());
        assertEquals(java.findings().toString(), patched.findings().toString());
        assertEquals(java.trace(), patched.trace());
    }
}
