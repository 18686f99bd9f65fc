package smpcall.kernel;

/**
 * Reason 4 of the seed's commit message, broken: csd_lock() no longer waits for the previous
 * user. A task that preempts a waiter on the same CPU then takes the per-CPU CSD the waiter
 * still has in flight, instead of blocking (pinned) until its callback cleared the lock.
 */
public class V9LockNowait extends SeriesV9 implements Mutant {

    @Override public String name() { return "v9-lock-nowait"; }

    @Override public String description() {
        return "reason 4: csd_lock() does not wait for the previous user of the CSD";
    }

    @Override
    protected void csdLock(Csd csd) {
        // MUTANT: no csd_lock_wait(csd) here.
        ghost.csdTaking(csd);
        csd.flags.set(csd.flags.get() | Csd.CSD_FLAG_LOCK);
        ghost.csdTaken(csd);
    }
}
