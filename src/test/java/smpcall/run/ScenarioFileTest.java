package smpcall.run;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import smpcall.kernel.SmpParams;
import smpcall.run.Driver;
import smpcall.machine.Config;
import smpcall.kernel.Property;
import smpcall.machine.RandomChooser;
import smpcall.machine.RunResult;
import smpcall.machine.Task;

/** The loader: what a file means, and the one line it gives for each kind of mistake. */
class ScenarioFileTest {
    private static final String BASE = """
            name: t
            cpus: 3
            masks:
              targets: 1-2
            csds:
              my_csd: {func: do_work}
            tasks:
              - name: T0
                cpu: 0
                program:
                  - on_each_cpu_mask: {mask: targets, func: do_work}
            """;

    private static String error(String yaml) {
        return assertThrows(IllegalArgumentException.class, () -> ScenarioFile.parse(yaml, "f.yaml")).getMessage();
    }

    static Stream<Arguments> badFiles() {
        return Stream.of(
                Arguments.of("cpus: 3", "f.yaml:1:1: missing key 'tasks'"),
                Arguments.of("cpus: 0\ntasks: []", "f.yaml:1:7: cpus: 0 is out of range 1..64"),
                Arguments.of("cpus: 2\ncpuz: 1\ntasks: []", "f.yaml:2:1: cpuz: unknown key 'cpuz' (allowed here: name, description, cpus, config, budgets, masks, csds, tasks, expect, check, variants)"),
                Arguments.of("cpus: 2\ncpus: 3\ntasks: []", "f.yaml:2:1: cpus: duplicate key"),
                Arguments.of("cpus: 2\ntasks: []", "f.yaml:2:8: tasks: needs at least one task"),
                Arguments.of("cpus: 2\ntasks:\n  - name: T0\n    cpu: 5\n    program: [delay: 1us]", "f.yaml:4:10: tasks[0].cpu: CPU 5 does not exist on a 2-CPU machine"),
                Arguments.of("cpus: 2\ntasks:\n  - name: T0\n    program: [delay: 1.5us]", "f.yaml:4:22: tasks[0].program[0].delay: '1.5us' is not a duration (a whole number of ns, or with a unit: 500ns, 10us, 2ms, 1s)"),
                Arguments.of("cpus: 2\ntasks:\n  - name: T0\n    program: [delay: -5]", "f.yaml:4:22: tasks[0].program[0].delay: -5 is out of range 0..3600000000000"),
                Arguments.of("cpus: 2\ntasks:\n  - name: T0\n    policy: fifo\n    program: [delay: 1]", "f.yaml:3:5: tasks[0]: missing key 'priority'"),
                Arguments.of("cpus: 2\ntasks:\n  - name: T0\n    policy: fifo\n    priority: 100\n    program: [delay: 1]", "f.yaml:5:15: tasks[0].priority: 100 is out of range 1..99"),
                Arguments.of("cpus: 2\ntasks:\n  - name: T0\n    priority: 10\n    program: [delay: 1]", "f.yaml:4:15: tasks[0].priority: only a fifo task has a priority (nice levels are not modelled)"),
                Arguments.of("cpus: 2\ntasks:\n  - name: T0\n    pinned: yes\n    program: [delay: 1]", "f.yaml:4:13: tasks[0].pinned: 'yes' is not true or false"),
                Arguments.of("cpus: 2\ntasks:\n  - name: T0\n    affinity: 1\n    program: [delay: 1]", "f.yaml:4:15: tasks[0].affinity: does not include the task's CPU 0"),
                Arguments.of("cpus: 2\ntasks:\n  - name: T0\n    affinity: 2-1\n    program: [delay: 1]", "f.yaml:4:15: tasks[0].affinity: range 2-1 goes down"),
                Arguments.of("cpus: 2\ntasks:\n  - name: T0\n    program: [cpu_down: 1]\n  - name: T1\n    program: [cpu_down: 0]", "f.yaml:6:25: tasks[1].program[0].cpu_down: would take down the last online CPU (the steps take down up to 2 CPUs of 2, none comes up)"),
                Arguments.of("cpus: 1\ntasks:\n  - name: T0\n    program: [cpu_down: any]", "f.yaml:4:25: tasks[0].program[0].cpu_down: would take down the only CPU"),
                Arguments.of("cpus: 2\ntasks:\n  - name: T0\n    program: [smp_call_function_many: {mask: cpu_online_mask, func: f}]", "f.yaml:4:39: tasks[0].program[0].smp_call_function_many: smp_call_function_many() needs preemption disabled: put it in a preempt_off: (or irqs_off:) section"),
                Arguments.of("cpus: 2\ntasks:\n  - name: T0\n    program: [preempt_off: [sleep: 1us]]", "f.yaml:4:36: tasks[0].program[0].preempt_off[0].sleep: a task cannot sleep with preemption disabled"),
                Arguments.of("cpus: 2\ntasks:\n  - name: T0\n    program: [preempt_off: [cond_resched]]", "f.yaml:4:29: tasks[0].program[0].preempt_off[0]: cond_resched() may sleep: not with preemption disabled"),
                Arguments.of("cpus: 2\ntasks:\n  - name: T0\n    program: [cond_resched: 1]", "f.yaml:4:29: tasks[0].program[0].cond_resched: cond_resched takes no value: write the step as - cond_resched"),
                Arguments.of("cpus: 2\ntasks:\n  - name: T0\n    program: [irqs_off: [cpu_down: 1]]", "f.yaml:4:36: tasks[0].program[0].irqs_off[0].cpu_down: cpu_down() sleeps: not with irqs disabled"),
                Arguments.of("cpus: 2\ntasks:\n  - name: T0\n    program: [on_each_cpu_mask: {mask: nope, func: f}]", "f.yaml:4:40: tasks[0].program[0].on_each_cpu_mask.mask: no mask nope under masks:"),
                Arguments.of("cpus: 2\ntasks:\n  - name: T0\n    program: [on_each_cpu: {func: f, cpu: 1}]", "f.yaml:4:38: tasks[0].program[0].on_each_cpu.cpu: unknown key 'cpu' (allowed here: func, cost, wait)"),
                Arguments.of("cpus: 2\ntasks:\n  - name: T0\n    program: [on_each_cpu: {func: f, printk: true}]", "f.yaml:4:38: tasks[0].program[0].on_each_cpu.printk: unknown key 'printk' (allowed here: func, cost, wait)"),
                Arguments.of("cpus: 2\ntasks:\n  - name: T0\n    program: [{delay: 1, sleep: 1}]", "f.yaml:4:15: tasks[0].program[0]: a step is one of smp_call_function_single, smp_call_function_single_async, smp_call_function_any, smp_call_function_many, smp_call_function, on_each_cpu_cond_mask, on_each_cpu_mask, on_each_cpu, repeat, irqs_off, preempt_off, delay, sleep, cond_resched, cpu_down, cpu_up (give 2 keys in separate steps)"),
                Arguments.of("cpus: 2\ntasks:\n  - name: T0\n    program: [on_each_cpu: {func: f, cost: 1us}, on_each_cpu: {func: f}]", "f.yaml:4:70: tasks[0].program[1].on_each_cpu.func: f has another cost at 4:44 (one function, one cost: 1000 ns)"),
                Arguments.of("cpus: 2\ntasks:\n  - name: averyveryverylongname\n    program: [delay: 1]", "f.yaml:3:11: tasks[0].name: 'averyveryverylongname' is not a comm (letters, digits, _ . / + -; at most 15)"),
                Arguments.of("cpus: 2\ntasks:\n  - name: T0\n    boot: true\n    cpu: 1\n    program: [delay: 1]", "f.yaml:5:10: tasks[0].cpu: the boot task (init_task) runs on CPU 0, not 1"),
                Arguments.of("cpus: 2\nexpect: [P7]\ncheck: [P1]\ntasks:\n  - name: T0\n    program: [delay: 1]", "f.yaml:2:9: expect: P7 is expected but not in check:"),
                Arguments.of("cpus: 2\nvariants: [{cpus: 1}]\ntasks:\n  - name: T0\n    program: [cpu_down: 1]", "f.yaml:5:25: tasks[0].program[0].cpu_down: CPU 1 does not exist on a 1-CPU machine (under variants[0], cpus: 1)"),
                Arguments.of("cpus: 2\ntasks: [\n", "f.yaml:3:1: YAML: while parsing a flow node: expected the node content, but found '<stream end>'"),
                Arguments.of("''", "f.yaml:1:1: must be a mapping, not ''"),
                Arguments.of("cpus: !!str 2\ntasks: []", "f.yaml:1:7: cpus: '2' is not a whole number"));
    }

    @ParameterizedTest
    @MethodSource("badFiles")
    void badFilesGiveOneLine(String yaml, String expected) {
        assertEquals(expected, error(yaml));
    }

    @Test
    void emptyAndNonUtf8FilesAreRefusedWithAPosition() {
        assertEquals("f.yaml:1:1: the file is empty (a scenario needs at least cpus: and tasks:)", error(""));
        byte[] bad = "cpus: 2\nname: \u00e9x".getBytes(StandardCharsets.UTF_8);
        bad[bad.length - 3] = (byte) 0xff;
        assertEquals("f.yaml:2:7: not UTF-8 text",
                assertThrows(IllegalArgumentException.class, () -> ScenarioFile.parse(bad, "f.yaml")).getMessage());
    }

    @Test
    void checkAgainstTheFinalMachineNamesTheField() {
        FileScenario s = ScenarioFile.parse(BASE, "f.yaml");
        s.check(s.config());
        s.check(s.config().withNrCpus(8));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> s.check(s.config().withNrCpus(2)));
        assertEquals("f.yaml:4:12: masks.targets: CPU 2 does not exist on a 2-CPU machine", e.getMessage());
        FileScenario hot = (FileScenario) Scenarios.get("two-callers-hotplug");
        e = assertThrows(IllegalArgumentException.class, () -> hot.check(hot.config().withNrCpus(1)));
        assertTrue(e.getMessage().startsWith("scenarios/two-callers-hotplug.yaml:"), e.getMessage());
        assertTrue(e.getMessage().contains("masks.t0_targets: CPU 1 does not exist on a 1-CPU machine"), e.getMessage());
    }

    @Test
    void whatAFileSaysIsWhatTheScenarioIs() {
        FileScenario s = ScenarioFile.parse("""
                cpus: 4
                description: all knobs
                config: {preempt: false, debug_preempt: false, csdlock_debug: true, csd_lock_timeout: 20, inline_mask: false}
                budgets: {preemptions: 2, migrations: 0}
                expect: [P2]
                check: [P2, P1]
                variants: [{}, {cpus: 2, preempt: true, inline_mask: true, csdlock_debug: false, csd_lock_timeout: 7}]
                tasks:
                  - name: T0
                    program: [delay: 0x10]
                """, "dir/knobs.yml");
        assertEquals("knobs", s.name());
        assertEquals("all knobs", s.description());
        Config c = s.config();
        assertEquals(4, c.nrCpus());
        assertTrue(!c.preemption() && !c.debugPreempt() && SmpParams.csdlockDebug(c) && !SmpParams.ipiMaskInline(c));
        assertEquals(20_000_000L, SmpParams.csdLockTimeoutNs(c));
        assertEquals(2, c.maxPreemptions());
        assertEquals(0, c.maxMigrations());
        assertEquals(Set.of(Property.P2), s.expectedViolations());
        assertEquals(EnumSet.of(Property.P1, Property.P2, Property.MODEL), s.checked());
        assertEquals(List.of(RunSpec.Knobs.NONE, new RunSpec.Knobs(2, true, true, false, 7L)), s.variants());
        assertNull(s.path());
        assertEquals(ScenarioFile.sha256(s.text().getBytes(StandardCharsets.UTF_8)).substring(0, 12), s.hash());
        assertTrue(s.hash().matches("[0-9a-f]{12}"));
    }

    /** Every step kind runs, in a program that uses them all, on every model, without findings. */
    @Test
    void everyStepRuns() {
        FileScenario s = ScenarioFile.parse("""
                cpus: 3
                masks: {targets: 1-2, one: 2}
                csds: {my_csd: {func: async_func, cost: 2us}}
                tasks:
                  - name: T0
                    pinned: true
                    preemptions: 0
                    program: &calls
                      - smp_call_function_single: {cpu: 1, func: f, wait: true, printk: true}
                      - smp_call_function_single_async: {cpu: 2, csd: my_csd, printk: true}
                      - smp_call_function_any: {mask: one, func: f, printk: true}
                      - preempt_off:
                          - smp_call_function_many: {mask: targets, func: g, cost: 1us, wait: true}
                      - smp_call_function: {func: f, wait: false}
                      - on_each_cpu_cond_mask: {mask: targets, func: f, cond: 2}
                      - on_each_cpu_mask: {mask: cpu_online_mask, func: f}
                      - repeat: {times: 2, steps: [on_each_cpu: {func: f}]}
                      - irqs_off: [delay: 10us]
                      - sleep: 1us
                      - cond_resched
                  - name: ctl
                    cpu: 1
                    migrate: pushed
                    migrations: 0
                    program:
                      - cpu_down: {cpu: 2, printk: true}
                      - cpu_up: {cpu: 2, printk: true}
                """, "all.yaml");
        for (long seed = 0; seed < 20; seed++) {
            RunResult r = Driver.run("mainline", s, s.config(), new RandomChooser(seed), true, false);
            assertEquals(RunResult.End.COMPLETED, r.end(), "seed " + seed + " " + r.findings());
            assertTrue(r.findings().isEmpty(), "seed " + seed + " " + r.findings());
            String log = String.join("\n", r.console());
            assertTrue(log.contains("smp_call_function_single(1, wait) = 0"), log);
            assertTrue(log.contains("smp_call_function_single_async(2) = "), log);
            assertTrue(log.contains("smp_call_function_any(one, wait) = "), log);
            assertTrue(log.contains("cpu_down(2) = 0") && log.contains("cpu_up(2) = 0"), log);
        }
    }

    @Test
    void taskFieldsReachTheMachine() {
        FileScenario s = ScenarioFile.parse("""
                cpus: 4
                tasks:
                  - name: a
                    cpu: 1
                    affinity: 1-2
                    program: [delay: 1]
                  - name: b
                    cpu: 3
                    policy: fifo
                    priority: 10
                    pinned: true
                    program: [delay: 1]
                """, "t.yaml");
        var m = new smpcall.machine.Machine(s.config(), new RandomChooser(1), smpcall.machine.Clock.Mode.GLOBAL, false);
        var k = smpcall.run.Models.create("mainline");
        k.boot(m);
        s.setUp(m, k);
        List<Task> tasks = m.tasks().stream().filter(t -> t.comm().equals("a") || t.comm().equals("b")).toList();
        assertEquals(0b110L, tasks.get(0).allowedCpus());
        assertEquals(1, tasks.get(0).cpu());
        assertEquals(Task.SchedClass.FAIR, tasks.get(0).schedClass());
        assertEquals(1L << 3, tasks.get(1).allowedCpus());
        assertEquals(Task.SchedClass.RT, tasks.get(1).schedClass());
        assertEquals(89, tasks.get(1).prio());
    }

    @Test
    void loadAndResolveReadFilesAndNameThemInErrors(@TempDir Path dir) throws Exception {
        Path f = dir.resolve("mine.yaml");
        Files.writeString(f, BASE.replace("name: t\n", ""));
        FileScenario s = (FileScenario) Scenarios.resolve(f.toString());
        assertEquals("mine", s.name());
        assertEquals(f, s.path());
        Files.writeString(f, BASE.replace("cpu: 0", "cpu: 7"));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> ScenarioFile.load(f));
        assertEquals(f + ":9:10: tasks[0].cpu: CPU 7 does not exist on a 3-CPU machine", e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> Scenarios.resolve(dir.resolve("none.yml").toString()));
        assertEquals(dir.resolve("none.yml") + ":1:1: no such file", e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> Scenarios.resolve("nope"));
        assertTrue(e.getMessage().startsWith("unknown scenario 'nope' (known: preempt-waiter, "), e.getMessage());
    }

    /** Per-task budgets override the configuration's: a task with none is never preempted at will. */
    @Test
    void perTaskBudgetsOverrideTheConfiguration() {
        String two = """
                cpus: 2
                masks: {targets: 1}
                tasks:
                  - name: T0
                    %s
                    program: [on_each_cpu_mask: {mask: targets, func: f}]
                  - name: T1
                    %s
                    program: [on_each_cpu_mask: {mask: targets, func: f}]
                """;
        long free = states(ScenarioFile.parse(two.formatted("cpu: 0", "cpu: 0"), "a.yaml"));
        long none = states(ScenarioFile.parse(two.formatted("preemptions: 0", "preemptions: 0"), "b.yaml"));
        long more = states(ScenarioFile.parse(two.formatted("preemptions: 2", "preemptions: 2"), "c.yaml"));
        assertTrue(none < free && free < more, none + " " + free + " " + more);
    }

    private static long states(FileScenario s) {
        var o = new smpcall.check.Dfs("series-v9", s, RunSpec.Knobs.NONE, -1, smpcall.check.Dfs.Reduction.SOURCE_DPOR)
                .stateful().run(1_000_000, 60, () -> false);
        assertTrue(o.exhaustive());
        return o.states();
    }

    /** A {@code check:} list decides which findings count: the hang of irqs-off-crosscall is no finding when only P7 or P4 is checked. */
    @Test
    void theCheckListDecidesWhichFindingsCount() {
        String text = """
                cpus: 2
                %s
                tasks:
                  - name: T0
                    cpu: 0
                    pinned: true
                    program: [irqs_off: [smp_call_function_single: {cpu: 1, func: f, wait: true}]]
                  - name: T1
                    cpu: 1
                    pinned: true
                    program: [irqs_off: [smp_call_function_single: {cpu: 0, func: f, wait: true}]]
                """;
        java.util.function.Function<String, java.util.Set<Property>> found = check -> {
            var r = Driver.run("mainline", ScenarioFile.parse(text.formatted(check), "f.yaml"),
                    Config.defaults(2), new smpcall.machine.RandomChooser(1), true, false);
            var props = EnumSet.noneOf(Property.class);
            r.findings().forEach(f -> props.add(Property.of(f)));
            assertTrue(r.console().stream().anyMatch(l -> l.contains("soft lockup")), "the kernel log still shows the hang");
            return props;
        };
        assertEquals(EnumSet.of(Property.P2, Property.P7), found.apply(""));
        assertEquals(EnumSet.of(Property.P7), found.apply("check: [P7]"));
        assertEquals(EnumSet.noneOf(Property.class), found.apply("check: [P4]"));
    }
}
