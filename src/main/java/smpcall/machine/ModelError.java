package smpcall.machine;

/**
 * The model asked the machine for something impossible (no online CPU left for a task, an
 * unknown vector): a bug in the model or in a user's variant, reported as such, never as a
 * property violation.
 */
public final class ModelError extends RuntimeException {
    public ModelError(String message) { super(message); }
}
