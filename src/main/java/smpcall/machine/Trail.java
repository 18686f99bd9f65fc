package smpcall.machine;

/**
 * Not in the C: for a search that saves and restores states, the old contents of each
 * location the run changes after a saved state (its value, when it was last written, its
 * watch), logged before the first change. A saved state keeps only a mark in the trail; going
 * back to it undoes the changes logged since, newest first. So saving costs nothing per
 * location and restoring costs what changed, not the size of memory.
 *
 * <p>Saved states are restored last in, first out (a depth-first search): once the trail is
 * undone below a state's mark, that state cannot be restored any more.
 */
final class Trail {
    private Location[] locations = new Location[64];
    private long[] values = new long[64];
    private long[] lastWrites = new long[64];
    private Object[] refs = new Object[64];
    private Location.WriteWatch[] watches = new Location.WriteWatch[64];
    private int size;
    /** A new epoch begins at each mark and each undo: a location changed for the first time in it is logged. */
    private int epoch = 1;

    /** Before {@code l} changes: logs what it holds, unless it was logged in this epoch already. */
    void log(Location l) {
        if (l.loggedIn == epoch) return;
        l.loggedIn = epoch;
        if (size == locations.length) grow();
        locations[size] = l;
        if (l instanceof Cell c) values[size] = c.value;
        else refs[size] = ((RefCell<?>) l).value;
        lastWrites[size] = l.lastWriteNs;
        watches[size] = l.watch;
        size++;
    }

    /** Where a state saved now begins. */
    int mark() {
        epoch++;
        return size;
    }

    /** Undoes every change logged since {@code mark}, newest first. */
    void undo(int mark) {
        if (mark > size) throw new IllegalStateException("the trail was undone below a saved state that is restored");
        while (size > mark) {
            size--;
            Location l = locations[size];
            if (l instanceof Cell c) c.value = values[size];
            else restoreRef((RefCell<?>) l, refs[size]);
            l.lastWriteNs = lastWrites[size];
            l.watch = watches[size];
            locations[size] = null;
            refs[size] = null;
            watches[size] = null;
        }
        epoch++;
    }

    @SuppressWarnings("unchecked")
    private static <T> void restoreRef(RefCell<T> r, Object v) { r.value = (T) v; }

    private void grow() {
        int n = 2 * locations.length;
        locations = java.util.Arrays.copyOf(locations, n);
        values = java.util.Arrays.copyOf(values, n);
        lastWrites = java.util.Arrays.copyOf(lastWrites, n);
        refs = java.util.Arrays.copyOf(refs, n);
        watches = java.util.Arrays.copyOf(watches, n);
    }
}
