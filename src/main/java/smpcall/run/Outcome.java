package smpcall.run;

import java.util.List;

import smpcall.machine.Finding;
import smpcall.kernel.Property;
import smpcall.machine.RunResult;

/**
 * How a run ended, in the five ways a user is told apart, each with its exit status: it
 * ran to its end and found nothing (0); it broke a property (1); its run-id does not replay
 * on this model and scenario (2, bad input); it spent its step budget before ending, having
 * found nothing (3: no verdict); the model code itself failed (4).
 */
public sealed interface Outcome {
    /** The execution (for a divergence, as far as it got). */
    RunResult result();

    /** The exit status that {@code run} and {@code replay} end with. */
    int exitStatus();

    record Clean(RunResult result) implements Outcome {
        @Override public int exitStatus() { return 0; }
    }

    record Findings(RunResult result) implements Outcome {
        public List<Finding> findings() { return result.findings(); }

        @Override public int exitStatus() { return 1; }
    }

    record Diverged(RunResult result, String why) implements Outcome {
        @Override public int exitStatus() { return 2; }
    }

    record BudgetSpent(RunResult result) implements Outcome {
        @Override public int exitStatus() { return 3; }
    }

    record ModelError(RunResult result, Finding error) implements Outcome {
        @Override public int exitStatus() { return 4; }
    }

    /** What {@code r} amounts to: a divergence or model error before findings, findings before a spent budget. */
    static Outcome of(RunResult r) {
        return switch (r.end()) {
            case DIVERGED -> new Diverged(r, r.divergence());
            case MODEL_ERROR -> new ModelError(r, r.findings().stream().filter(f -> f.property() == Property.MODEL)
                    .reduce((a, b) -> b).orElse(null));
            default -> !r.findings().isEmpty() ? new Findings(r)
                    : r.end() == RunResult.End.STEP_LIMIT ? new BudgetSpent(r) : new Clean(r);
        };
    }
}
