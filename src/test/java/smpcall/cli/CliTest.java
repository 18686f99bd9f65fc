package smpcall.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.PrintWriter;
import java.io.StringWriter;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class CliTest {
    private record Out(int status, String out, String err) {}

    private static Out smpcall(String... args) {
        StringWriter out = new StringWriter(), err = new StringWriter();
        int status = Main.execute(args, new PrintWriter(out, true), new PrintWriter(err, true));
        return new Out(status, out.toString(), err.toString());
    }

    @Test
    void runPrintsFtraceThenFindingsThenRunIdAndReplayPrintsTheSameBytes() {
        Out run = smpcall("run", "--model", "series-v9", "--scenario", "preempt-waiter", "--seed", "7");
        assertEquals(0, run.status(), run.err());
        assertTrue(run.out().startsWith("# tracer: nop\n#\n# entries-in-buffer/entries-written: "), run.out());
        String[] lines = run.out().split("\n");
        String id = lines[lines.length - 1].substring("run-id: ".length());
        assertTrue(id.matches("series-v9:preempt-waiter:-:s7~[0-9a-f]{8}"), id);
        Out replay = smpcall("replay", id);
        assertEquals(0, replay.status());
        assertEquals(run.out(), replay.out());
        assertEquals(run.out(), smpcall("replay", "series-v9:preempt-waiter:-:s7").out(), "an id typed without its check");
    }

    @Test
    void findingsGiveExitOneAndKernelText() {
        Out run = smpcall("run", "--model", "mainline", "--scenario", "irqs-off-crosscall", "--seed", "1");
        assertEquals(1, run.status());
        assertTrue(run.out().contains("] WARNING: CPU: "), run.out());
        assertTrue(run.out().contains("watchdog: BUG: soft lockup - CPU#"), run.out());
        assertTrue(run.out().contains("end: hang"), run.out());
    }

    @Test
    void knobsAreInTheRunIdAndReplayed() {
        Out run = smpcall("run", "--model", "series-v9", "--scenario", "boot-task", "--preempt", "0", "--inline-mask", "1");
        assertTrue(run.out().matches("(?s).*run-id: series-v9:boot-task:preempt=0,inline=1:s1~[0-9a-f]{8}\n"), run.out());
        assertEquals(run.out(), smpcall("replay", "series-v9:boot-task:preempt=0,inline=1:s1").out());
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "run --model nope --scenario boot-task|unknown model 'nope'",
            "run --model mainline --scenario nope|unknown scenario 'nope'",
            "run --model mainline --scenario boot-task --preempt 7|'7' is not 0 or 1",
            "run --model mainline --scenario boot-task --cpus 99|--cpus must be 1..64",
            "run --model mainline --scenario boot-task --seed x|'x'",
            "replay garbage|run-id 'garbage': not model:scenario:knobs:run",
            "replay mainline:boot-task:-:zAAAA|the recorded moves are corrupt",
            "replay series-v9:preempt-waiter:cpus=abc:s7|run-id 'series-v9:preempt-waiter:cpus=abc:s7': knob cpus=abc is not a number",
            "replay series-v9:preempt-waiter:csd_lock_timeout=-1:s7|knob csd_lock_timeout=-1 is out of range",
            "replay series-v9:preempt-waiter:cpus=3,cpus=3:s7|knob cpus is given twice",
            "replay series-v9:preempt-waiter:-:s7~00000000|run-id does not replay: the run-id's check ~00000000 does not match",
            "replay mainline:boot-task:foo=1:s1|unknown knob 'foo'",
            "frobnicate|frobnicate",
            "bench --check --model mainline|bench --check runs fixed figures: it takes no --model",
            "bench --time 5s|--time applies to bench --check only",
            "bench --check --time 100ms|--time must be",
            "latency --model nosuch --duration 10ms|unknown model 'nosuch'",
            "latency --model series-v9 --model series-v9 --duration 10ms|--model series-v9 is given twice",
            "latency --model missing.patch --duration 10ms|missing.patch",
            "check --model series-v9 --scenario single-async --strategy random --reduction dpor|--reduction applies to --strategy dfs only",
            "check --model series-v9 --scenario single-async --strategy pct --bound 2|--bound applies to --strategy dfs only",
            "check --model series-v9 --scenario single-async --depth 2|--depth applies to --strategy pct only",
            "check --model series-v9 --scenario single-async --bound -1|--bound must be 0..1000 preemptions, not -1",
            "check --model series-v9 --scenario single-async --jobs 100000|--jobs must be 1..256 jobs, not 100000",
            "check --model series-v9 --scenario single-async --time 1e10|'1e10' is not a duration",
            "check --model series-v9 --scenario single-async --time 0|--time must be 1 ms to 31536000 s, not 0 ns",
            "check --model series-v9 --scenario single-async --runs 0|--runs must be 1..1000000000000 executions, not 0",
            "check --model series-v9 --scenario single-async --json /tmp|--json /tmp is a directory, not a file",
            "check --model series-v9 --scenario single-async --json /nonexistent/x.json|the directory /nonexistent does not exist",
            "scenarios --show nope|unknown scenario 'nope'",
    })
    void badInputIsOneLineWithExitTwo(String args, String expected) {
        Out r = smpcall(args.split(" "));
        assertEquals(2, r.status(), r.err());
        assertEquals("", r.out());
        assertEquals(1, r.err().lines().count(), r.err());
        assertTrue(r.err().startsWith("smpcall: ") && r.err().contains(expected), r.err());
    }

    @Test
    void modelsAndScenariosList() {
        assertTrue(smpcall("models").out().startsWith("mainline "));
        String scenarios = smpcall("scenarios").out();
        for (String s : new String[] {"preempt-waiter", "hotplug-target", "single-async", "migrate-offline", "irqs-off-crosscall", "boot-task"})
            assertTrue(scenarios.contains(s + " "), s);
    }

    @Test
    void latencyPrintsTheSameBytesForTheSameSeedAndRejectsBadFlags() {
        String[] args = {"latency", "--cpus", "3", "--duration", "0.05", "--window", "0.01"};
        Out a = smpcall(args), b = smpcall(args);
        assertEquals(0, a.status(), a.err());
        assertEquals(a.out(), b.out());
        assertTrue(a.out().startsWith("# smpcall latency lab\n"), a.out());
        assertTrue(a.out().contains("model series-v9+csdlock_debug:"), a.out());
        Out bad = smpcall("latency", "--cpus", "1");
        assertEquals(2, bad.status());
        assertEquals(1, bad.err().lines().count(), bad.err());
    }

    @ParameterizedTest
    @CsvSource({"check, --strategy", "verify, --jobs", "run, --seed", "latency, --json"})
    void everyCommandHasHelp(String command, String option) {
        Out o = smpcall(command, "--help");
        assertEquals(0, o.status(), o.err());
        assertTrue(o.out().contains("Usage: smpcall " + command) && o.out().contains(option), o.out());
    }

    @Test
    void checkDfsSaysVerifiedOnlyWhenExhaustive() {
        Out done = smpcall("check", "--model", "series-v9", "--scenario", "same-cpu-callers");
        assertEquals(0, done.status(), done.err());
        assertTrue(done.out().contains("verdict: verified (exhaustive)"), done.out());
        assertTrue(done.out().contains("  states: "), done.out());
        Out dpor = smpcall("check", "--model", "series-v9", "--scenario", "single-async", "--reduction", "dpor");
        assertTrue(dpor.out().contains("verdict: verified (exhaustive)") && !dpor.out().contains("states:"), dpor.out());
        Out cut = smpcall("check", "--model", "series-v9", "--scenario", "two-callers-hotplug", "--runs", "50");
        assertEquals(3, cut.status(), cut.err());
        assertTrue(cut.out().contains("executions: 50 ") && cut.out().contains("verdict: no violation within budget"), cut.out());
        Out bad = smpcall("check", "--model", "series-v9", "--scenario", "single-async", "--reduction", "magic");
        assertEquals(2, bad.status());
        assertTrue(bad.err().contains("--reduction must be"), bad.err());
    }

    @Test
    void anEmptyOutputFileNameIsRefusedBeforeTheWork() {
        Out r = smpcall("check", "--model", "series-v9", "--scenario", "single-async", "--json", "");
        assertEquals(2, r.status(), r.err());
        assertEquals("smpcall: --json needs a file name, not an empty one\n", r.err());
    }

    @Test
    void checkWritesItsVerdictAsJson(@org.junit.jupiter.api.io.TempDir java.nio.file.Path dir) throws Exception {
        java.nio.file.Path file = dir.resolve("check.json");
        Out r = smpcall("check", "--model", "v9-put-before-queue", "--scenario", "same-cpu-callers", "--json", file.toString());
        assertEquals(1, r.status(), r.err());
        String json = java.nio.file.Files.readString(file);
        assertTrue(json.contains("\"verdict\" : \"violation\"") && json.contains("\"exit_status\" : 1")
                && json.contains("\"run_id\" : \"v9-put-before-queue:same-cpu-callers:-:z"), json);
    }

    @Test
    void scenariosShowPrintsTheShippedFile() throws Exception {
        Out r = smpcall("scenarios", "--show", "boot-task");
        assertEquals(0, r.status(), r.err());
        try (var in = CliTest.class.getClassLoader().getResourceAsStream("scenarios/boot-task.yaml")) {
            assertEquals(new String(in.readAllBytes(), java.nio.charset.StandardCharsets.UTF_8), r.out());
        }
        assertTrue(r.out().contains("variants:"), r.out());
    }

    /**
     * The user's own change and situation, end to end: the patch of docs/user-models.md and a
     * scenario file made from a built-in one are checked, the counterexample's run-id names
     * both by path and hash and replays, and once a file changes the run-id is refused.
     */
    @Test
    void aPatchAndAScenarioFileAreCheckedReplayedAndRefusedOnceChanged(@org.junit.jupiter.api.io.TempDir java.nio.file.Path dir)
            throws Exception {
        String doc = java.nio.file.Files.readString(java.nio.file.Path.of("docs/user-models.md"));
        String diff = doc.substring(doc.indexOf("```diff\n") + 8, doc.indexOf("```", doc.indexOf("```diff\n") + 8));
        java.nio.file.Path patch = java.nio.file.Files.writeString(dir.resolve("my-change.patch"), diff);
        java.nio.file.Path yaml = java.nio.file.Files.writeString(dir.resolve("mine.yaml"),
                smpcall("scenarios", "--show", "preempt-waiter").out().replace("name: preempt-waiter", "name: mine"));
        Out check = smpcall("check", "--model", patch.toString(), "--scenario", yaml.toString());
        assertEquals(1, check.status(), check.err());
        String id = check.out().lines().filter(l -> l.startsWith("run-id: ")).findFirst().orElseThrow().substring(8);
        assertTrue(id.matches(java.util.regex.Pattern.quote(patch.toString()) + "@[0-9a-f]{12}:"
                + java.util.regex.Pattern.quote(yaml.toString()) + "@[0-9a-f]{12}:-:z.*~[0-9a-f]{8}"), id);
        Out replay = smpcall("replay", id);
        assertEquals(1, replay.status(), replay.err());
        assertTrue(check.out().contains(replay.out()), replay.out());
        java.nio.file.Files.writeString(yaml, java.nio.file.Files.readString(yaml) + "# edited\n");
        Out refused = smpcall("replay", id);
        assertEquals(2, refused.status());
        assertTrue(refused.err().contains("scenario file " + yaml + " has changed since the run-id was made"), refused.err());
        java.nio.file.Files.writeString(patch, diff.replace("my change", "my other change"));
        refused = smpcall("replay", id);
        assertEquals(2, refused.status());
        assertTrue(refused.err().contains("model file " + patch + " has changed since the run-id was made"), refused.err());
    }

    @Test
    void tortureTakesModuleParametersAndFlagsAlike() {
        Out a = smpcall("torture", "--duration", "2ms", "holdoff=0", "scftorture.nthreads=2");
        Out b = smpcall("torture", "--duration", "2ms", "--holdoff", "0", "--nthreads", "2");
        assertEquals(0, a.status(), a.err());
        assertEquals(a.out(), b.out());
        assertTrue(a.out().contains("scftorture: --- End of test: SUCCESS:  verbose=0 holdoff=0 longwait=0 nthreads=2 "), a.out());
        assertTrue(a.out().contains("run-id: torture:series-v9:duration=2000000ns,holdoff=0,nthreads=2:s1"), a.out());
    }

    @Test
    void tortureRefusesBadInputInOneLine() {
        String[][] bad = {{"torture", "nthreads=x"}, {"torture", "bogus=1"}, {"torture", "--cpus", "1"}, {"torture", "nthreads"},
                {"torture", "holdoff=1", "--holdoff", "2"}, {"torture", "--invoker", "none"}, {"torture", "--csdlock-debug", "2"},
                {"torture", "weight_single=0", "weight_resched=0", "weight_single_rpc=0", "weight_single_wait=0", "weight_many=0",
                        "weight_many_wait=0", "weight_all=0", "weight_all_wait=0"},
                {"replay", "torture:series-v9:nthreads=x:s1"}, {"replay", "torture:series-v9:-"}, {"replay", "torture:no-such-model:-:s1"}};
        for (String[] args : bad) {
            Out o = smpcall(args);
            assertEquals(2, o.status(), String.join(" ", args) + ": " + o.err());
            assertEquals(1, o.err().lines().count(), String.join(" ", args) + ": " + o.err());
            assertTrue(o.err().startsWith("smpcall: "), o.err());
        }
    }

    @Test
    void tortureOfAMutantFailsWithARunIdThatReplays() {
        Out o = smpcall("torture", "--model", "v9-lock-nowait", "--duration", "1ms", "holdoff=0");
        assertEquals(1, o.status(), o.err());
        String id = o.out().lines().filter(l -> l.startsWith("run-id: ")).findFirst().orElseThrow().substring(8);
        assertTrue(o.out().contains("reproduce with: ./smpcall replay " + id), o.out());
        Out r = smpcall("replay", id);
        assertEquals(1, r.status(), r.err());
        assertTrue(r.out().startsWith("# tracer: nop"), r.out());
        assertTrue(r.out().endsWith(o.out()), "the replay ends with the same output");
    }
}
