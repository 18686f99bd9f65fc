package smpcall.machine;

/** Interrupt vectors the machine delivers, in delivery priority order (x86 numbers them so). */
public enum Vector {
    LOCAL_TIMER, CALL_FUNCTION_SINGLE, CALL_FUNCTION, RESCHEDULE;

    /** values() without a copy per call: it is asked on every step. */
    static final Vector[] ALL = values();

    int bit() { return 1 << ordinal(); }
}
