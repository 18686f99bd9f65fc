package smpcall.cli;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Peak resident memory of this process (Linux: VmHWM in /proc/self/status), for benchmarks;
 * and what to say when the heap filled up.
 */
final class Memory {
    private Memory() {}

    /** Peak resident set in bytes, or -1 where the system does not tell. */
    static long peakResidentBytes() {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
                if (line.startsWith("VmHWM:")) return Long.parseLong(line.replaceAll("[^0-9]", "")) * 1024;
            }
        } catch (IOException | NumberFormatException e) {
            // not Linux, or not readable: unknown
        }
        return -1;
    }

    /**
     * If the heap filled up during a search, one line that says so and how to give it more:
     * the search stopped there, and its verdict already says it is not exhaustive.
     */
    static void sayIfHeapFull(java.io.PrintWriter err) {
        if (!smpcall.machine.Machine.heapFull()) return;
        err.println("smpcall: the heap (" + Runtime.getRuntime().maxMemory() / (1 << 20) + " MB) filled up: the search "
                + "stopped there, not exhaustive; give it more with SMPCALL_JAVA_OPTS=-Xmx4g (the table of seen "
                + "states takes 16 to 32 bytes a state, the saved states along the path more)");
        err.flush();
    }

    /** {@code peak resident memory 612 MB} or {@code peak resident memory unknown}. */
    static String peakResident() {
        long b = peakResidentBytes();
        return "peak resident memory " + (b < 0 ? "unknown" : (b + (1 << 19)) / (1 << 20) + " MB");
    }
}
