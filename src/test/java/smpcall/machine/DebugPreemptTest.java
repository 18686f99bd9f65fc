package smpcall.machine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;

import org.junit.jupiter.api.Test;

/**
 * CONFIG_DEBUG_PREEMPT as a knob: with it, preempt_count_sub() warns of an underflow and does
 * not subtract, and per-CPU use in preemptible code is a BUG; without it, neither is checked,
 * the count goes negative and the task stays atomic, which the kernel notes when it exits.
 */
class DebugPreemptTest {

    private static RunResult unbalanced(boolean debugPreempt) {
        Machine m = new Machine(Config.defaults(1).withDebugPreempt(debugPreempt), new RandomChooser(1), Clock.Mode.GLOBAL, true);
        m.createTask(TaskSpec.normal("T", 0, () -> {
            m.smpProcessorId();      // preemptible: DEBUG_PREEMPT's check_preemption_disabled()
            m.preemptEnable();       // without a matching preempt_disable()
        }));
        return m.run();
    }

    private static boolean logs(RunResult r, String fragment) {
        return r.console().stream().anyMatch(l -> l.contains(fragment));
    }

    @Test
    void withDebugPreemptTheUnderflowWarnsInPreemptCountSubAndTheCountStaysZero() {
        RunResult r = unbalanced(true);
        assertTrue(logs(r, "DEBUG_LOCKS_WARN_ON(val > preempt_count())"), () -> String.join("\n", r.console()));
        assertTrue(logs(r, "BUG: using smp_processor_id() in preemptible [00000000] code: T/"));
        assertFalse(logs(r, "exited with preempt_count"));
        assertTrue(r.findings().stream().allMatch(f -> f.property() == Check.PREEMPTION));
    }

    @Test
    void withoutItNeitherIsCheckedAndTheTaskExitsWithACountOfMinusOne() {
        RunResult r = unbalanced(false);
        assertFalse(logs(r, "DEBUG_LOCKS_WARN_ON"), () -> String.join("\n", r.console()));
        assertFalse(logs(r, "BUG: using smp_processor_id()"));
        assertTrue(logs(r, "exited with preempt_count -1"), () -> String.join("\n", r.console()));
        assertEquals(List.of(Check.PREEMPTION), r.findings().stream().map(Finding::property).distinct().toList());
    }
}
