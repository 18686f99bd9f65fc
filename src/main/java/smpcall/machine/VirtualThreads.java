package smpcall.machine;

import java.util.List;
import java.util.concurrent.Callable;

/**
 * Work on virtual threads, waited for. A machine's tasks hand a baton between virtual
 * threads, so whatever drives runs should be one too: a machine started from a platform
 * thread pays a platform-to-virtual hand-off (tens of microseconds) per run.
 */
public final class VirtualThreads {
    private VirtualThreads() {}

    /** Runs {@code work} on one virtual thread and returns its result (or throws what it threw). */
    public static <T> T call(Callable<T> work) {
        Object[] out = new Object[1];
        Throwable[] failure = new Throwable[1];
        join(List.of(Thread.ofVirtual().name("smpcall-driver").start(() -> {
            try {
                out[0] = work.call();
            } catch (Throwable e) {
                failure[0] = e;
            }
        })));
        if (failure[0] instanceof RuntimeException re) throw re;
        if (failure[0] instanceof Error err) throw err;
        if (failure[0] != null) throw new IllegalStateException(failure[0]);
        @SuppressWarnings("unchecked") T result = (T) out[0];
        return result;
    }

    /** Runs each of {@code workers} on a virtual thread of its own (named {@code name-i}) and waits for all. */
    public static void runAll(String name, List<Runnable> workers) {
        Thread[] threads = new Thread[workers.size()];
        for (int i = 0; i < threads.length; i++) threads[i] = Thread.ofVirtual().name(name + "-" + i).start(workers.get(i));
        join(List.of(threads));
    }

    private static void join(List<Thread> threads) {
        for (Thread t : threads) {
            try {
                t.join();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted", e);
            }
        }
    }
}
