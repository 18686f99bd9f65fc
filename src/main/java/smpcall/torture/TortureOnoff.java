package smpcall.torture;

import java.util.SplittableRandom;

import smpcall.machine.Machine;

/**
 * kernel/torture.c's CPU-hotplug kthread (torture_onoff(), torture_offline(),
 * torture_online()) and its statistics: a random CPU goes down, or up if it cannot go down,
 * every onoff_interval jiffies after onoff_holdoff seconds. CPU 0 is not hotpluggable (x86's
 * default). Durations are in jiffies; min starts at -1.
 */
final class TortureOnoff {
    private final TortureWorkload w;
    private final Tally offl = new Tally(), onl = new Tally();

    /** The counters torture_offline() and torture_online() take by pointer: attempts, successes, durations in jiffies. */
    private static final class Tally {
        long attempts, successes, sum, min = -1, max;

        /** One attempt of {@code op} (0: it succeeded), timed in jiffies. */
        void attempt(TortureWorkload w, java.util.function.IntSupplier op) {
            long start = jiffies(w);
            attempts++;
            if (op.getAsInt() != 0) return;
            successes++;
            long delta = jiffies(w) - start;
            sum += delta;
            if (min < 0) min = max = delta;
            min = Math.min(min, delta);
            max = Math.max(max, delta);
        }
    }

    TortureOnoff(TortureWorkload w) { this.w = w; }

    void onoff() {
        Machine m = w.machine();
        TortureParams p = w.p;
        int maxcpu = m.nrCpuIds() - 1;
        if (maxcpu == 0) return;      // Only one CPU, so CPU-hotplug testing is disabled
        SplittableRandom rand = new SplittableRandom(p.seed() * 9_000_011L + 77);
        if (p.onoffHoldoff() > 0) m.sleepUntil(p.onoffHoldoff() * TortureParams.NSEC_PER_SEC);
        while (!w.mustStop()) {
            int cpu = (int) (((rand.nextLong() & 0xffffffffL) >>> 4) % (maxcpu + 1));
            if (!offline(m, cpu)) online(m, cpu);
            m.sleepUntil(w.now() + p.onoffInterval() * TortureParams.NSEC_PER_JIFFY);
        }
    }

    private static boolean hotpluggable(int cpu) { return cpu != 0; }

    private static long jiffies(TortureWorkload w) { return w.now() / TortureParams.NSEC_PER_JIFFY; }

    /** torture_offline(): false when the CPU cannot be tried (offline, not hotpluggable, the last one). */
    private boolean offline(Machine m, int cpu) {
        if (!m.cpuOnline(cpu) || !hotpluggable(cpu)) return false;
        if (Long.bitCount(m.cpuOnlineMask().peek()) <= 1) return false;
        offl.attempt(w, () -> m.hotplug().cpuDown(cpu));
        return true;
    }

    /** torture_online(). */
    private boolean online(Machine m, int cpu) {
        if (m.cpuOnline(cpu) || !hotpluggable(cpu)) return false;
        onl.attempt(w, () -> m.hotplug().cpuUp(cpu));
        return true;
    }

    /** torture_onoff_failures(): some attempt failed. */
    boolean failures() { return onl.successes != onl.attempts || offl.successes != offl.attempts; }

    /** torture_onoff_stats(): the piece of the statistics line (printed on a kernel with CONFIG_HOTPLUG_CPU). */
    String stats() {
        return String.format("onoff: %d/%d:%d/%d %d,%d:%d,%d %d:%d (HZ=%d) ", onl.successes, onl.attempts,
                offl.successes, offl.attempts, onl.min, onl.max, offl.min, offl.max, onl.sum, offl.sum, TortureParams.HZ);
    }
}
