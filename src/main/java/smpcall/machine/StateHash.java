package smpcall.machine;

/**
 * 64-bit hashing of machine states, for an explorer that prunes states it has seen. A task's
 * code is deterministic given what the machine returned to it, so a task is summed up by a
 * hash of its history of returned values; memory by a sum over cells of (cell, value), kept
 * up to date at every write. Equal hashes are taken as equal states (hash compaction: a
 * collision, at odds of about 2^-64 per pair, could hide a state).
 */
public final class StateHash {
    private StateHash() {}

    /** A value with an identity that is the same in every run (a CSD, a mask, a function). */
    public interface Identified {
        long stableId();
    }

    /** SplitMix64's finaliser: a good 64-bit mix. */
    public static long mix(long z) {
        z = (z ^ (z >>> 30)) * 0xbf58476d1ce4e5b9L;
        z = (z ^ (z >>> 27)) * 0x94d049bb133111ebL;
        return z ^ (z >>> 31);
    }

    /** Extends a history with one more value. */
    public static long extend(long history, long value) {
        return mix(history * 0x9e3779b97f4a7c15L + value + 1);
    }

    static long cell(int id, long value) {
        return mix(((long) id << 32) ^ mix(value));
    }

    /**
     * A reference's value for hashing: null, a location's id, an {@link Identified}'s id, a
     * string or enum; anything else by identity, which differs between runs (such states are
     * then never taken as equal: safe, only less pruning).
     */
    public static long of(Object v) {
        if (v == null) return 0;
        if (v instanceof Location l) return 1 + l.id;
        if (v instanceof Identified i) return i.stableId();
        if (v instanceof Cpumask c) return 1 + c.cell().id;
        if (v instanceof String || v instanceof Enum<?>) return v.hashCode();
        return mix(System.identityHashCode(v)) | 1L << 62;
    }
}
