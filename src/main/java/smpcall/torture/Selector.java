package smpcall.torture;

import java.util.ArrayList;
import java.util.List;

/**
 * scftorture's selection table (scf_sel_add(), scf_sel_rand()): at most eight rows of
 * cumulative weight, operation and wait, in the C's fixed order; a weight of 0 leaves its row
 * out. When no weight is positive the defaults apply (2N for the single kinds, 2 for many, 1
 * for all, N = nr_cpu_ids), an explicit 0 still leaving its row out; when one is positive,
 * every weight left at -1 counts as 0.
 */
final class Selector {
    /** enum scf_prim_type, with scf_prim_name[]. */
    enum Prim {
        RESCHED("resched_cpu"), SINGLE("smp_call_function_single"), SINGLE_RPC("smp_call_function_single_rpc"),
        MANY("smp_call_function_many"), ALL("smp_call_function");

        final String cName;

        Prim(String cName) { this.cName = cName; }
    }

    record Row(long weight, Prim prim, boolean waits) {}

    final List<Row> rows = new ArrayList<>(8);
    final long totalWeight;

    Selector(TortureParams p, int nrCpuIds) {
        int[] w = {p.weightResched(), p.weightSingle(), p.weightSingleRpc(), p.weightSingleWait(), p.weightMany(),
                p.weightManyWait(), p.weightAll(), p.weightAllWait()};
        boolean defaults = true;
        for (int x : w) if (x > 0) defaults = false;
        long n = nrCpuIds;
        long[] d = {2 * n, 2 * n, 2 * n, 2 * n, 2, 2, 1, 1};
        Prim[] prims = {Prim.RESCHED, Prim.SINGLE, Prim.SINGLE_RPC, Prim.SINGLE, Prim.MANY, Prim.MANY, Prim.ALL, Prim.ALL};
        boolean[] waits = {false, false, true, true, false, true, false, true};
        long total = 0;
        for (int i = 0; i < 8; i++) {
            long weight = defaults ? (w[i] == 0 ? 0 : d[i]) : Math.max(0, w[i]);
            if (weight == 0) continue;
            total += weight;
            rows.add(new Row(total, prims[i], waits[i]));
        }
        if (rows.isEmpty()) throw new IllegalArgumentException("scftorture: all zero weights makes no sense");
        totalWeight = total;
    }

    /** scf_sel_rand(): the first row whose cumulative weight reaches {@code r % (total + 1)}. */
    Row pick(long r) {
        long w = Long.remainderUnsigned(r, totalWeight + 1);
        for (Row row : rows) if (w <= row.weight) return row;
        return rows.get(rows.size() - 1);
    }

    /** scf_sel_dump(): one line per row, its share as a percentage with three decimals. */
    List<String> dump() {
        List<String> out = new ArrayList<>();
        long prev = 0;
        for (Row row : rows) {
            long share = (row.weight - prev) * 100_000 / totalWeight;
            prev = row.weight;
            out.add(String.format("scf_sel_dump: %3d.%03d %s(%s)", share / 1000, share % 1000,
                    row.prim.cName, row.waits ? "wait" : "nowait"));
        }
        return out;
    }
}
