package smpcall.report;

import static java.util.Locale.ROOT;

import java.math.BigDecimal;
import java.util.List;

import org.HdrHistogram.Histogram;
import org.HdrHistogram.HistogramIterationValue;

import smpcall.lab.LabConfig;
import smpcall.lab.LabResult;

/**
 * The latency lab's picture: per model, the wakeup latency histogram as a step line on
 * log-log axes, CPU0 (where the caller runs) first and the other CPUs merged below it. Lines
 * that overlap stay visible: each model is drawn wider than the next, in its own colour and
 * dash, the widest first. Each model's p99 (dashed) and maximum (triangle) are marked on the
 * axis and given in the legend; the configuration and "model figures under the cost model"
 * are on the picture. Deterministic: StrictMath, Locale.ROOT, no timestamps.
 */
final class LatencyPlot {
    private static final String[] COLOURS = {"#1f77b4", "#d62728", "#2ca02c", "#ff7f0e", "#9467bd", "#8c564b",
            "#e377c2", "#7f7f7f", "#bcbd22", "#17becf"};
    private static final String[] DASHES = {"", "7 4", "2 3", "10 3 2 3"};
    private static final int BINS = 10;                                   // log bins per decade
    private static final int W = 980, LEFT = 70, RIGHT = 620, PANEL = 300, GAP = 110, TOP = 50;

    private LatencyPlot() {}

    static String svg(List<LabResult> results, LabConfig c) {
        boolean others = results.stream().anyMatch(r -> r.wakeupNs().length > 1);
        int panels = others ? 2 : 1;
        int height = TOP + panels * (PANEL + GAP) + 40;
        StringBuilder o = new StringBuilder("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n");
        o.append(String.format(ROOT, "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"%d\" height=\"%d\" "
                + "viewBox=\"0 0 %d %d\" font-family=\"sans-serif\" font-size=\"12\">\n", W, height, W, height));
        o.append("<rect width=\"100%\" height=\"100%\" fill=\"white\"/>\n");
        panel(o, results, TOP, "CPU0 wakeup latency", "wakeup latency on CPU0 (µs, log scale)", "cpu0", true);
        if (others) {
            int n = results.stream().mapToInt(r -> r.wakeupNs().length).max().orElse(1);
            panel(o, results, TOP + PANEL + GAP, "CPUs 1-" + (n - 1) + " wakeup latency (merged)",
                    "wakeup latency on CPUs 1-" + (n - 1) + " (µs, log scale)", "others", false);
        }
        int y = height - 28;
        if (c != null) {
            o.append(String.format(ROOT, "<text class=\"config\" x=\"%d\" y=\"%d\">%s</text>\n", LEFT, y, xml(String.format(ROOT,
                    "%d CPUs, %s of virtual time, measuring every %s, seed %d; CPU0 cross-calls the others, which run with irqs "
                            + "off now and then", c.cpus(), LatencyReport.dur(c.durationNs()), LatencyReport.dur(c.intervalNs()), c.seed()))));
        }
        o.append(String.format(ROOT, "<text class=\"caveat\" x=\"%d\" y=\"%d\" font-style=\"italic\">model figures under the "
                + "cost model of docs/cost-model.md (virtual time), not measurements of a machine</text>\n", LEFT, y + 16));
        return o.append("</svg>\n").toString();
    }

    static Histogram select(LabResult r, boolean cpu0) {
        Histogram[] hs = r.wakeupNs();
        if (cpu0) return hs.length > 0 ? hs[0] : new Histogram(3);
        Histogram m = new Histogram(3);
        for (int i = 1; i < hs.length; i++) m.add(hs[i]);
        return m;
    }

    private static void panel(StringBuilder o, List<LabResult> results, int top, String title, String xLabel, String cls,
                              boolean cpu0) {
        int bottom = top + PANEL;
        List<Histogram> hs = results.stream().map(r -> select(r, cpu0)).toList();
        long maxNs = hs.stream().mapToLong(Histogram::getMaxValue).max().orElse(0);
        int xd = Math.max(1, decadesAbove(maxNs / 1000.0));
        long[][] bins = new long[results.size()][xd * BINS];
        long maxCount = 1;
        for (int m = 0; m < results.size(); m++) {
            for (HistogramIterationValue v : hs.get(m).recordedValues()) {
                int b = bin(v.getValueIteratedTo(), xd);
                bins[m][b] += v.getCountAddedInThisIterationStep();
                maxCount = Math.max(maxCount, bins[m][b]);
            }
        }
        int yd = Math.max(1, decadesAbove(maxCount));
        o.append(String.format(ROOT, "<text x=\"%d\" y=\"%d\" text-anchor=\"middle\" font-size=\"16\">%s</text>\n",
                (LEFT + RIGHT) / 2, top - 18, xml(title)));
        for (int d = 0; d <= xd; d++) {
            double x = x(d * BINS, xd);
            o.append(String.format(ROOT, "<line x1=\"%.1f\" y1=\"%d\" x2=\"%.1f\" y2=\"%d\" stroke=\"#ddd\"/>"
                    + "<text x=\"%.1f\" y=\"%d\" text-anchor=\"middle\">%s</text>\n",
                    x, top, x, bottom + 5, x, bottom + 20, BigDecimal.ONE.movePointRight(d).toPlainString()));
        }
        for (int d = 0; d <= yd; d++) {
            double y = y(d, yd, top);
            o.append(String.format(ROOT, "<line x1=\"%d\" y1=\"%.1f\" x2=\"%d\" y2=\"%.1f\" stroke=\"#ddd\"/>"
                    + "<text x=\"%d\" y=\"%.1f\" text-anchor=\"end\">%s</text>\n",
                    LEFT - 5, y, RIGHT, y, LEFT - 8, y + 4, BigDecimal.ONE.movePointRight(d).toPlainString()));
        }
        o.append(String.format(ROOT, "<line x1=\"%d\" y1=\"%d\" x2=\"%d\" y2=\"%d\" stroke=\"black\"/>"
                + "<line x1=\"%d\" y1=\"%d\" x2=\"%d\" y2=\"%d\" stroke=\"black\"/>\n", LEFT, bottom, RIGHT, bottom, LEFT, top, LEFT, bottom));
        o.append(String.format(ROOT, "<text x=\"%d\" y=\"%d\" text-anchor=\"middle\">%s</text>\n", (LEFT + RIGHT) / 2, bottom + 40, xml(xLabel)));
        o.append(String.format(ROOT, "<text x=\"20\" y=\"%d\" text-anchor=\"middle\" transform=\"rotate(-90 20 %d)\">"
                + "count (log scale)</text>\n", (top + bottom) / 2, (top + bottom) / 2));
        int n = results.size();
        for (int m = 0; m < n; m++) {
            String colour = COLOURS[m % COLOURS.length], dash = DASHES[m % DASHES.length];
            double width = 1.5 + 2.5 * (n - 1 - m);                          // the first model widest, drawn first
            StringBuilder pts = new StringBuilder(String.format(ROOT, "%.1f,%.1f", x(0, xd), (double) bottom));
            for (int b = 0; b < bins[m].length; b++) {
                double y = bins[m][b] == 0 ? bottom : y(StrictMath.log10(bins[m][b]), yd, top);
                pts.append(String.format(ROOT, " %.1f,%.1f %.1f,%.1f", x(b, xd), y, x(b + 1, xd), y));
            }
            pts.append(String.format(ROOT, " %.1f,%.1f", x(bins[m].length, xd), (double) bottom));
            String name = xml(results.get(m).model());
            o.append(String.format(ROOT, "<polyline class=\"model %s\" data-model=\"%s\" fill=\"none\" stroke=\"%s\" "
                    + "stroke-width=\"%.1f\" stroke-opacity=\"0.85\"%s points=\"%s\"/>\n", cls, name, colour, width,
                    dash.isEmpty() ? "" : " stroke-dasharray=\"" + dash + "\"", pts));
            Histogram h = hs.get(m);
            long p99 = h.getTotalCount() == 0 ? 0 : h.getValueAtPercentile(99), max = h.getMaxValue();
            if (h.getTotalCount() > 0) {                                   // p99 dashed, max a triangle, under the axis
                double xp = binMiddle(bin(p99, xd), xd), xm = binMiddle(bin(max, xd), xd);
                int ty = bottom + 24 + 9 * m;
                o.append(String.format(ROOT, "<line class=\"p99\" x1=\"%.1f\" y1=\"%d\" x2=\"%.1f\" y2=\"%d\" stroke=\"%s\" "
                        + "stroke-dasharray=\"3 2\"/><path class=\"max\" d=\"M%.1f,%d l-4,7 h8 z\" fill=\"%s\"/>\n",
                        xp, top, xp, bottom, colour, xm, ty - 7, colour));
            }
            int ly = top + 10 + 40 * m;
            o.append(String.format(ROOT, "<line x1=\"%d\" y1=\"%d\" x2=\"%d\" y2=\"%d\" stroke=\"%s\" stroke-width=\"%.1f\"%s/>"
                    + "<text class=\"legend\" x=\"%d\" y=\"%d\">%s</text><text class=\"marks\" x=\"%d\" y=\"%d\" fill=\"#444\">"
                    + "p99 %s, max %s</text>\n", RIGHT + 20, ly, RIGHT + 50, ly, colour, Math.min(width, 5),
                    dash.isEmpty() ? "" : " stroke-dasharray=\"" + dash + "\"", RIGHT + 58, ly + 4, name,
                    RIGHT + 58, ly + 19, time(p99), time(max)));
        }
    }

    /** 850 ns, 2.2 us, 10.4 ms: a figure of the legend, to three significant places or so. */
    static String time(long ns) {
        if (ns < 1_000) return ns + " ns";
        if (ns < 1_000_000) return String.format(ROOT, "%.1f us", ns / 1e3);
        if (ns < 1_000_000_000) return String.format(ROOT, "%.1f ms", ns / 1e6);
        return String.format(ROOT, "%.2f s", ns / 1e9);
    }

    /**
     * The plot's bins of {@code h} that hold samples, as {lo_ns, hi_ns, count}: ten a decade
     * from 1 µs, the first from 0 (so the JSON holds what the picture draws).
     */
    static List<long[]> buckets(Histogram h) {
        java.util.TreeMap<Integer, Long> counts = new java.util.TreeMap<>();
        for (HistogramIterationValue v : h.recordedValues()) {
            double us = v.getValueIteratedTo() / 1000.0;
            int b = us <= 1 ? 0 : (int) Math.floor(StrictMath.log10(us) * BINS);
            counts.merge(b, v.getCountAddedInThisIterationStep(), Long::sum);
        }
        List<long[]> out = new java.util.ArrayList<>();
        for (var e : counts.entrySet()) {
            int b = e.getKey();
            out.add(new long[] {b == 0 ? 0 : edgeNs(b), edgeNs(b + 1), e.getValue()});
        }
        return out;
    }

    private static long edgeNs(int bin) { return Math.round(1000 * StrictMath.pow(10, bin / (double) BINS)); }

    private static int bin(long ns, int xd) {
        double us = ns / 1000.0;
        int b = us <= 1 ? 0 : (int) Math.floor(StrictMath.log10(us) * BINS);
        return Math.min(Math.max(b, 0), xd * BINS - 1);
    }

    private static int decadesAbove(double v) {
        int d = 0;
        while (StrictMath.pow(10, d) < v) d++;
        return d;
    }

    private static double x(int bin, int decades) {
        return LEFT + (double) bin / (decades * BINS) * (RIGHT - LEFT);
    }

    private static double binMiddle(int bin, int decades) { return (x(bin, decades) + x(bin + 1, decades)) / 2; }

    private static double y(double log, int decades, int top) {
        return top + PANEL - (log + 0.5) / (decades + 0.5) * PANEL;
    }

    private static String xml(String s) {
        return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\"", "&quot;").replace("'", "&apos;");
    }
}
