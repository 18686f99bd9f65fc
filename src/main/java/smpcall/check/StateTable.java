package smpcall.check;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;

/**
 * The states a stateful search has seen: for each 64-bit state hash, the sleep set it was
 * explored with. Open addressing over two flat arrays (12 bytes a slot, at most three
 * quarters full: 16 to 32 bytes a state), with the sleep sets interned (a search meets few
 * distinct ones), so that tens of millions of states fit in a gigabyte. Not thread-safe: {@link Shards} spreads one table over locks.
 */
final class StateTable {
    /** An empty slot; a hash of 0 is stored as 1 (one more collision in 2^64). */
    private static final long EMPTY = 0;

    private long[] keys = new long[1 << 10];
    private int[] sleeps = new int[1 << 10];
    private int size;
    private final List<int[]> pool = new ArrayList<>();
    private final HashMap<IntArray, Integer> interned = new HashMap<>();

    private record IntArray(int[] a) {
        @Override public boolean equals(Object o) { return o instanceof IntArray other && Arrays.equals(a, other.a); }
        @Override public int hashCode() { return Arrays.hashCode(a); }
    }

    int size() { return size; }

    /** The sleep set (sorted) a state was seen with, or null if it was not seen. */
    int[] get(long hash) {
        int i = find(key(hash));
        return keys[i] == EMPTY ? null : pool.get(sleeps[i]);
    }

    /** Records a state with its sleep set (sorted), replacing what was there. */
    void put(long hash, int[] sortedSleep) {
        long k = key(hash);
        int i = find(k);
        if (keys[i] == EMPTY) {
            keys[i] = k;
            size++;
        }
        sleeps[i] = intern(sortedSleep);
        if (size * 4L > keys.length * 3L) grow();
    }

    private static long key(long hash) { return hash == EMPTY ? 1 : hash; }

    private int find(long k) {
        int mask = keys.length - 1;
        int i = (int) (k ^ k >>> 32) & mask;     // state hashes are well mixed already
        while (keys[i] != EMPTY && keys[i] != k) i = (i + 1) & mask;
        return i;
    }

    private int intern(int[] sleep) {
        return interned.computeIfAbsent(new IntArray(sleep), s -> {
            pool.add(s.a());
            return pool.size() - 1;
        });
    }

    private void grow() {
        long[] oldKeys = keys;
        int[] oldSleeps = sleeps;
        keys = new long[oldKeys.length * 2];
        sleeps = new int[oldKeys.length * 2];
        for (int j = 0; j < oldKeys.length; j++) {
            if (oldKeys[j] == EMPTY) continue;
            int i = find(oldKeys[j]);
            keys[i] = oldKeys[j];
            sleeps[i] = oldSleeps[j];
        }
    }

    /**
     * One table in {@value #SHARDS} shards by the hash's top bits, each behind its own lock,
     * so that workers exploring side by side seldom wait for each other.
     */
    static final class Shards {
        static final int SHARDS = 64;
        private final StateTable[] shards = new StateTable[SHARDS];

        Shards() {
            for (int i = 0; i < SHARDS; i++) shards[i] = new StateTable();
        }

        /** The shard of a hash: lock it around {@link #get} and {@link #put}. */
        StateTable of(long hash) { return shards[(int) (hash >>> 58)]; }

        long size() {
            long n = 0;
            for (StateTable t : shards) {
                synchronized (t) {
                    n += t.size();
                }
            }
            return n;
        }
    }
}
