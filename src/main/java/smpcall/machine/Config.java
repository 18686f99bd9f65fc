package smpcall.machine;

/**
 * The kernel configuration a run is made under (README, "Configuration knobs"), plus the
 * machine's own limits. Immutable; {@link #with} builders keep scenario defaults readable.
 *
 * @param nrCpus          number of possible CPUs (1..64)
 * @param preemption      CONFIG_PREEMPTION: tasks can be preempted at any preemptible point;
 *                        off, they switch only at explicit scheduling points
 * @param debugPreempt    CONFIG_DEBUG_PREEMPT: report per-CPU use in preemptible code
 * @param costs           the virtual-time cost model
 * @param maxSteps        a run that takes more steps than this stops with a step-limit finding
 * @param maxPreemptions  per task: how many times exploration may preempt it at will
 *                        (forced preemptions by a higher-priority wakeup do not count)
 * @param maxMigrations   per task: how many times exploration may migrate it (pushes off a
 *                        dying CPU do not count)
 * @param tickNs          the scheduler tick period in PER_CPU timing (0: none): a busy CPU
 *                        takes a timer interrupt that makes fair tasks take turns
 * @param cmdline         the model's boot and build options, which the machine carries
 *                        without reading (kernel/smp.c's are in smpcall.kernel.SmpParams)
 */
public record Config(int nrCpus, boolean preemption, boolean debugPreempt, Costs costs,
                     long maxSteps, int maxPreemptions, int maxMigrations, long tickNs, Cmdline cmdline) {

    public static final long NSEC_PER_SEC = 1_000_000_000L;

    public Config {
        if (nrCpus < 1 || nrCpus > 64) throw new IllegalArgumentException("nr_cpus must be 1..64, not " + nrCpus);
    }

    public static Config defaults(int nrCpus) {
        return new Config(nrCpus, true, true, Costs.DEFAULT, 1_000_000, 1, 1, 0, Cmdline.EMPTY);
    }

    public Config withPreemption(boolean on) {
        return new Config(nrCpus, on, debugPreempt, costs, maxSteps, maxPreemptions, maxMigrations, tickNs, cmdline);
    }

    public Config withDebugPreempt(boolean on) {
        return new Config(nrCpus, preemption, on, costs, maxSteps, maxPreemptions, maxMigrations, tickNs, cmdline);
    }

    public Config withCosts(Costs c) {
        return new Config(nrCpus, preemption, debugPreempt, c, maxSteps, maxPreemptions, maxMigrations, tickNs, cmdline);
    }

    public Config withMaxSteps(long n) {
        return new Config(nrCpus, preemption, debugPreempt, costs, n, maxPreemptions, maxMigrations, tickNs, cmdline);
    }

    public Config withBudgets(int preemptions, int migrations) {
        return new Config(nrCpus, preemption, debugPreempt, costs, maxSteps, preemptions, migrations, tickNs, cmdline);
    }

    public Config withTickNs(long ns) {
        return new Config(nrCpus, preemption, debugPreempt, costs, maxSteps, maxPreemptions, maxMigrations, ns, cmdline);
    }

    public Config withNrCpus(int n) {
        return new Config(n, preemption, debugPreempt, costs, maxSteps, maxPreemptions, maxMigrations, tickNs, cmdline);
    }

    /** This with one more option on the command line. */
    public Config withCmdline(String name, long value) {
        return new Config(nrCpus, preemption, debugPreempt, costs, maxSteps, maxPreemptions, maxMigrations, tickNs,
                cmdline.with(name, value));
    }
}
