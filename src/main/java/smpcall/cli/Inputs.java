package smpcall.cli;

import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import picocli.CommandLine;

/**
 * Checks of what a user types, each failing with one line that names the option, the value
 * and the unit: ranges, durations with units as the kernel's tools take them, and output
 * files, checked before the work starts.
 */
final class Inputs {
    private Inputs() {}

    private static final Pattern DURATION = Pattern.compile("(\\d+(?:\\.\\d*)?|\\.\\d+)(ns|us|ms|s|m|h|d)?");

    /**
     * A duration as rtla and cyclictest take it: {@code 10s}, {@code 500ms}, {@code 2m},
     * {@code 1h}, {@code 250us}; a bare number is seconds and may have a fraction.
     */
    static class Duration implements CommandLine.ITypeConverter<java.time.Duration> {
        /** The unit of a bare number. */
        String bare() { return "s"; }

        @Override
        public java.time.Duration convert(String text) {
            Matcher m = DURATION.matcher(text.trim().toLowerCase(Locale.ROOT));
            if (!m.matches())
                throw new CommandLine.TypeConversionException("'" + text + "' is not a duration (such as 10s, 500ms, 2m, 250us; "
                        + "a bare number is " + (bare().equals("s") ? "seconds" : "microseconds") + ")");
            double n = Double.parseDouble(m.group(1));
            String unit = m.group(2) == null ? bare() : m.group(2);
            double ns = n * switch (unit) {
                case "ns" -> 1;
                case "us" -> 1e3;
                case "ms" -> 1e6;
                case "s" -> 1e9;
                case "m" -> 60e9;
                case "h" -> 3600e9;
                default -> 86400e9;
            };
            if (ns > MAX_NS) throw new CommandLine.TypeConversionException("'" + text + "' is longer than " + show(MAX_NS));
            return java.time.Duration.ofNanos(Math.round(ns));
        }
    }

    /** A duration whose bare number is microseconds, as cyclictest's -i and rtla's -p take it. */
    static final class DurationUs extends Duration {
        @Override String bare() { return "us"; }
    }

    /** The longest duration any option takes: a year. */
    static final long MAX_NS = 365L * 86400 * 1_000_000_000L;

    /** {@code 1.5 s}, {@code 500 ms}, {@code 20 us}: a duration as messages show it. */
    static String show(long ns) {
        if (ns >= 1_000_000_000L) return trim(ns / 1e9) + " s";
        if (ns >= 1_000_000L) return trim(ns / 1e6) + " ms";
        if (ns >= 1_000L) return trim(ns / 1e3) + " us";
        return ns + " ns";
    }

    private static String trim(double v) {
        String s = String.format(Locale.ROOT, "%.3f", v);
        return s.replaceAll("\\.?0+$", "");
    }

    static void range(String option, java.time.Duration d, long minNs, long maxNs) {
        long ns = d.toNanos();
        if (ns < minNs || ns > maxNs)
            throw new IllegalArgumentException(option + " must be " + show(minNs) + " to " + show(maxNs) + ", not " + show(ns));
    }

    static void range(String option, long v, long min, long max, String unit) {
        if (v < min || v > max)
            throw new IllegalArgumentException(option + " must be " + min + ".." + max + " " + unit + ", not " + v);
    }

    /**
     * An output file, checked before the work starts: a path that is not empty, not a
     * directory, in a directory that exists (none is created), writable.
     */
    /** A directory to write a report into: made if missing, in a directory that exists. */
    static Path outputDir(String option, Path p) {
        if (p == null) return null;
        String s = p.toString();
        if (s.isBlank()) throw new IllegalArgumentException(option + " needs a directory name, not an empty one");
        if (Files.exists(p) && !Files.isDirectory(p)) throw new IllegalArgumentException(option + " " + s + " is a file, not a directory");
        Path parent = p.toAbsolutePath().getParent();
        if (parent != null && !Files.isDirectory(parent))
            throw new IllegalArgumentException(option + " " + s + ": the directory " + parent + " does not exist");
        if (Files.exists(p) ? !Files.isWritable(p) : parent != null && !Files.isWritable(parent))
            throw new IllegalArgumentException(option + " " + s + " is not writable");
        return p;
    }

    static Path outputFile(String option, Path p) {
        if (p == null) return null;
        String s = p.toString();
        if (s.isBlank()) throw new IllegalArgumentException(option + " needs a file name, not an empty one");
        if (Files.isDirectory(p)) throw new IllegalArgumentException(option + " " + s + " is a directory, not a file");
        Path dir = p.toAbsolutePath().getParent();
        if (dir != null && !Files.isDirectory(dir))
            throw new IllegalArgumentException(option + " " + s + ": the directory " + dir + " does not exist");
        if (dir != null && !Files.isWritable(dir) || Files.exists(p) && !Files.isWritable(p))
            throw new IllegalArgumentException(option + " " + s + " is not writable");
        return p;
    }

    /** A path option that picocli could not make a Path of. */
    static final class OutputPath implements CommandLine.ITypeConverter<Path> {
        @Override
        public Path convert(String text) {
            try {
                return Path.of(text);
            } catch (InvalidPathException e) {
                throw new CommandLine.TypeConversionException("'" + text + "' is not a file name: " + e.getReason());
            }
        }
    }
}
