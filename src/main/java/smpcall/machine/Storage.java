package smpcall.machine;

/**
 * One allocation: a kmalloc object, a per-CPU area, a stack frame or a static. Every cell
 * belongs to one; an access to a cell of freed storage is a use-after-free (KASAN).
 */
public final class Storage {
    public enum Kind { STATIC, SLAB, PERCPU, STACK }

    final String name;
    final Kind kind;
    final long addr;
    boolean freed;
    String freedBy;
    boolean reported;

    Storage(String name, Kind kind, long addr) {
        this.name = name;
        this.kind = kind;
        this.addr = addr;
    }

    public String name() { return name; }
    public Kind kind() { return kind; }
    /** A stable pseudo address, for the {@code csd=%p} fields of the trace. */
    public long addr() { return addr; }
    public boolean freed() { return freed; }

    @Override public String toString() { return name; }
}
