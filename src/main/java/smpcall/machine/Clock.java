package smpcall.machine;

/**
 * Virtual time. In {@code GLOBAL} mode one clock advances with every step, so the trace is
 * in execution order and timestamps never go back (checking, replay). In {@code PER_CPU}
 * mode each CPU has its own clock and the CPUs run in parallel; causality (an IPI, a write
 * a waiter sees, a migrated task) pulls the later side's clock forward (the latency lab).
 */
public final class Clock {
    public enum Mode { GLOBAL, PER_CPU }

    final Mode mode;
    private long global;
    private final long[] local;

    Clock(Mode mode, int nrCpus) {
        this.mode = mode;
        this.local = new long[nrCpus];
    }

    public Mode mode() { return mode; }

    // Not in the C: what a Snapshot saves and puts back.
    long global() { return global; }
    long[] locals() { return local; }

    void restore(long global, long[] local) {
        this.global = global;
        System.arraycopy(local, 0, this.local, 0, local.length);
    }

    public long now(int cpu) { return mode == Mode.GLOBAL ? global : local[cpu]; }

    void advance(int cpu, long ns) {
        if (mode == Mode.GLOBAL) global += ns;
        else local[cpu] += ns;
    }

    /** Lets time pass on {@code cpu} (for GLOBAL, everywhere) up to {@code t}. */
    void skipTo(int cpu, long t) {
        if (mode == Mode.GLOBAL) global = Math.max(global, t);
        else local[cpu] = Math.max(local[cpu], t);
    }

    /** The CPU cannot be earlier than {@code t} (it saw something that happened at t). */
    void atLeast(int cpu, long t) {
        if (mode == Mode.PER_CPU && local[cpu] < t) local[cpu] = t;
    }
}
