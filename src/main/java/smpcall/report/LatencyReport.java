package smpcall.report;

import java.io.IOException;
import java.math.BigDecimal;
import java.math.MathContext;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.function.ToLongFunction;

import org.HdrHistogram.Histogram;

import smpcall.lab.LabConfig;
import smpcall.lab.LabResult;
import smpcall.lab.LatencyLab;
import smpcall.machine.Costs;

/**
 * What {@code smpcall latency} prints and writes: the configuration, an rtla-like table, JSON, an SVG plot.
 * Every figure is a model figure (virtual time under {@link Costs}), never a measurement of a machine.
 *
 * <p>The table follows {@code rtla timerlat top}'s thread-latency block (RTLA {@code timerlat_top.c},
 * {@code timerlat_top_header/print/print_sum}, intel-lab-lkp/linux @ 019ab8f1, FORMATS.md §C.1): a row
 * starts {@code "%3d #%-9llu |"} (cpu, count), each value is 9 wide and right-aligned with one space
 * between, an empty series prints rtla's {@code "        -"}, and the summary is a dashed separator
 * (15 dashes, {@code |}, then dashes) and {@code "ALL #%-6llu e%d |"} (count divided by 10 until it is
 * at most 999999, e = that exponent). Differences, and why: the columns are min avg p50 p99 p99.9 max
 * (the lab asks for tails; there is no {@code cur} because the table is printed once, as with
 * {@code -q}); values are µs with three decimals (rtla integer-divides ns to µs, which would hide the
 * model's sub-µs costs); and there is no IRQ block (the model has no separate timer-IRQ latency).
 */
public final class LatencyReport {
    private LatencyReport() {}

    private static final Locale ROOT = Locale.ROOT;
    private static final String NO_VALUE = "        -";            // rtla's placeholder, 9 wide
    private static final String HEADER = "CPU COUNT      |" + String.format(ROOT, "%9s %9s %9s %9s %9s %9s",
            "min", "avg", "p50", "p99", "p99.9", "max");
    private static final String SEPARATOR = "-".repeat(15) + "|" + "-".repeat(HEADER.length() - 16);
    private static final String BASELINE = "mainline";

    // ---------------------------------------------------------------- configuration

    /** The whole configuration, one {@code key: value} a line; keys are the lab's flag names. */
    public static String configuration(LabConfig c) {
        StringBuilder o = new StringBuilder("# smpcall latency lab\n");
        o.append("# model figures under a cost model (virtual time), not measurements of a real machine\n");
        line(o, "cpus", c.cpus() + " (CPU0 runs the caller)");
        line(o, "duration", dur(c.durationNs()) + " of virtual time");
        line(o, "interval", dur(c.intervalNs()) + " (period of the SCHED_FIFO 99 measuring task on each CPU)");
        line(o, "window", dur(c.windowNs()) + " (window of the longest preemption-off section on CPU0)");
        line(o, "seed", Long.toString(c.seed()));
        line(o, "think", dur(c.thinkNs()) + " (the caller's work between two cross-calls)");
        line(o, "irqoff-gap", dur(c.irqoffGapNs()) + " (mean time between irq-off windows on a remote CPU)");
        line(o, "irqoff-short", dur(c.irqoffShortNs()) + " (mean of a short window, exponential)");
        line(o, "irqoff-long", dur(c.irqoffLongNs()) + " (scale of a long window, Pareto shape 1.5, capped at 20x = "
                + dur(20 * c.irqoffLongNs()) + ")");
        line(o, "irqoff-long-permille", c.irqoffLongPermille() + " (long windows per 1000)");
        line(o, "tick", dur(LatencyLab.TICK_NS) + " (HZ=1000, on busy CPUs; fair tasks take turns)");
        line(o, "tasks", "CPU0: the caller and a CPU-bound background task (normal), every CPU: a SCHED_FIFO 99 "
                + "measuring task, CPUs 1..: a task that disables irqs in windows");
        Costs k = c.costs();
        line(o, "cost.access", dur(k.accessNs()) + " (plain load or store)");
        line(o, "cost.atomic", dur(k.atomicNs()) + " (atomic read-modify-write)");
        line(o, "cost.ipi-send", dur(k.ipiSendNs()) + " (sender's ICR write)");
        line(o, "cost.ipi-latency", dur(k.ipiLatencyNs()) + " (IPI raised to handler entry, at least)");
        line(o, "cost.irq-entry", dur(k.irqEntryNs()));
        line(o, "cost.irq-exit", dur(k.irqExitNs()));
        line(o, "cost.context-switch", dur(k.contextSwitchNs()));
        line(o, "cost.callback", dur(k.callbackNs()) + " (a cross-call's function)");
        return o.toString();
    }

    private static void line(StringBuilder o, String key, String value) {
        o.append(key).append(": ").append(value).append('\n');
    }

    /** A duration in its natural unit, exactly: 2 ns, 1.5 us, 20 ms, 10 s. */
    static String dur(long ns) {
        long a = Math.abs(ns);
        int shift = a >= 1_000_000_000L ? 9 : a >= 1_000_000L ? 6 : a >= 1_000L ? 3 : 0;
        String unit = switch (shift) { case 9 -> "s"; case 6 -> "ms"; case 3 -> "us"; default -> "ns"; };
        return BigDecimal.valueOf(ns).movePointLeft(shift).stripTrailingZeros().toPlainString() + " " + unit;
    }

    // ---------------------------------------------------------------- table

    /** One rtla-like block per model, then the ratios against mainline (or the first model). */
    public static String table(List<LabResult> results, LabConfig c) {
        StringBuilder o = new StringBuilder();
        for (LabResult r : results) {
            o.append("model ").append(r.model()).append(": wakeup latency (us), timer expiry to task running\n");
            o.append(HEADER).append('\n');
            for (int cpu = 0; cpu < r.wakeupNs().length; cpu++) {
                Histogram h = r.wakeupNs()[cpu];
                o.append(String.format(ROOT, "%3d #%-9d |", cpu, h.getTotalCount())).append(cells(h)).append('\n');
            }
            Histogram all = merged(r.wakeupNs());
            long count = all.getTotalCount();
            int e = 0;
            while (count > 999_999) { count /= 10; e++; }
            o.append(SEPARATOR).append('\n');
            o.append(String.format(ROOT, "ALL #%-6d e%d |", count, e)).append(cells(all)).append('\n');
            long[] w = sorted(r.preemptOffMaxNs());
            o.append("preempt-off max per window (CPU0): p50 ").append(usUnit(w, 500)).append("  p99 ")
                    .append(usUnit(w, 990)).append("  max ").append(usUnit(w, 1000)).append("  (")
                    .append(w.length).append(w.length == 1 ? " window of " : " windows of ")
                    .append(dur(c.windowNs())).append(")\n\n");
        }
        ratio(o, results, "max", Histogram::getMaxValue);
        ratio(o, results, "p99", h -> h.getValueAtPercentile(99));
        return o.toString();
    }

    private static String cells(Histogram h) {
        if (h.getTotalCount() == 0) return String.join(" ", NO_VALUE, NO_VALUE, NO_VALUE, NO_VALUE, NO_VALUE, NO_VALUE);
        Stats s = Stats.of(h);
        return String.format(ROOT, "%9s %9s %9s %9s %9s %9s",
                us(s.min), us(s.avg), us(s.p50), us(s.p99), us(s.p999), us(s.max));
    }

    /** ns as µs with three decimals, in integer arithmetic so nothing is rounded away. */
    static String us(long ns) {
        return (ns < 0 ? "-" : "") + Math.abs(ns) / 1000 + "." + String.format(ROOT, "%03d", Math.abs(ns) % 1000);
    }

    private static String usUnit(long[] sorted, int permille) {
        return sorted.length == 0 ? "-" : us(rank(sorted, permille)) + " us";
    }

    /** Each model's CPU0 figure over the baseline's; "n/a" when the baseline's is zero. */
    private static void ratio(StringBuilder o, List<LabResult> results, String what, ToLongFunction<Histogram> f) {
        LabResult base = results.stream().filter(r -> r.model().equals(BASELINE)).findFirst()
                .orElse(results.isEmpty() ? null : results.get(0));
        if (base == null || results.size() < 2) return;
        long b = f.applyAsLong(cpu0(base));
        StringBuilder parts = new StringBuilder();
        for (LabResult r : results) {
            if (r == base) continue;
            if (!parts.isEmpty()) parts.append(", ");
            long v = f.applyAsLong(cpu0(r));
            parts.append(r.model()).append(' ')
                    .append(b == 0 ? "n/a" : times((double) v / b));
        }
        o.append("ratio vs ").append(base.model()).append(" (CPU0 wakeup ").append(what).append("): ")
                .append(parts).append('\n');
    }

    /** 0.98x; a ratio under 0.01 keeps two significant digits (0.00014x) instead of reading 0.00x. */
    static String times(double ratio) {
        return (ratio >= 0.01 || ratio == 0 ? String.format(ROOT, "%.2f", ratio)
                : new BigDecimal(ratio).round(new MathContext(2)).toPlainString()) + "x";
    }

    // ---------------------------------------------------------------- statistics

    /** The figures every output shows; all zero for an empty histogram. */
    record Stats(long count, long min, long avg, long p50, long p99, long p999, long max) {
        static Stats of(Histogram h) {
            if (h.getTotalCount() == 0) return new Stats(0, 0, 0, 0, 0, 0, 0);
            return new Stats(h.getTotalCount(), h.getMinValue(), Math.round(h.getMean()),
                    h.getValueAtPercentile(50), h.getValueAtPercentile(99), h.getValueAtPercentile(99.9),
                    h.getMaxValue());
        }
    }

    private static Histogram cpu0(LabResult r) {
        return r.wakeupNs().length > 0 ? r.wakeupNs()[0] : new Histogram(3);
    }

    /** All CPUs in one auto-resizing histogram, at the finest precision among them. */
    static Histogram merged(Histogram[] hs) {
        int digits = Arrays.stream(hs).mapToInt(Histogram::getNumberOfSignificantValueDigits).max().orElse(3);
        Histogram m = new Histogram(digits);
        for (Histogram h : hs) m.add(h);
        return m;
    }

    private static long[] sorted(long[] v) {
        long[] s = v.clone();
        Arrays.sort(s);
        return s;
    }

    /** Nearest-rank percentile, in per mille so the rank is exact integer arithmetic. */
    static long rank(long[] sorted, int permille) {
        if (sorted.length == 0) return 0;
        long k = ((long) permille * sorted.length + 999) / 1000;
        return sorted[(int) Math.max(1, k) - 1];
    }

    // ---------------------------------------------------------------- JSON

    public static void writeJson(List<LabResult> results, LabConfig c, Path file) throws IOException {
        write(file, json(results, c));
    }

    /** The JSON text: keys in a fixed order, integers in ns, written by hand (no dependency). */
    public static String json(List<LabResult> results, LabConfig c) {
        Costs k = c.costs();
        StringBuilder o = new StringBuilder("{\n  \"config\": {");
        o.append("\"cpus\": ").append(c.cpus()).append(", \"duration_ns\": ").append(c.durationNs())
                .append(", \"interval_ns\": ").append(c.intervalNs()).append(", \"window_ns\": ").append(c.windowNs())
                .append(", \"seed\": ").append(c.seed()).append(", \"think_ns\": ").append(c.thinkNs())
                .append(", \"irqoff_gap_ns\": ").append(c.irqoffGapNs())
                .append(", \"irqoff_short_ns\": ").append(c.irqoffShortNs())
                .append(", \"irqoff_long_ns\": ").append(c.irqoffLongNs())
                .append(", \"irqoff_long_permille\": ").append(c.irqoffLongPermille())
                .append(",\n    \"costs\": {\"access_ns\": ").append(k.accessNs())
                .append(", \"atomic_ns\": ").append(k.atomicNs()).append(", \"ipi_send_ns\": ").append(k.ipiSendNs())
                .append(", \"ipi_latency_ns\": ").append(k.ipiLatencyNs())
                .append(", \"irq_entry_ns\": ").append(k.irqEntryNs()).append(", \"irq_exit_ns\": ").append(k.irqExitNs())
                .append(", \"context_switch_ns\": ").append(k.contextSwitchNs())
                .append(", \"callback_ns\": ").append(k.callbackNs()).append("}},\n  \"models\": [");
        for (int i = 0; i < results.size(); i++) {
            LabResult r = results.get(i);
            o.append(i == 0 ? "\n" : ",\n").append("    {\"model\": ").append(quote(r.model()))
                    .append(",\n     \"wakeup\": ").append(stats(Stats.of(merged(r.wakeupNs()))))
                    .append(",\n     \"wakeup_per_cpu\": [");
            for (int cpu = 0; cpu < r.wakeupNs().length; cpu++) {
                o.append(cpu == 0 ? "\n" : ",\n").append("       {\"cpu\": ").append(cpu).append(", ")
                        .append(stats(Stats.of(r.wakeupNs()[cpu])).substring(1));
            }
            long[] w = sorted(r.preemptOffMaxNs());
            o.append("],\n     \"preempt_off_window_max\": {\"p50_ns\": ").append(rank(w, 500))
                    .append(", \"p99_ns\": ").append(rank(w, 990)).append(", \"max_ns\": ").append(rank(w, 1000))
                    .append(", \"windows\": ").append(w.length).append("},\n     \"calls\": ").append(r.calls())
                    .append(", \"steps\": ").append(r.steps()).append(", \"simulated_ns\": ").append(r.simulatedNs())
                    .append(",\n     \"wakeup_cpu0_buckets\": ").append(buckets(LatencyPlot.select(r, true)))
                    .append(",\n     \"wakeup_other_cpus_buckets\": ").append(buckets(LatencyPlot.select(r, false)))
                    .append('}');   // no wall time: the same seed must give the same bytes
        }
        o.append(results.isEmpty() ? "]" : "\n  ]");
        LabResult base = baseline(results);
        if (base != null && results.size() > 1) {
            o.append(",\n  \"ratios\": {\"baseline\": ").append(quote(base.model()));
            ratios(o, results, base, "cpu0_wakeup_max", Histogram::getMaxValue);
            ratios(o, results, base, "cpu0_wakeup_p99", h -> h.getValueAtPercentile(99));
            o.append('}');
        }
        return o.append("\n}\n").toString();
    }

    /** The histogram's plotted bins with samples, {@code [{"lo_ns": .., "hi_ns": .., "count": ..}, ...]}. */
    private static String buckets(Histogram h) {
        StringBuilder o = new StringBuilder("[");
        for (long[] b : LatencyPlot.buckets(h)) {
            if (o.length() > 1) o.append(", ");
            o.append("{\"lo_ns\": ").append(b[0]).append(", \"hi_ns\": ").append(b[1]).append(", \"count\": ").append(b[2]).append('}');
        }
        return o.append(']').toString();
    }

    /** Each model's CPU0 figure over the baseline's, as a number; null when the baseline's is zero. */
    private static void ratios(StringBuilder o, List<LabResult> results, LabResult base, String key, ToLongFunction<Histogram> f) {
        long b = f.applyAsLong(cpu0(base));
        o.append(", ").append(quote(key)).append(": {");
        boolean first = true;
        for (LabResult r : results) {
            if (r == base) continue;
            if (!first) o.append(", ");
            first = false;
            long v = f.applyAsLong(cpu0(r));
            o.append(quote(r.model())).append(": ").append(b == 0 ? "null" : new BigDecimal((double) v / b).round(new MathContext(4)).stripTrailingZeros().toPlainString());
        }
        o.append('}');
    }

    private static LabResult baseline(List<LabResult> results) {
        return results.stream().filter(r -> r.model().equals(BASELINE)).findFirst().orElse(results.isEmpty() ? null : results.get(0));
    }

    private static String stats(Stats s) {
        return "{\"count\": " + s.count + ", \"min_ns\": " + s.min + ", \"avg_ns\": " + s.avg + ", \"p50_ns\": "
                + s.p50 + ", \"p99_ns\": " + s.p99 + ", \"p999_ns\": " + s.p999 + ", \"max_ns\": " + s.max + "}";
    }

    /** A JSON string literal (RFC 8259: quote, backslash and control characters escaped). */
    static String quote(String s) {
        StringBuilder o = new StringBuilder("\"");
        for (char ch : s.toCharArray()) {
            switch (ch) {
                case '"' -> o.append("\\\"");
                case '\\' -> o.append("\\\\");
                case '\n' -> o.append("\\n");
                case '\r' -> o.append("\\r");
                case '\t' -> o.append("\\t");
                default -> o.append(ch < 0x20 ? String.format(ROOT, "\\u%04x", (int) ch) : String.valueOf(ch));
            }
        }
        return o.append('"').toString();
    }

    private static void write(Path file, String text) throws IOException {
        Files.writeString(file, text, StandardCharsets.UTF_8);     // the command checked the path before the run
    }

    // ---------------------------------------------------------------- SVG

    public static void writeSvg(List<LabResult> results, LabConfig c, Path file) throws IOException {
        write(file, svg(results, c));
    }

    /** The plot ({@link LatencyPlot}): CPU0 first, the other CPUs merged below, p99 and max marked, the configuration on it. */
    public static String svg(List<LabResult> results, LabConfig c) {
        return LatencyPlot.svg(results, c);
    }
}
