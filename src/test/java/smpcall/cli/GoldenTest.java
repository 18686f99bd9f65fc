package smpcall.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import smpcall.check.VerifySuite;
import smpcall.kernel.Property;
import smpcall.report.VerifyMatrix;
import smpcall.run.RunSpec;
import smpcall.run.Scenarios;

/**
 * The output users read, locked byte for byte: the ftrace text, the kernel log and the
 * run-id of a run, the counterexample that check prints, and the verify matrix. After a
 * deliberate change of the output, rewrite the files with
 * {@code ./run-tests -Dtest=GoldenTest -Dsmpcall.golden.update=true} and read the diff.
 */
class GoldenTest {
    private static final Path DIR = Path.of("src/test/resources/golden");

    private static void matches(String name, String actual) throws IOException {
        Path file = DIR.resolve(name);
        if (Boolean.getBoolean("smpcall.golden.update")) Files.writeString(file, actual);
        assertEquals(Files.readString(file), actual, name + " (rewrite with -Dsmpcall.golden.update=true)");
    }

    private static String smpcall(String... args) {
        StringWriter out = new StringWriter(), err = new StringWriter();
        Main.execute(args, new PrintWriter(out, true), new PrintWriter(err, true));
        return out.toString();
    }

    @ParameterizedTest
    @CsvSource({
            "run-series-v9-preempt-waiter-s7.txt, series-v9, preempt-waiter, 7",
            "run-mainline-irqs-off-crosscall-s1.txt, mainline, irqs-off-crosscall, 1",
            "run-series-v9-hotplug-target-s3.txt, series-v9, hotplug-target, 3",
    })
    void runPrintsTheSameFtraceKernelLogAndRunId(String file, String model, String scenario, String seed) throws IOException {
        matches(file, smpcall("run", "--model", model, "--scenario", scenario, "--seed", seed));
    }

    /** The counterexample of a depth-first search (one job: the same one every time), without the timing line. */
    @Test
    void checkPrintsTheSameCounterexample() throws IOException {
        String out = smpcall("check", "--model", "v9-lock-nowait", "--scenario", "preempt-waiter");
        String withoutTimes = out.replaceAll("seconds: [0-9.]+  steps/s: [0-9]+", "seconds: S  steps/s: N");
        matches("check-v9-lock-nowait-preempt-waiter.txt", withoutTimes);
    }

    @Test
    void theVerifyMatrixLooksTheSame() throws IOException {
        var rows = VerifySuite.rows().stream().filter(r -> Set.of("preempt-waiter", "irqs-off-crosscall", "boot-task")
                .contains(r.scenario().name())).toList();
        var pw = rows.stream().filter(r -> r.scenario().name().equals("preempt-waiter")).findFirst().orElseThrow();
        var irq = rows.stream().filter(r -> r.scenario().name().equals("irqs-off-crosscall")).findFirst().orElseThrow();
        var boot = rows.stream().filter(r -> r.knobs().equals(new RunSpec.Knobs(null, false, false, null, null))).findFirst().orElseThrow();
        List<VerifySuite.Entry> entries = List.of(
                new VerifySuite.Entry(pw, "mainline", Set.of(), Set.of(), null, null, 2_177_629, 24_620, 182_823, 7.04, true),
                new VerifySuite.Entry(pw, "series-v9", Set.of(Property.P9), Set.of(), "series-v9:preempt-waiter:-:s12~0123abcd", null,
                        9_000, 120, 0, 0.3, false),
                new VerifySuite.Entry(irq, "mainline", Set.of(Property.P2, Property.P7), Set.of(Property.P2, Property.P7), null, null,
                        40_000, 500, 0, 0.31, false),
                new VerifySuite.Entry(boot, "series-v9", Set.of(), Set.of(), null, null, 30_000, 100_500, 104_867, 23.0, false));
        matches("verify-matrix.txt", VerifyMatrix.text(rows, List.of("mainline", "series-v9"), entries));
        assertEquals("preempt-waiter", Scenarios.get("preempt-waiter").name());
    }

    /** torture's kernel log (parameters, selection table, statistics, end line) and its run-id; and a failure's replay with its trace. */
    @Test
    void torturePrintsTheSameKernelLogAndVerdict() throws IOException {
        matches("torture-series-v9-hotplug.txt", smpcall("torture", "--duration", "5ms", "holdoff=0", "onoff_interval=1", "nthreads=8"));
        matches("replay-torture-v9-lock-nowait.txt", smpcall("replay", "torture:v9-lock-nowait:duration=1000000ns,holdoff=0:s1"));
    }

    /** A run's page of the HTML report: its SVG timeline, its marked ftrace lines and its kernel log. */
    @Test
    void aRunsReportPageIsTheSame() throws IOException {
        var spec = smpcall.run.RunSpec.seeded("series-v9", "hotplug-target", smpcall.run.RunSpec.Knobs.NONE, 3);
        var r = smpcall.run.Driver.outcome(spec).result();
        matches("report-series-v9-hotplug-target-s3.html",
                smpcall.report.HtmlReport.runPage("series-v9 on hotplug-target, seed 3", r, spec.config().nrCpus(), spec.checked(r).id()));
    }
}
