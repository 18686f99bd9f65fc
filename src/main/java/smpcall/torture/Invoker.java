package smpcall.torture;

import smpcall.kernel.Mainline;
import smpcall.run.Models;

/**
 * How scftorture_invoke_one() excludes CPU hotplug around a call, and when its
 * memory-ordering check fires. Patch 09 of the series ("scftorture: Remove preempt_disable()
 * in scftorture_invoke_one()") changed both, so the invoker follows the model.
 */
public enum Invoker {
    /**
     * Before the series: {@code use_cpus_read_lock ? cpus_read_lock() : preempt_disable()};
     * the check fires for {@code (num_online_cpus() > 1 || prim == SCF_PRIM_SINGLE) && !scfc_out}.
     */
    MAINLINE("mainline"),
    /**
     * Patch 09: only {@code if (use_cpus_read_lock) cpus_read_lock()}, so the call is made
     * preemptible; the check fires for
     * {@code ((use_cpus_read_lock && num_online_cpus() > 1) || is_single) && !scfc_out}.
     */
    SERIES_V9("series-v9"),
    /**
     * Patch 09's invoker with the check as it was before: a preemptible MANY or ALL caller
     * can count CPUs at a moment other than the call's, so the old check can fire on a call
     * that did nothing wrong (a false FAILURE); what the narrowed condition is for.
     */
    SERIES_V9_OLD_WARN("series-v9-old-warn");

    public final String label;

    Invoker(String label) { this.label = label; }

    /** The invoker a model's kernel comes with: the series' for series-v9, its mutants and what derives from them. */
    public static Invoker of(Mainline model) {
        String base = Models.shippedBase(model);
        return base.equals("series-v9") || Models.isMutant(base) ? SERIES_V9 : MAINLINE;
    }

    public static Invoker parse(String label) {
        for (Invoker i : values()) if (i.label.equals(label)) return i;
        throw new IllegalArgumentException("unknown invoker '" + label + "' (mainline, series-v9, series-v9-old-warn)");
    }

    /** Whether the invoker disables preemption around a call when use_cpus_read_lock is off. */
    boolean preemptDisables() { return this == MAINLINE; }

    /** The condition of the WARN_ON_ONCE before "Memory-ordering failure" (its {@code !scfc_out} aside). */
    boolean outChecked(boolean useCpusReadLock, int onlineCpus, Selector.Prim prim) {
        boolean isSingle = prim == Selector.Prim.SINGLE || prim == Selector.Prim.SINGLE_RPC;
        return this == SERIES_V9 ? (useCpusReadLock && onlineCpus > 1) || isSingle
                : onlineCpus > 1 || prim == Selector.Prim.SINGLE;
    }
}
