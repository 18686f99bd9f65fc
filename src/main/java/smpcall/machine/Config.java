package smpcall.machine;

/**
 * The kernel configuration and boot options a run is made under (README, "Configuration knobs"), plus the
 * machine's own limits. Immutable; {@link #with} builders keep scenario defaults readable.
 *
 * @param nrCpus          number of possible CPUs (1..64)
 * @param preemption      CONFIG_PREEMPTION: tasks can be preempted at any preemptible point;
 *                        off, they switch only at explicit scheduling points
 * @param debugPreempt    CONFIG_DEBUG_PREEMPT: report per-CPU use in preemptible code
 * @param csdlockDebug    the csdlock_debug= boot option (CONFIG_CSD_LOCK_WAIT_DEBUG on)
 * @param csdLockTimeoutNs csd_lock_timeout, default 5 s
 * @param ipiMaskInline   NR_CPUS <= BITS_PER_LONG, so the task IPI mask lives inline in the
 *                        task (and the boot task has one too); off, it is allocated at fork
 * @param costs           the virtual-time cost model
 * @param maxSteps        a run that takes more steps than this stops with a step-limit finding
 * @param maxPreemptions  per task: how many times exploration may preempt it at will
 *                        (forced preemptions by a higher-priority wakeup do not count)
 * @param maxMigrations   per task: how many times exploration may migrate it (pushes off a
 *                        dying CPU do not count)
 * @param tickNs          the scheduler tick period in PER_CPU timing (0: none): a busy CPU
 *                        takes a timer interrupt that makes fair tasks take turns
 * @param panicOnIpistallMs the panic_on_ipistall module parameter of kernel/smp.c: with
 *                        csdlock_debug, a CSD lock stuck longer than this many ms is a BUG()
 *                        (0, the default: never)
 */
public record Config(int nrCpus, boolean preemption, boolean debugPreempt, boolean csdlockDebug,
                     long csdLockTimeoutNs, boolean ipiMaskInline, Costs costs,
                     long maxSteps, int maxPreemptions, int maxMigrations, long tickNs,
                     long panicOnIpistallMs) {

    public static final long NSEC_PER_SEC = 1_000_000_000L;

    public Config {
        if (nrCpus < 1 || nrCpus > 64) throw new IllegalArgumentException("nr_cpus must be 1..64, not " + nrCpus);
    }

    /** The configuration without panic_on_ipistall (its default, 0). */
    public Config(int nrCpus, boolean preemption, boolean debugPreempt, boolean csdlockDebug,
                  long csdLockTimeoutNs, boolean ipiMaskInline, Costs costs,
                  long maxSteps, int maxPreemptions, int maxMigrations, long tickNs) {
        this(nrCpus, preemption, debugPreempt, csdlockDebug, csdLockTimeoutNs, ipiMaskInline, costs, maxSteps,
                maxPreemptions, maxMigrations, tickNs, 0);
    }

    public Config withPanicOnIpistallMs(long ms) {
        return new Config(nrCpus, preemption, debugPreempt, csdlockDebug, csdLockTimeoutNs, ipiMaskInline, costs, maxSteps,
                maxPreemptions, maxMigrations, tickNs, ms);
    }

    public static Config defaults(int nrCpus) {
        return new Config(nrCpus, true, true, false, 5 * NSEC_PER_SEC, true, Costs.DEFAULT,
                1_000_000, 1, 1, 0);
    }

    public Config withPreemption(boolean on) {
        return new Config(nrCpus, on, debugPreempt, csdlockDebug, csdLockTimeoutNs, ipiMaskInline, costs, maxSteps, maxPreemptions, maxMigrations, tickNs, panicOnIpistallMs);
    }

    public Config withDebugPreempt(boolean on) {
        return new Config(nrCpus, preemption, on, csdlockDebug, csdLockTimeoutNs, ipiMaskInline, costs, maxSteps, maxPreemptions, maxMigrations, tickNs, panicOnIpistallMs);
    }

    public Config withCsdlockDebug(boolean on) {
        return new Config(nrCpus, preemption, debugPreempt, on, csdLockTimeoutNs, ipiMaskInline, costs, maxSteps, maxPreemptions, maxMigrations, tickNs, panicOnIpistallMs);
    }

    public Config withCsdLockTimeoutNs(long ns) {
        return new Config(nrCpus, preemption, debugPreempt, csdlockDebug, ns, ipiMaskInline, costs, maxSteps, maxPreemptions, maxMigrations, tickNs, panicOnIpistallMs);
    }

    public Config withIpiMaskInline(boolean on) {
        return new Config(nrCpus, preemption, debugPreempt, csdlockDebug, csdLockTimeoutNs, on, costs, maxSteps, maxPreemptions, maxMigrations, tickNs, panicOnIpistallMs);
    }

    public Config withCosts(Costs c) {
        return new Config(nrCpus, preemption, debugPreempt, csdlockDebug, csdLockTimeoutNs, ipiMaskInline, c, maxSteps, maxPreemptions, maxMigrations, tickNs, panicOnIpistallMs);
    }

    public Config withMaxSteps(long n) {
        return new Config(nrCpus, preemption, debugPreempt, csdlockDebug, csdLockTimeoutNs, ipiMaskInline, costs, n, maxPreemptions, maxMigrations, tickNs, panicOnIpistallMs);
    }

    public Config withBudgets(int preemptions, int migrations) {
        return new Config(nrCpus, preemption, debugPreempt, csdlockDebug, csdLockTimeoutNs, ipiMaskInline, costs, maxSteps, preemptions, migrations, tickNs, panicOnIpistallMs);
    }

    public Config withTickNs(long ns) {
        return new Config(nrCpus, preemption, debugPreempt, csdlockDebug, csdLockTimeoutNs, ipiMaskInline, costs, maxSteps, maxPreemptions, maxMigrations, ns, panicOnIpistallMs);
    }

    public Config withNrCpus(int n) {
        return new Config(n, preemption, debugPreempt, csdlockDebug, csdLockTimeoutNs, ipiMaskInline, costs, maxSteps, maxPreemptions, maxMigrations, tickNs, panicOnIpistallMs);
    }
}
