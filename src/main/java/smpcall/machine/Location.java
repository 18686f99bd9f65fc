package smpcall.machine;

/**
 * A shared memory location. Each access to it is a scheduling point of the machine, logged
 * with the location and its {@link Access} kind; the location belongs to a {@link Storage}
 * so that an access after free is caught.
 */
public abstract sealed class Location permits Cell, RefCell {
    final Machine m;
    final Storage storage;
    /** The name is {@code base[index]field}, put together only when someone asks for it. */
    private final String base;
    private final int index;
    private final String field;
    private String name;
    final int id;
    /** Virtual time of the last write: a CPU that waits on this location cannot see it earlier. */
    long lastWriteNs;
    /**
     * The machine's own synchronisation cells (APICs, completions, stop_machine's state): an
     * access to one may wake tasks or change what other CPUs can do, so for partial-order
     * reduction it depends on every other move.
     */
    boolean global;
    /**
     * Not in the C: one of stop_machine's own cells (its state and ack count), which only its
     * stoppers touch; a search may take a stopper's step on one first (check/StopperSteps).
     */
    boolean stoppers;
    /** Told of every write before it lands (ghost state for properties), or null. */
    WriteWatch watch;

    /** Something that wants to see each write to a location: who writes, with what access. */
    @FunctionalInterface
    public interface WriteWatch {
        void onWrite(Task writer, Access kind);
    }

    /** Watch the writes to this location (one watcher at a time; null to stop). */
    public void watch(WriteWatch w) {
        changing();
        this.watch = w;
    }

    /** Not in the C: the {@link Trail}'s epoch in which this location was last logged. */
    int loggedIn;

    /** Before the value, the write time or the watch changes: a search that restores states logs what they were. */
    final void changing() {
        if (m.trail != null) m.trail.log(this);
    }

    Location(Machine m, Storage storage, String base, int index, String field) {
        this.m = m;
        this.storage = storage;
        this.base = base;
        this.index = index;
        this.field = field;
        this.id = m.nextLocationId++;
        m.locations.add(this);
    }

    /** The location's name, e.g. {@code cfd_data[1].csd[2].node.u_flags}. */
    public String name() {
        if (name == null) name = Symbols.join(base, index, field);
        return name;
    }
    public Storage storage() { return storage; }
    public int id() { return id; }

    @Override public String toString() { return name(); }
}
