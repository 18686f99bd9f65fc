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

import smpcall.machine.RunResult;

/** Each shipped mutant also ships as a patch to SeriesV9.java (resources mutants/NAME.patch) that builds the same model. */
class MutantPatchesTest {
    @TempDir Path dir;

    /** The pinned counterexamples of MutantTest: the patch-built model runs them as the Java mutant does. */
    @ParameterizedTest
    @CsvSource({
            "v9-put-before-dispatch:preempt-waiter:-:zeNpjYAABxsk8DAIMIAQCAiCakwMJMCADAWzyIDEAVycCAw~89bb46ed",
            "v9-put-before-queue:hotplug-target:-:zeNoViDEOACAQwhgcGuPAu_XT9gg0pBBsjGCLznknTTu2VCU8I2VyF8z4T5QDRg~eb30878d",
            "v9-put-before-queue:same-cpu-callers:-:zeNpjaGLp5gABBiCAMMBMCA_KYgAAMKEBgg~01559b9b",
            "v9-lock-nowait:preempt-waiter:-:zeNpjYGBgFGTo5uFk4BAQ4GAAYSCDAQiAHCApABLBBzjAAEZzcHIgA5AwAI4bAmw~9a44e520",
            "v9-percpu-waitmask:preempt-waiter:-:zeNqNjCkOACAQAwdXEsTydj7MgMHSpJdogTZ7whqpQlauYDZFw67wAZ8eOEPYre4CtA~ea0c971d",
            "v9-free-csd-on-dead:migrate-offline:-:zeNolizEOgAAQwupWjQO-208LkYH0gJNDkaqmF2QQQ_Lw3uRMIzOnqbv8qepsz-PV-gF5lwMN~e4577f32",
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
        RunResult java = Driver.run(spec, true, false);
        RunResult patched = Driver.run(m.factory(), Scenarios.get(spec.scenario()), spec.config(), spec.chooser(), true, false);
        assertFalse(java.findings().isEmpty());
        assertEquals(java.findings().toString(), patched.findings().toString());
        assertEquals(java.trace(), patched.trace());
    }
}
