package smpcall.check;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.MethodSource;

import smpcall.machine.VirtualThreads;
import smpcall.run.Models;
import smpcall.kernel.Reasons;
import smpcall.run.RunSpec;
import smpcall.run.Driver;
import smpcall.kernel.Property;
import smpcall.machine.RunResult;

class MutantTest {

    static java.util.List<Reasons.Reason> reasons() { return Reasons.ALL; }

    /** Each reason's mutant breaks its property within a small random-walk budget, and the shrunk run replays. */
    @ParameterizedTest
    @MethodSource("reasons")
    void everyReasonIsShownNecessaryAndItsCounterexampleReplays(Reasons.Reason reason) {
        Search.Outcome o = VirtualThreads.call(() -> new Search(reason.mutant(), reason.scenario(), RunSpec.Knobs.NONE)
                .run(Search.Strategy.RANDOM, 1, reason.property(), 5_000, 30, () -> false));
        assertTrue(o.found(), reason.mutant() + " on " + reason.scenario() + " kept " + reason.property());
        Counterexample cx = o.counterexample();
        assertEquals(reason.property(), cx.finding().property());
        RunResult again = Driver.run(RunSpec.parse(cx.runId()), true, false);
        assertEquals(cx.result().trace(), again.trace());
        assertTrue(again.findings().stream().anyMatch(f -> f.property() == reason.property()));
    }

    /** The same scenarios hold on series-v9 under the same budget: the mutants, not the scenarios, break. */
    @ParameterizedTest
    @MethodSource("reasons")
    void seriesV9KeepsEveryReasonsProperty(Reasons.Reason reason) {
        Search.Outcome o = VirtualThreads.call(() -> new Search("series-v9", reason.scenario(), RunSpec.Knobs.NONE)
                .run(Search.Strategy.RANDOM, 1, null, 2_000, 30, () -> false));
        assertTrue(!o.found(), () -> "series-v9 broke on " + reason.scenario() + ": " + o.counterexample().runId());
    }

    /**
     * Pinned counterexamples, as `check --strategy random` printed them: each replays to its
     * finding, with its check. A change to the machine's moves makes these refused (that is
     * the point of the check); print new ones with the same command.
     */
    @ParameterizedTest
    @CsvSource({
            "v9-put-before-dispatch:preempt-waiter:-:zeNpjYAABxsk8DAIMIAQCAiCakwMJMCADAWzyIDEAVycCAw~89bb46ed, P8",
            "v9-put-before-queue:hotplug-target:-:zeNoViDEOACAQwhgcGuPAu_XT9gg0pBBsjGCLznknTTu2VCU8I2VyF8z4T5QDRg~eb30878d, P3",
            "v9-put-before-queue:same-cpu-callers:-:zeNpjaGLp5gABBiCAMMBMCA_KYgAAMKEBgg~01559b9b, P8",
            "v9-lock-nowait:preempt-waiter:-:zeNpjYGBgFGTo5uFk4BAQ4GAAYSCDAQiAHCApABLBBzjAAEZzcHIgA5AwAI4bAmw~9a44e520, P4",
            "v9-percpu-waitmask:preempt-waiter:-:zeNqNjCkOACAQAwdXEsTydj7MgMHSpJdogTZ7whqpQlauYDZFw67wAZ8eOEPYre4CtA~ea0c971d, P9",
            "v9-free-csd-on-dead:migrate-offline:-:zeNolizEOgAAQwupWjQO-208LkYH0gJNDkaqmF2QQQ_Lw3uRMIzOnqbv8qepsz-PV-gF5lwMN~e4577f32, P5",
    })
    void pinnedCounterexamplesReplay(String runId, Property property) {
        RunResult r = Driver.run(RunSpec.parse(runId), true, false);
        assertEquals(null, r.divergence(), runId);
        assertTrue(r.findings().stream().anyMatch(f -> f.property() == property), () -> r.findings().toString());
    }

    @Test
    void pctFindsTheScratchMaskRace() {
        Search.Outcome o = VirtualThreads.call(() -> new Search("v9-put-before-dispatch", "preempt-waiter", RunSpec.Knobs.NONE)
                .run(Search.Strategy.PCT, 3, Property.P8, 20_000, 30, () -> false));
        assertTrue(o.found());
        assertNotNull(o.counterexample().finding());
    }

    /** Runs side by side find the same lowest seed, after the same runs and steps, as one job. */
    @org.junit.jupiter.params.ParameterizedTest
    @org.junit.jupiter.params.provider.EnumSource(Search.Strategy.class)
    void jobsDoNotChangeTheOutcome(Search.Strategy strategy) {
        Search search = new Search("v9-put-before-dispatch", "preempt-waiter", RunSpec.Knobs.NONE);
        Search.Outcome one = VirtualThreads.call(() -> search.run(strategy, 3, Property.P8, 20_000, 60, () -> false, 1));
        Search.Outcome three = VirtualThreads.call(() -> search.run(strategy, 3, Property.P8, 20_000, 60, () -> false, 3));
        assertTrue(one.found());
        assertEquals(one.executions(), three.executions());
        assertEquals(one.steps(), three.steps());
        assertEquals(one.counterexample().runId(), three.counterexample().runId());
    }

    @Test
    void mutantsAreModelsButNotShippedModels() {
        assertEquals(java.util.List.of("mainline", "series-v9"), Models.names());
        assertEquals(5, Models.mutants().size());
        for (Reasons.Reason r : Reasons.ALL) assertTrue(Models.exists(r.mutant()), r.mutant());
    }
}
