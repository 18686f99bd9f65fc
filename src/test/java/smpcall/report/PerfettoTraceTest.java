package smpcall.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import org.junit.jupiter.api.Test;

import smpcall.machine.RunResult;
import smpcall.run.Driver;
import smpcall.run.RunSpec;

/** The Perfetto JSON of real runs is valid trace-event JSON, and shows what the run did. */
class PerfettoTraceTest {
    private static RunResult run(String model, String scenario, long seed) {
        return Driver.run(RunSpec.seeded(model, scenario, RunSpec.Knobs.NONE, seed), true, false);
    }

    private static int cpus(String scenario) {
        return RunSpec.seeded("mainline", scenario, RunSpec.Knobs.NONE, 1).config().nrCpus();
    }

    @ParameterizedTest
    @CsvSource({"series-v9, preempt-waiter, 7", "mainline, irqs-off-crosscall, 1", "series-v9, hotplug-target, 3",
            "v9-lock-nowait, preempt-waiter, 1", "mainline, two-callers-hotplug, 5", "series-v9, same-cpu-callers, 2"})
    void theJsonIsTraceEventFormat(String model, String scenario, long seed) throws Exception {
        RunResult r = run(model, scenario, seed);
        String json = PerfettoTrace.json(Lanes.of(r, cpus(scenario)), "id");
        List<String> problems = TraceEventFormat.problems(json);
        assertTrue(problems.isEmpty(), String.join("\n", problems.subList(0, Math.min(10, problems.size()))));
        assertTrue(json.contains("\"ph\":\"X\""), "has slices");
    }

    @Test
    void ipisAreArrowsFromTheSendToTheHandlerAndFindingsAreInstants() throws Exception {
        RunResult r = run("series-v9", "preempt-waiter", 7);
        Lanes l = Lanes.of(r, 3);
        List<Lanes.Flow> ipis = l.flows.stream().filter(f -> f.kind().equals("IPI")).toList();
        assertTrue(!ipis.isEmpty(), "IPI flows");
        for (Lanes.Flow f : ipis) {
            assertTrue(f.from().name().startsWith("ipi_send"), f.toString());
            assertEquals("IPI handler", f.to().name());
            assertTrue(f.to().startNs() >= f.from().startNs() && f.to().cpu() != f.from().cpu(), f.toString());
        }
        // every csd queued to another CPU runs there: one arrow per csd_queue_cpu
        long queued = r.trace().stream().filter(e -> e.name().equals("csd_queue_cpu")).count();
        assertEquals(queued, l.flows.stream().filter(f -> f.kind().equals("csd")).count());
        assertTrue(l.slices.stream().anyMatch(s -> s.kind() == Lanes.Kind.PREEMPT_OFF), "preempt-off spans");
        assertTrue(l.slices.stream().anyMatch(s -> s.kind() == Lanes.Kind.TASK && s.name().equals("T1")), "task slices");

        RunResult bad = run("v9-lock-nowait", "preempt-waiter", 1);
        String json = PerfettoTrace.json(Lanes.of(bad, 3), "id");
        long instants = json.lines().filter(s -> s.contains("\"ph\":\"i\"")).count();
        assertEquals(bad.findings().size(), instants);
    }

    @Test
    void theValidatorCatchesWhatPerfettoWouldDrop() throws Exception {
        String overlap = "{\"traceEvents\":[{\"ph\":\"M\",\"name\":\"process_name\",\"pid\":1,\"args\":{\"name\":\"CPU0\"}},"
                + "{\"ph\":\"M\",\"name\":\"thread_name\",\"pid\":1,\"tid\":2,\"args\":{\"name\":\"x\"}},"
                + "{\"ph\":\"X\",\"name\":\"a\",\"pid\":1,\"tid\":2,\"ts\":1.0,\"dur\":2.0},"
                + "{\"ph\":\"X\",\"name\":\"b\",\"pid\":1,\"tid\":2,\"ts\":2.0,\"dur\":2.0},"
                + "{\"ph\":\"s\",\"name\":\"IPI\",\"id\":1,\"pid\":1,\"tid\":2,\"ts\":9.0},"
                + "{\"ph\":\"X\",\"name\":\"c\",\"pid\":1,\"tid\":0,\"ts\":0.5,\"dur\":0.1}]}";
        String all = String.join("\n", TraceEventFormat.problems(overlap));
        assertTrue(all.contains("partially overlaps"), all);
        assertTrue(all.contains("no slice encloses it"), all);
        assertTrue(all.contains("has no end"), all);
        assertTrue(all.contains("tid missing or < 1"), all);
    }

    /** check --trace writes its counterexample straight to a trace file Perfetto opens, with the finding on it. */
    @Test
    void checkWritesItsCounterexampleAsATrace(@org.junit.jupiter.api.io.TempDir java.nio.file.Path dir) throws Exception {
        java.nio.file.Path file = dir.resolve("cx.json");
        var out = new java.io.StringWriter();
        int status = smpcall.cli.Main.execute(new String[] {"check", "--model", "v9-lock-nowait", "--scenario", "preempt-waiter",
                "--trace", file.toString()}, new java.io.PrintWriter(out, true), new java.io.PrintWriter(new java.io.StringWriter(), true));
        assertEquals(1, status, out.toString());
        assertTrue(out.toString().contains("trace: " + file + " (perfetto)"), out.toString());
        String json = java.nio.file.Files.readString(file);
        assertEquals(List.of(), TraceEventFormat.problems(json));
        String runId = out.toString().lines().filter(l -> l.startsWith("run-id: ")).findFirst().orElseThrow().substring(8);
        assertTrue(json.contains(runId), "the trace names its run-id");
        assertTrue(json.contains("\"ph\":\"i\"") || json.contains("\"ph\" : \"i\""), "the finding is an instant");
    }
}
