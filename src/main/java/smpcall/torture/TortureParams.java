package smpcall.torture;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * scftorture's module parameters, with its names, meanings and defaults, as a kernel built with
 * CONFIG_SCF_TORTURE_TEST=y has them (the way rcutorture's kvm.sh runs it): holdoff 10 s, and
 * weight_resched honoured. Times are virtual. onoff_interval is in jiffies (HZ=1000), as the
 * C passes it to torture_onoff_init() without a {@code * HZ}; onoff_holdoff, holdoff,
 * shutdown_secs and stat_interval are in seconds; stutter in jiffies.
 *
 * <p>What scftorture has no parameter for: {@code durationNs}, how long the test runs after
 * its holdoff when shutdown_secs is 0 (scftorture then runs until the module is removed),
 * the machine's {@code cpus} and the {@code seed} of torture_random().
 */
public record TortureParams(int verbose, int holdoff, int longwait, int nthreads, int onoffHoldoff, int onoffInterval,
                            int shutdownSecs, int statInterval, int stutter, boolean useCpusReadLock,
                            int weightResched, int weightSingle, int weightSingleRpc, int weightSingleWait,
                            int weightMany, int weightManyWait, int weightAll, int weightAllWait,
                            int cpus, long durationNs, long seed) {
    public static final long HZ = 1000;
    public static final long NSEC_PER_JIFFY = 1_000_000_000L / HZ;
    public static final long NSEC_PER_SEC = 1_000_000_000L;

    /** The defaults: scftorture's built-in ones, 4 CPUs, 100 ms of test after the holdoff, seed 1. */
    public static TortureParams defaults() {
        return new TortureParams(0, 10, 0, -1, 0, 0, 0, 60, 5, false, -1, -1, -1, -1, -1, -1, -1, -1,
                4, 100_000_000L, 1);
    }

    /** The parameters by their module names (no "scftorture." prefix), in the order the C prints them. */
    public Map<String, Object> byName() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("verbose", verbose);
        m.put("holdoff", holdoff);
        m.put("longwait", longwait);
        m.put("nthreads", nthreads);
        m.put("onoff_holdoff", onoffHoldoff);
        m.put("onoff_interval", onoffInterval);
        m.put("shutdown_secs", shutdownSecs);
        m.put("stat_interval", statInterval);
        m.put("stutter", stutter);
        m.put("use_cpus_read_lock", useCpusReadLock);
        m.put("weight_resched", weightResched);
        m.put("weight_single", weightSingle);
        m.put("weight_single_rpc", weightSingleRpc);
        m.put("weight_single_wait", weightSingleWait);
        m.put("weight_many", weightMany);
        m.put("weight_many_wait", weightManyWait);
        m.put("weight_all", weightAll);
        m.put("weight_all_wait", weightAllWait);
        return m;
    }

    /** The module parameter names, for the command line and the run-id. */
    public static final java.util.Set<String> NAMES = defaults().byName().keySet();

    /** This with one module parameter set from its text; a bad name or value is an IllegalArgumentException naming it. */
    public TortureParams with(String name, String text) {
        Map<String, Object> m = byName();
        if (!m.containsKey(name)) throw new IllegalArgumentException("unknown scftorture parameter '" + name
                + "' (known: " + String.join(", ", NAMES) + ")");
        Object v;
        if (name.equals("use_cpus_read_lock")) {
            v = switch (text) {
                case "1", "y", "Y", "true" -> true;
                case "0", "n", "N", "false" -> false;
                default -> throw new IllegalArgumentException(name + "=" + text + ": not a bool (0, 1, y, n)");
            };
        } else {
            int n;
            try {
                n = Integer.parseInt(text);
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException(name + "=" + text + ": not an integer");
            }
            int min = name.startsWith("weight_") || name.equals("nthreads") ? -1 : 0;
            if (n < min) throw new IllegalArgumentException(name + "=" + text + ": must be at least " + min);
            if (name.equals("nthreads") && n > 1024) throw new IllegalArgumentException(name + "=" + text + ": at most 1024 threads");
            v = n;
        }
        m.put(name, v);
        return of(m, cpus, durationNs, seed);
    }

    public TortureParams withMachine(int cpus, long durationNs, long seed) {
        return of(byName(), cpus, durationNs, seed);
    }

    private static TortureParams of(Map<String, Object> m, int cpus, long durationNs, long seed) {
        return new TortureParams((int) m.get("verbose"), (int) m.get("holdoff"), (int) m.get("longwait"),
                (int) m.get("nthreads"), (int) m.get("onoff_holdoff"), (int) m.get("onoff_interval"),
                (int) m.get("shutdown_secs"), (int) m.get("stat_interval"), (int) m.get("stutter"),
                (boolean) m.get("use_cpus_read_lock"), (int) m.get("weight_resched"), (int) m.get("weight_single"),
                (int) m.get("weight_single_rpc"), (int) m.get("weight_single_wait"), (int) m.get("weight_many"),
                (int) m.get("weight_many_wait"), (int) m.get("weight_all"), (int) m.get("weight_all_wait"),
                cpus, durationNs, seed);
    }

    /** nthreads as scf_torture_init() resolves it: a negative value is every online CPU. */
    public int threads() { return nthreads < 0 ? cpus : nthreads; }

    /** When the test ends, from boot: shutdown_secs if set, else the holdoff plus the duration. */
    public long endNs() {
        return shutdownSecs > 0 ? shutdownSecs * NSEC_PER_SEC : holdoff * NSEC_PER_SEC + durationNs;
    }

    /** The parameters that differ from the defaults, as name=value, comma-separated, in the C's order ("-" if none). */
    public String changed() {
        Map<String, Object> d = defaults().byName();
        StringBuilder b = new StringBuilder();
        for (var e : byName().entrySet()) {
            if (e.getValue().equals(d.get(e.getKey()))) continue;
            if (!b.isEmpty()) b.append(',');
            Object v = e.getValue();
            b.append(e.getKey()).append('=').append(v instanceof Boolean on ? (on ? "1" : "0") : v);
        }
        return b.isEmpty() ? "-" : b.toString();
    }

    /**
     * scftorture_print_module_parms(): the line the C prints at the start and the end. Its
     * quirk is kept: what it prints for shutdown_secs is the {@code shutdown} bool (1 when
     * built in), not shutdown_secs. nthreads is as given at the start and as resolved at the
     * end, since scf_torture_init() resolves it in between.
     */
    public String moduleParmsLine(String tag, int nthreads) {
        return String.format("scftorture: --- %s:  verbose=%d holdoff=%d longwait=%d nthreads=%d onoff_holdoff=%d "
                        + "onoff_interval=%d shutdown_secs=%d stat_interval=%d stutter=%d use_cpus_read_lock=%d, "
                        + "weight_resched=%d, weight_single=%d, weight_single_rpc=%d, weight_single_wait=%d, "
                        + "weight_many=%d, weight_many_wait=%d, weight_all=%d, weight_all_wait=%d",
                tag, verbose, holdoff, longwait, nthreads, onoffHoldoff, onoffInterval, 1, statInterval, stutter,
                useCpusReadLock ? 1 : 0, weightResched, weightSingle, weightSingleRpc, weightSingleWait,
                weightMany, weightManyWait, weightAll, weightAllWait);
    }
}
