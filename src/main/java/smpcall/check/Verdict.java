package smpcall.check;

/**
 * What a search may claim, never more than it did, and the exit status that says it:
 * {@code verified (exhaustive)} only when every run was covered to its end (0); a
 * violation of a property (1); bad input is 2 (said before any search starts); no
 * violation within the budget, or interrupted, when the search ended before covering every
 * run or some run was cut at its step budget (3); the model code itself failed (4).
 */
public enum Verdict {
    VERIFIED("verified (exhaustive)", 0),
    VIOLATION("violation", 1),
    WITHIN_BUDGET("no violation within budget", 3),
    INTERRUPTED("interrupted: no violation so far", 3),
    MODEL_ERROR("model error", 4);

    private final String text;
    private final int exitStatus;

    Verdict(String text, int exitStatus) {
        this.text = text;
        this.exitStatus = exitStatus;
    }

    public String text() { return text; }

    public int exitStatus() { return exitStatus; }

    /** The JSON spelling: {@code verified}, {@code violation}, {@code within-budget}, ... */
    public String key() { return name().toLowerCase(java.util.Locale.ROOT).replace('_', '-'); }
}
