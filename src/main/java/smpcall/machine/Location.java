package smpcall.machine;

/**
 * A shared memory location. Each access to it is a scheduling point of the machine, logged
 * with the location and its {@link Access} kind; the location belongs to a {@link Storage}
 * so that an access after free is caught.
 */
public abstract sealed class Location permits Cell, RefCell {
    final Machine m;
    final Storage storage;
    final String name;
    final int id;
    /** Virtual time of the last write: a CPU that waits on this location cannot see it earlier. */
    long lastWriteNs;

    Location(Machine m, Storage storage, String name) {
        this.m = m;
        this.storage = storage;
        this.name = name;
        this.id = m.nextLocationId++;
    }

    public String name() { return name; }
    public Storage storage() { return storage; }
    public int id() { return id; }

    @Override public String toString() { return name; }
}
