package smpcall.run;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;

import org.junit.jupiter.api.Test;

import smpcall.run.Driver;
import smpcall.machine.RandomChooser;
import smpcall.machine.RunResult;

/** The worked example of docs/scenarios.md loads and runs as the page says. */
class DocsExampleTest {
    @Test
    void workedExampleLoadsAndRuns() throws Exception {
        String page = Files.readString(Path.of("docs/scenarios.md"));
        int start = page.indexOf("```yaml\n") + "```yaml\n".length();
        String yaml = page.substring(start, page.indexOf("```", start));
        FileScenario s = ScenarioFile.parse(yaml, "two-callers-cpu2-down.yaml");
        assertEquals("two-callers-cpu2-down", s.name());
        assertEquals(3, s.config().nrCpus());
        for (String model : Models.names()) {
            for (long seed = 0; seed < 20; seed++) {
                RunResult r = Driver.run(model, s, s.config(), new RandomChooser(seed), true, false);
                assertEquals(RunResult.End.COMPLETED, r.end(), model + " seed " + seed + " " + r.findings());
                assertTrue(r.findings().isEmpty(), model + " seed " + seed + " " + r.findings());
                assertTrue(r.console().stream().anyMatch(l -> l.endsWith("] cpu_down(2) = 0")), r.console().toString());
            }
        }
    }
}
