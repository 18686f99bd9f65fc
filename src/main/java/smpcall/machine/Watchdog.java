package smpcall.machine;

import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;

/**
 * Stops model code that runs more than a second of wall time without reaching a scheduling
 * point (a user's model with a loop that never touches a cell). Each running machine counts
 * its scheduling points (one plain write per point); one daemon thread looks at the live
 * machines every 100 ms, and when a machine's count has not moved for a second while its
 * running task's thread is not waiting, it names the innermost model frame of that thread
 * and calls the handler. A busy loop cannot be interrupted in Java, so the handler ends the
 * process: by default it prints the line and exits with status 2.
 */
public final class Watchdog {
    private Watchdog() {}

    static final long LIMIT_NS = 1_000_000_000L;
    private static final long POLL_MS = 100;

    private static final Set<Exec> LIVE = ConcurrentHashMap.newKeySet();
    private static volatile Consumer<String> handler = Watchdog::exit;
    private static volatile Thread thread;

    /** What to do with the one-line report of a stuck machine (the default prints it and exits with status 2). */
    public static void onStuck(Consumer<String> h) { handler = h; }

    private static void exit(String line) {
        System.err.println(line);
        System.err.flush();
        System.exit(2);
    }

    /** {@code -Dsmpcall.watchdog=off} turns it off (to stop in model code with a debugger). */
    private static final boolean OFF = "off".equals(System.getProperty("smpcall.watchdog"));

    static void watch(Exec e) {
        if (OFF) return;
        if (thread == null) start();
        LIVE.add(e);
    }

    static void unwatch(Exec e) { LIVE.remove(e); }

    private static synchronized void start() {
        if (thread != null) return;
        Thread t = new Thread(Watchdog::loop, "smpcall-watchdog");
        t.setDaemon(true);
        t.start();
        thread = t;
    }

    private static void loop() {
        long last = System.nanoTime();
        while (true) {
            try {
                Thread.sleep(POLL_MS);
            } catch (InterruptedException e) {
                return;
            }
            long now = System.nanoTime();
            // A poll that comes far too late means the whole JVM stood still (a long GC pause,
            // a stopped process): that second was nobody's, so every machine starts afresh.
            boolean paused = now - last > 5 * POLL_MS * 1_000_000L;
            last = now;
            for (Exec e : LIVE) {
                long p = e.points;
                if (p != e.watchPoints || e.watchSince == 0 || paused) {
                    e.watchPoints = p;
                    e.watchSince = now;
                } else if (now - e.watchSince >= LIMIT_NS && !e.watchReported) {
                    String where = stuckAt(e);
                    if (where != null) {
                        e.watchReported = true;
                        handler.accept("smpcall: model code ran 1 s without reaching a scheduling point " + where);
                    }
                }
            }
        }
    }

    /** Where the running task's thread spins, or null if it is waiting (its run is not stuck in model code). */
    static String stuckAt(Exec e) {
        Task t = e.running;
        Thread th = t == null ? null : t.thread;
        if (th == null || th.getState() != Thread.State.RUNNABLE) return null;
        StackTraceElement[] stack = th.getStackTrace();
        StackTraceElement at = null;
        for (StackTraceElement f : stack) {
            if (f.getClassName().equals("java.util.concurrent.locks.LockSupport")) return null;   // parked: waiting, not spinning
            String c = f.getClassName();
            if (at == null && !c.startsWith("smpcall.machine.") && !c.startsWith("java.") && !c.startsWith("jdk.")) at = f;
        }
        if (at == null && stack.length > 0) at = stack[0];
        if (at == null) return null;
        return "at " + at.getFileName() + ":" + at.getLineNumber() + " in " + at.getMethodName() + "()";
    }
}
