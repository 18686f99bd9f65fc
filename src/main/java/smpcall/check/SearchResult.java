package smpcall.check;

/**
 * What {@code check} did and may claim: the model and scenario it searched, how, the counts, and the
 * verdict, with the counterexample of a violation or model error.
 *
 * @param stepLimited executions cut at the step budget (never seen to their end)
 */
public record SearchResult(String model, String scenario, String knobs, String strategy, String reduction,
                           long executions, long states, long steps, double seconds, long stepLimited,
                           Verdict verdict, Counterexample counterexample) {

    /** The verdict of a search that ended as {@code found}, {@code exhaustive}, {@code interrupted}. */
    static Verdict verdict(Counterexample found, boolean exhaustive, boolean interrupted) {
        if (found != null) return found.finding().property() == smpcall.kernel.Property.MODEL ? Verdict.MODEL_ERROR : Verdict.VIOLATION;
        return interrupted ? Verdict.INTERRUPTED : exhaustive ? Verdict.VERIFIED : Verdict.WITHIN_BUDGET;
    }
}
