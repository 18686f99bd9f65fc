package smpcall.torture;

/**
 * scftorture's counters: per thread (struct scf_statistics), per CPU (scf_invoked_count) and
 * global (n_errs, n_mb_in_errs, n_mb_out_errs, n_alloc_errs), and the statistics line
 * scf_torture_stats_print() makes of them.
 */
final class Counters {
    static final class Thread {
        long nResched, nSingle, nSingleOfl, nSingleRpc, nSingleRpcOfl, nSingleWait, nSingleWaitOfl,
                nMany, nManyWait, nAll, nAllWait;
    }

    final Thread[] threads;
    final long[] invoked;
    long nErrs, nMbInErrs, nMbOutErrs, nAllocErrs;
    /** Set once any error counter was nonzero when a line was printed: bangstr is static in the C. */
    private boolean bang;
    boolean finished, lockHotplug;

    Counters(int nthreads, int cpus) {
        threads = new Thread[nthreads];
        for (int i = 0; i < nthreads; i++) threads[i] = new Thread();
        invoked = new long[cpus];
    }

    /** FAILURE as scf_torture_cleanup() decides it: allocation errors do not count. */
    boolean failed() { return nErrs != 0 || nMbInErrs != 0 || nMbOutErrs != 0; }

    /** The end-of-test verdict as scf_torture_cleanup() prints it. */
    String verdict() { return failed() ? "FAILURE" : lockHotplug ? "LOCK_HOTPLUG" : "SUCCESS"; }

    long invokedCount() {
        long sum = 0;
        for (long n : invoked) sum += n;
        return sum;
    }

    /**
     * scf_torture_stats_print(): {@code ver} while running, {@code VER} at the end, the onoff
     * piece in between. Its quirk is kept: the sum never adds n_single_rpc_ofl, so
     * {@code single_rpc_ofl:} is always 0.
     */
    String statsLine(boolean isDone, String onoff) {
        Thread s = new Thread();
        for (Thread t : threads) {
            s.nResched += t.nResched;
            s.nSingle += t.nSingle;
            s.nSingleOfl += t.nSingleOfl;
            s.nSingleRpc += t.nSingleRpc;
            s.nSingleWait += t.nSingleWait;
            s.nSingleWaitOfl += t.nSingleWaitOfl;
            s.nMany += t.nMany;
            s.nManyWait += t.nManyWait;
            s.nAll += t.nAll;
            s.nAllWait += t.nAllWait;
        }
        if (nErrs != 0 || nMbInErrs != 0 || nMbOutErrs != 0 || nAllocErrs != 0) bang = true;
        return String.format("scftorture:  %sscf_invoked_count %s: %d resched: %d single: %d/%d single_ofl: %d/%d "
                        + "single_rpc: %d single_rpc_ofl: %d many: %d/%d all: %d/%d %sste: %d stnmie: %d stnmoe: %d staf: %d",
                bang ? "!!! " : "", isDone ? "VER" : "ver", invokedCount(), s.nResched, s.nSingle, s.nSingleWait,
                s.nSingleOfl, s.nSingleWaitOfl, s.nSingleRpc, s.nSingleRpcOfl, s.nMany, s.nManyWait, s.nAll, s.nAllWait,
                onoff, nErrs, nMbInErrs, nMbOutErrs, nAllocErrs);
    }
}
