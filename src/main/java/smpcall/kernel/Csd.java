package smpcall.kernel;

import smpcall.machine.Cell;
import smpcall.machine.Machine;
import smpcall.machine.RefCell;
import smpcall.machine.StateHash;
import smpcall.machine.Storage;

/**
 * struct __call_single_data (call_single_data_t): the llist node with its flags, the
 * function and its argument. Flag values as in include/linux/smp_types.h.
 */
public final class Csd implements StateHash.Identified {
    public static final long CSD_FLAG_LOCK = 0x01;
    public static final long CSD_TYPE_ASYNC = 0x00;
    public static final long CSD_TYPE_SYNC = 0x10;
    public static final long CSD_FLAG_TYPE_MASK = 0xf0;

    /** node.llist.next */
    public final RefCell<Csd> next;
    /** node.u_flags */
    public final Cell flags;
    public final RefCell<SmpCallFunc> func;
    public final RefCell<Object> info;
    /** node.src and node.dst: only with CONFIG_CSD_LOCK_WAIT_DEBUG (csdlock_debug), else null. */
    public final Cell src;
    public final Cell dst;
    final long addr;

    /** A CSD named {@code base[index]} (index -1: just {@code base}). */
    public Csd(Machine m, Storage storage, String base, int index, long addr, long initialFlags) {
        this.next = m.ref(storage, base, index, ".node.llist.next", null);
        this.flags = m.cell(storage, base, index, ".node.u_flags", initialFlags);
        this.func = m.ref(storage, base, index, ".func", null);
        this.info = m.ref(storage, base, index, ".info", null);
        boolean debug = SmpParams.csdlockDebug(m.config());
        this.src = debug ? m.cell(storage, base, index, ".node.src", 0) : null;
        this.dst = debug ? m.cell(storage, base, index, ".node.dst", 0) : null;
        this.addr = addr;
    }

    /** CSD_TYPE(csd) */
    static long type(long flags) { return flags & CSD_FLAG_TYPE_MASK; }

    /** The same CSD in every run: its flags cell. */
    @Override public long stableId() { return 1 + flags.id(); }

    /** The pointer as the trace's %p prints it. */
    public long addr() { return addr; }

    public Storage storage() { return flags.storage(); }

    @Override public String toString() { return flags.name().replace(".node.u_flags", ""); }
}
