package smpcall.kernel;

/**
 * Reasons 2 and 3 of the seed's commit message, broken: the pinned section ends before the
 * queueing loop. CPU offline (whose stopper needs this CPU preemptible) can then run between
 * the online check and the enqueue, so a CSD lands on a CPU after its dying flush (P3); and
 * another task on this CPU can take the same per-CPU CSD inside csd_lock(), between the wait
 * and the plain store (P4).
 */
public class V9PutBeforeQueue extends V9EarlyPutCpu {

    @Override public String name() { return "v9-put-before-queue"; }

    @Override public String description() { return "reasons 2 and 3: put_cpu() before the queueing loop; CPU offline can cross the queueing, and two tasks can take one CSD"; }

    @Override Where where() { return Where.BEFORE_QUEUE; }
}
