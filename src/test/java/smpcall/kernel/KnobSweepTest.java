package smpcall.kernel;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;

import smpcall.machine.Finding;
import smpcall.machine.RunResult;
import smpcall.run.RunSpec;
import smpcall.run.Driver;
import smpcall.run.Scenario;
import smpcall.run.Scenarios;
import smpcall.run.Models;

/**
 * Generated runs over knobs × scenarios × models: whatever the knobs, a run ends in the
 * kernel's behaviour (completed, a finding, a hang, a lockup the watchdog reports), never in
 * a crash of the model code or in a step limit with nothing to say. CPU counts below a scenario's own are left out: a scenario that names
 * CPU 2 on a 2-CPU machine is bad input, not behaviour.
 */
class KnobSweepTest {
    static final long SEEDS = 2;

    static List<RunSpec.Knobs> knobs(int scenarioCpus) {
        List<RunSpec.Knobs> out = new ArrayList<>();
        Integer[] cpus = {null, scenarioCpus + 1};
        Boolean[] bits = {null, false, true};
        // csdlock_debug off, or on with the default timeout, no timeout (0), a 1 ms one; panic_on_ipistall with the last
        Object[][] debug = {{null, null, null}, {true, null, null}, {true, 0L, null}, {true, 1L, 3L}};
        for (Integer c : cpus)
            for (Boolean p : bits)
                for (Boolean in : bits)
                    for (Object[] d : debug)
                        out.add(new RunSpec.Knobs(c, p, in, (Boolean) d[0], (Long) d[1], (Long) d[2]));
        return out;
    }

    @Test
    void noKnobCombinationCrashesTheModelOrRunsOutOfSteps() {
        List<String> bad = new ArrayList<>();
        int runs = 0;
        for (String model : Models.names())
            for (Scenario s : Scenarios.all())
                for (RunSpec.Knobs k : knobs(s.config().nrCpus()))
                    for (long seed = 1; seed <= SEEDS; seed++) {
                        RunSpec spec = RunSpec.seeded(model, s.name(), k, seed);
                        RunResult r = Driver.run(spec, false, false);
                        runs++;
                        boolean lockup = r.findings().stream().anyMatch(f -> f.headline().startsWith("watchdog: "));
                        if (r.end() == RunResult.End.MODEL_ERROR || r.end() == RunResult.End.STEP_LIMIT && !lockup)
                            bad.add(spec.id() + " " + r.end() + " " + r.findings().stream().map(Finding::summary).toList());
                    }
        int n = runs;
        assertTrue(n > 2500, () -> n + " runs");
        assertTrue(bad.isEmpty(), () -> bad.size() + " of " + n + " runs: " + String.join("\n", bad.subList(0, Math.min(10, bad.size()))));
    }
}
