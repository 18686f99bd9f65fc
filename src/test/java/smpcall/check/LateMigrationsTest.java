package smpcall.check;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Set;
import java.util.TreeSet;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import smpcall.kernel.Mainline;
import smpcall.machine.Cell;
import smpcall.machine.Config;
import smpcall.machine.Machine;
import smpcall.machine.Storage;
import smpcall.machine.TaskSpec;
import smpcall.machine.VirtualThreads;
import smpcall.run.RunSpec;
import smpcall.run.Scenario;
import smpcall.run.Scenarios;

/**
 * Migrations explored only where a move can tell (LateMigrations) reach the final states,
 * and the verdicts, of the search that explores every migration at every point, and of plain
 * DFS; the search that restores states and the one that replays agree on its counts.
 */
class LateMigrationsTest {
    private static final RunSpec.Knobs DEFAULT = new RunSpec.Knobs(null, null, null, null, null);

    /**
     * Two fair tasks on CPU0, each preemptible and migratable once to CPU1, where an RT task
     * runs (so a migration there is quiet until it ends); each prints where it ran and what
     * it read, so that final states tell migrations apart.
     */
    static Scenario quietMigrations() {
        return new Scenario() {
            @Override public String name() { return "quiet-migrations"; }
            @Override public String description() { return "two fair tasks that may move under an RT task"; }
            @Override public Config config() { return Config.defaults(2); }
            @Override public void setUp(Machine m, Mainline k) {
                Storage s = m.staticData("cells");
                Cell x = m.cell(s, "x", 0), y = m.cell(s, "y", 0), z = m.cell(s, "z", 0);
                m.createTask(TaskSpec.normal("A", 0, () -> {
                    x.set(1);
                    m.printk("A on CPU" + m.rawSmpProcessorId() + " read " + y.get());
                }).withBudgets(1, 1));
                m.createTask(TaskSpec.normal("S", 0, () -> {
                    y.set(1);
                    y.set(2);
                    m.printk("S read " + x.get());
                }).withBudgets(0, 0).pinned());
                m.createTask(TaskSpec.normal("R", 1, () -> {
                    z.set(1);
                    z.set(2);
                    m.printk("R read " + x.get());
                }).fifo(10).pinned());
            }
        };
    }

    record Searched(Dfs.Outcome outcome, Set<String> finals) {}

    static Searched search(Scenario scenario, String model, java.util.function.UnaryOperator<Dfs> how, Dfs.Reduction r) {
        Set<String> finals = new TreeSet<>();
        Dfs dfs = how.apply(new Dfs(model, scenario, DEFAULT, -1, r)).observe(run -> finals.add(DfsTest.outcome(run)));
        Dfs.Outcome o = VirtualThreads.call(() -> dfs.run(50_000_000, 120, () -> false));
        assertTrue(o.exhaustive(), o.toString());
        return new Searched(o, finals);
    }

    /**
     * Without the table of seen states a run's end is its whole history, console included:
     * sleep sets with every migration (which DfsTest holds against plain DFS) and with late
     * migrations end in the same ones. (Plain DFS itself takes 4.2 million runs here.)
     */
    @Test
    void quietMigrationsWaitAndEndWherePlainDfsEnds() {
        Scenario s = quietMigrations();
        Searched every = search(s, "mainline", Dfs::withoutFootprints, Dfs.Reduction.SLEEP_SETS);
        Searched late = search(s, "mainline", d -> d, Dfs.Reduction.SLEEP_SETS);
        assertTrue(every.finals().stream().anyMatch(f -> f.contains("A on CPU1")), "a migration shows: " + every.finals());
        assertEquals(15, every.finals().size(), every.finals().toString());
        assertEquals(every.finals(), late.finals());
        assertTrue(late.outcome().executions() < every.outcome().executions(),
                late.outcome().executions() + " executions against " + every.outcome().executions());
    }

    /** With the table: fewer runs; restoring and replaying agree to the count. */
    @Test
    void quietMigrationsWaitWithTheTableOfStates() {
        Scenario s = quietMigrations();
        Searched every = search(s, "mainline", d -> d.restoring().withoutFootprints(), Dfs.Reduction.SLEEP_SETS);
        Searched late = search(s, "mainline", Dfs::restoring, Dfs.Reduction.SLEEP_SETS);
        Searched lateReplayed = search(s, "mainline", Dfs::stateful, Dfs.Reduction.SLEEP_SETS);
        assertTrue(late.outcome().executions() < every.outcome().executions(),
                late.outcome().executions() + " executions against " + every.outcome().executions());
        assertEquals(late.outcome().states(), lateReplayed.outcome().states());
        assertEquals(late.outcome().executions(), lateReplayed.outcome().executions());
        assertEquals(late.finals(), lateReplayed.finals());
    }

    /** With the table, on built-in scenarios: the same verdicts and final states as without footprints, no more states. */
    @ParameterizedTest
    @CsvSource({"mainline, hotplug-target", "mainline, any-offline", "series-v9, any-offline", "series-v9, self-calls",
            "series-v9, preempt-waiter", "mainline, same-cpu-callers"})
    void builtInScenariosReachTheSameFinalStates(String model, String scenario) {
        Scenario s = Scenarios.get(scenario);
        Searched every = search(s, model, d -> d.restoring().withoutFootprints(), Dfs.Reduction.SLEEP_SETS);
        Searched late = search(s, model, Dfs::restoring, Dfs.Reduction.SLEEP_SETS);
        assertEquals(every.outcome().counterexample() == null, late.outcome().counterexample() == null);
        assertEquals(every.finals(), late.finals());
        assertTrue(late.outcome().states() <= every.outcome().states());
    }
}
