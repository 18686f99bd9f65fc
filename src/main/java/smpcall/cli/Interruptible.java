package smpcall.cli;

import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;

/**
 * Long work that Ctrl-C stops without losing it: the work asks {@link Stop} once per
 * execution, which shows progress and says whether to stop; on Ctrl-C the JVM waits (a
 * little) until the partial result is printed.
 */
final class Interruptible {
    private Interruptible() {}

    /** Asked once per execution: counts, shows progress now and then, and says whether Ctrl-C came. */
    static final class Stop implements BooleanSupplier {
        private final Progress progress;
        private final String what;
        private final AtomicBoolean interrupted = new AtomicBoolean();
        private final CountDownLatch printed = new CountDownLatch(1);
        private final AtomicLong count = new AtomicLong(), shown = new AtomicLong();
        private final long started = System.nanoTime();

        Stop(Progress progress, String what) {
            this.progress = progress;
            this.what = what;
        }

        @Override
        public boolean getAsBoolean() {
            long now = System.nanoTime(), n = count.incrementAndGet(), last = shown.get();
            if (now - last > 200_000_000L && shown.compareAndSet(last, now))
                progress.update(String.format("%d %s, %.1f s", n, what, (now - started) / 1e9));
            return interrupted.get();
        }

        /** The result is printed: a Ctrl-C waiting for it may let the JVM go. */
        void printed() { printed.countDown(); }
    }

    /** Runs {@code work} with a Ctrl-C hook that stops it and waits for its result to be printed. */
    static <T> T run(Stop stop, Supplier<T> work) {
        Thread hook = new Thread(() -> {
            stop.interrupted.set(true);
            try {
                stop.printed.await(10, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        });
        Runtime.getRuntime().addShutdownHook(hook);
        T result;
        try {
            result = work.get();
        } finally {
            stop.progress.done();
        }
        try {
            Runtime.getRuntime().removeShutdownHook(hook);
        } catch (IllegalStateException shuttingDown) {
            // Ctrl-C came: the caller prints what it has, then calls printed()
        }
        return result;
    }
}
