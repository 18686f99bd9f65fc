package smpcall.machine;

import java.util.ArrayDeque;

/** struct completion: wait_for_completion() sleeps until complete() counts it done. */
public final class Completion {
    /** The might_sleep() of __wait_for_common(), as the kernel names it. */
    static final String MIGHT_SLEEP_FILE = "kernel/sched/completion.c";
    static final int MIGHT_SLEEP_LINE = 113;

    private final Machine m;
    private final Cell done;
    private final ArrayDeque<Task> waiters = new ArrayDeque<>();

    Completion(Machine m, Cell done) {
        this.m = m;
        this.done = done;
    }

    /**
     * wait_for_completion(): uninterruptible sleep until done, then consume one done. Its
     * might_sleep() (in __wait_for_common()) reports a caller in atomic context before the
     * completion is even looked at, as the C does.
     */
    public void waitFor() {
        m.debug.mightSleep(MIGHT_SLEEP_FILE, MIGHT_SLEEP_LINE);
        while (true) {
            m.exec.point(done, Access.RMW, null);
            if (m.exec.decided(done.value > 0)) {
                done.poke(done.value - 1);
                return;
            }
            Task self = m.current();
            waiters.add(self);
            m.sched.block(self, "D " + done.name());
        }
    }

    // Not in the C: what a Snapshot saves and puts back.
    java.util.Collection<Task> waiters() { return waiters; }

    void restoreWaiters(Task[] saved) {
        waiters.clear();
        waiters.addAll(java.util.Arrays.asList(saved));
    }

    /** complete(): one more done; wakes the first waiter. */
    public void complete() {
        m.exec.point(done, Access.RMW, null);
        done.poke(done.value + 1);
        Task t = waiters.poll();
        if (t != null) m.sched.wakeUp(t);
    }
}
