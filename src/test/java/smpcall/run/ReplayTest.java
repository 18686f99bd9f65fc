package smpcall.run;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;

import org.junit.jupiter.api.Test;

import smpcall.machine.RunResult;

/** A run-id names one run: replay checks every recorded move, the end of the recording, and the check. */
class ReplayTest {
    private static RunResult seeded(String scenario, long seed) {
        return Driver.run(RunSpec.seeded("series-v9", scenario, RunSpec.Knobs.NONE, seed), false, false);
    }

    @Test
    void aRecordingReplaysToTheSameRun() {
        RunResult r = seeded("preempt-waiter", 7);
        RunSpec spec = RunSpec.recorded("series-v9", "preempt-waiter", RunSpec.Knobs.NONE, r.moves()).checked(r);
        Outcome o = Driver.outcome(RunSpec.parse(spec.id()));
        assertInstanceOf(Outcome.Clean.class, o);
        assertEquals(r.steps(), o.result().steps());
        assertTrue(Arrays.equals(r.moves(), o.result().moves()));
    }

    @Test
    void aRecordingOfAnotherScenarioIsRefusedWhereItStopsFitting() {
        RunResult r = seeded("preempt-waiter", 7);
        Outcome o = Driver.outcome(RunSpec.recorded("series-v9", "hotplug-target", RunSpec.Knobs.NONE, r.moves()));
        Outcome.Diverged d = assertInstanceOf(Outcome.Diverged.class, o);
        assertTrue(d.why().matches("step \\d+ (recorded .+, the machine offers .+|needs a choice among .+, but the recording ended after \\d+ moves)"
                + "|the run ended after step \\d+, but the run-id records \\d+ more moves?"), d.why());
    }

    @Test
    void movesLeftOverAtTheEndAreRefused() {
        RunResult r = seeded("single-async", 3);
        int[] longer = Arrays.copyOf(r.moves(), r.moves().length + 2);
        Outcome.Diverged d = assertInstanceOf(Outcome.Diverged.class,
                Driver.outcome(RunSpec.recorded("series-v9", "single-async", RunSpec.Knobs.NONE, longer)));
        assertEquals("the run ended after step " + r.steps() + ", but the run-id records 2 more moves", d.why());
    }

    @Test
    void aRecordingCutShortIsRefused() {
        RunResult r = seeded("preempt-waiter", 7);
        int[] shorter = Arrays.copyOf(r.moves(), r.moves().length / 2);
        Outcome.Diverged d = assertInstanceOf(Outcome.Diverged.class,
                Driver.outcome(RunSpec.recorded("series-v9", "preempt-waiter", RunSpec.Knobs.NONE, shorter)));
        assertTrue(d.why().contains("but the recording ended after " + shorter.length + " moves"), d.why());
    }

    @Test
    void anEditedKnobOrSeedBreaksTheCheck() {
        RunResult r = seeded("preempt-waiter", 7);
        String id = RunSpec.seeded("series-v9", "preempt-waiter", RunSpec.Knobs.NONE, 7).checked(r).id();
        String check = id.substring(id.indexOf('~'));
        for (String edited : new String[] {"series-v9:preempt-waiter:-:s8" + check,
                "series-v9:preempt-waiter:csdlock_debug=1:s7" + check,
                "series-v9:preempt-waiter:debug_preempt=0:s7" + check, "mainline:preempt-waiter:-:s7" + check}) {
            Outcome.Diverged d = assertInstanceOf(Outcome.Diverged.class, Driver.outcome(RunSpec.parse(edited)), edited);
            assertTrue(d.why().startsWith("the run-id's check " + check + " does not match the run it makes"), d.why());
        }
    }

    @Test
    void debugPreemptIsAKnobOfTheRunId() {
        RunSpec.Knobs off = RunSpec.Knobs.NONE.withDebugPreempt(false);
        assertEquals("debug_preempt=0", off.format());
        assertEquals(off, RunSpec.Knobs.parse("debug_preempt=0"));
        assertEquals(false, off.apply(smpcall.machine.Config.defaults(2)).debugPreempt());
    }
}
