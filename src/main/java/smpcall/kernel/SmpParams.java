package smpcall.kernel;

import smpcall.machine.Config;

/**
 * kernel/smp.c's boot options and the build option it reads, by their kernel names, with
 * their defaults; the machine carries them on its {@link smpcall.machine.Cmdline} without
 * knowing what they mean.
 */
public final class SmpParams {
    /** csdlock_debug=: CONFIG_CSD_LOCK_WAIT_DEBUG's boot switch (default off). */
    public static final String CSDLOCK_DEBUG = "csdlock_debug";
    /** smp.csd_lock_timeout=, in ms (default 5000; 0: never report). */
    public static final String CSD_LOCK_TIMEOUT = "smp.csd_lock_timeout";
    /** smp.panic_on_ipistall=, in ms (default 0: never). */
    public static final String PANIC_ON_IPISTALL = "smp.panic_on_ipistall";
    /**
     * The ipi_mask_inlined static key of patch 04: NR_CPUS <= BITS_PER_LONG without
     * CONFIG_CPUMASK_OFFSTACK, so the task IPI mask lives inline in the task (default on).
     */
    public static final String IPI_MASK_INLINED = "ipi_mask_inlined";

    public static final long DEFAULT_CSD_LOCK_TIMEOUT_MS = 5000;

    private SmpParams() {}

    public static boolean csdlockDebug(Config c) { return c.cmdline().get(CSDLOCK_DEBUG, 0) != 0; }

    public static long csdLockTimeoutNs(Config c) {
        return c.cmdline().get(CSD_LOCK_TIMEOUT, DEFAULT_CSD_LOCK_TIMEOUT_MS) * 1_000_000L;
    }

    public static long panicOnIpistallMs(Config c) { return c.cmdline().get(PANIC_ON_IPISTALL, 0); }

    public static boolean ipiMaskInline(Config c) { return c.cmdline().get(IPI_MASK_INLINED, 1) != 0; }

    public static Config withCsdlockDebug(Config c, boolean on) { return c.withCmdline(CSDLOCK_DEBUG, on ? 1 : 0); }

    public static Config withCsdLockTimeoutMs(Config c, long ms) { return c.withCmdline(CSD_LOCK_TIMEOUT, ms); }

    public static Config withPanicOnIpistallMs(Config c, long ms) { return c.withCmdline(PANIC_ON_IPISTALL, ms); }

    public static Config withIpiMaskInline(Config c, boolean on) { return c.withCmdline(IPI_MASK_INLINED, on ? 1 : 0); }
}
