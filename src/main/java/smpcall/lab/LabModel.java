package smpcall.lab;

import java.util.List;

/**
 * A model the latency lab runs its workload on.
 *
 * @param label        how tables, plots and JSON name it, e.g. {@code series-v9+csdlock_debug}
 * @param model        the model's registered name: a shipped one, or a user's file as
 *                     {@code smpcall.run.Models#resolve} names it
 * @param csdlockDebug run with the csdlock_debug= boot option (the wait is pinned again)
 */
public record LabModel(String label, String model, boolean csdlockDebug) {

    /** What the lab compares unless told otherwise: mainline, series-v9, and series-v9 with csdlock_debug. */
    public static final List<LabModel> DEFAULTS = List.of(
            new LabModel("mainline", "mainline", false),
            new LabModel("series-v9", "series-v9", false),
            new LabModel("series-v9+csdlock_debug", "series-v9", true));
}
