package smpcall.run;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;

import org.junit.jupiter.api.Test;

import smpcall.run.Driver;
import smpcall.machine.RandomChooser;
import smpcall.machine.RunResult;
import smpcall.report.RunReport;

/**
 * The built-in scenarios as files give the runs the Java definitions they replaced gave:
 * {@code scenarios/digests.txt} holds, for each model, scenario and variant, a digest of the
 * run reports (trace, kernel log, findings) of seeds 1..10, first computed from those
 * definitions. A change to the moves the machine offers changes the runs of a seed on
 * purpose: then {@code -Dsmpcall.golden.update=true} writes the new digests (say why in the
 * commit), as for the golden files.
 */
public class BuiltInScenariosTest {
    static final int SEEDS = 10;

    /** SHA-256 (first 16 hex) of the run reports of seeds 1..SEEDS. */
    public static String digest(String model, Scenario s, RunSpec.Knobs k) throws Exception {
        MessageDigest md = MessageDigest.getInstance("SHA-256");
        for (long seed = 1; seed <= SEEDS; seed++) {
            RunResult r = Driver.run(model, s, k.apply(s.config()), new RandomChooser(seed), true, false);
            md.update(RunReport.text(r, k.apply(s.config()).nrCpus(), "s" + seed).getBytes(StandardCharsets.UTF_8));
            md.update(r.findings().toString().getBytes(StandardCharsets.UTF_8));
        }
        return HexFormat.of().formatHex(md.digest()).substring(0, 16);
    }

    private static String resource(String name) throws IOException {
        try (InputStream in = BuiltInScenariosTest.class.getClassLoader().getResourceAsStream(name)) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }

    @Test
    void runsAreThoseOfTheJavaDefinitions() throws Exception {
        List<String> got = new ArrayList<>();
        for (String model : Models.names())
            for (Scenario s : Scenarios.all())
                for (RunSpec.Knobs k : s.variants())
                    got.add(model + " " + s.name() + " " + k.format() + " " + digest(model, s, k));
        String text = String.join("\n", got) + "\n";
        if (Boolean.getBoolean("smpcall.golden.update"))
            java.nio.file.Files.writeString(java.nio.file.Path.of("src/test/resources/scenarios/digests.txt"), text);
        assertEquals(resource("scenarios/digests.txt"), text);
    }

    @Test
    void builtInsAreTheShippedFilesInIndexOrder() throws Exception {
        List<String> names = Scenarios.all().stream().map(Scenario::name).toList();
        assertEquals(List.of("preempt-waiter", "hotplug-target", "single-async", "any-offline", "self-calls", "async-free", "migrate-offline", "irqs-off-crosscall",
                "same-cpu-callers", "two-callers-hotplug", "three-callers-hotplug", "boot-task"), names);
        for (String n : names) {
            String text = resource("scenarios/" + n + ".yaml");
            assertEquals(text, Scenarios.text(n));
            FileScenario s = (FileScenario) Scenarios.get(n);
            assertEquals(ScenarioFile.sha256(text.getBytes(StandardCharsets.UTF_8)).substring(0, 12), s.hash());
            assertTrue(text.startsWith("# " + n + ": "), n + " starts with a comment naming it");
            assertSame(s, Scenarios.get(n));
            assertSame(s, Scenarios.resolve(n));
        }
    }
}
