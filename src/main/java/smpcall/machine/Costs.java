package smpcall.machine;

/**
 * Virtual-time cost of each kind of step, in nanoseconds. The defaults are round figures of
 * the order seen on current x86 servers (a cache-hot load or store a few ns, a contended
 * atomic tens of ns, an IPI about a microsecond from ICR write to handler entry, a context
 * switch one to two microseconds); the latency lab documents and overrides them.
 */
public record Costs(long accessNs, long atomicNs, long ipiSendNs, long ipiLatencyNs,
                    long irqEntryNs, long irqExitNs, long contextSwitchNs, long callbackNs) {

    public static final Costs DEFAULT = new Costs(2, 20, 300, 1_000, 400, 300, 1_500, 500);

    long of(Access kind) {
        return switch (kind) {
            case RMW -> atomicNs;
            case IPI -> ipiSendNs;
            case PREEMPTIBLE -> 0;
            default -> accessNs;
        };
    }
}
