package smpcall.machine;

/**
 * Not in the C: state the model keeps beside the machine's memory (its ghost state for the
 * properties), which a {@link Snapshot} must save and put back. {@link #save} returns a copy
 * that later changes do not touch; {@link #restore} may be given the same copy many times.
 */
public interface Restorable {
    Object save();

    void restore(Object saved);
}
