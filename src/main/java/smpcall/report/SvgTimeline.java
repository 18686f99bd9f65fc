package smpcall.report;

import java.util.List;
import java.util.Locale;

import smpcall.machine.Finding;
import smpcall.machine.TraceEvent;

/**
 * A run as one SVG picture: CPUs as lanes, time across. On each CPU's lane the tasks that ran
 * (a colour per task), the interrupt handlers and csd functions inside them, and under it two
 * thin strips for preemption-off and irqs-off spans; IPIs and queued csds as arrows from the
 * sending slice to the handling one; a preemption as a "P" above the lane, a migration as a
 * green triangle on the CPU it lands on; each finding as a red line across all lanes, its
 * step circled on its CPU. Hovering a mark shows its name and times.
 */
public final class SvgTimeline {
    static final int LEFT = 96, WIDTH = 1000, TOP = 34, ROW = 54, BAR = 24;

    private SvgTimeline() {}

    public static String svg(Lanes l, List<TraceEvent> events) {
        int height = TOP + l.nrCpus * ROW + 30;
        double scale = l.endNs == 0 ? 1 : (double) WIDTH / l.endNs;
        StringBuilder b = new StringBuilder();
        b.append(String.format(Locale.ROOT, "<svg xmlns=\"http://www.w3.org/2000/svg\" class=\"timeline\" width=\"%d\" height=\"%d\" "
                + "viewBox=\"0 0 %d %d\" font-family=\"monospace\" font-size=\"11\">%n", LEFT + WIDTH + 20, height, LEFT + WIDTH + 20, height));
        b.append("<defs><marker id=\"arrow\" viewBox=\"0 0 10 10\" refX=\"9\" refY=\"5\" markerWidth=\"6\" markerHeight=\"6\" "
                + "orient=\"auto-start-reverse\"><path d=\"M0,0 L10,5 L0,10 z\" fill=\"#1f5fbf\"/></marker></defs>\n");
        axis(b, l.endNs, scale, height);
        for (int cpu = 0; cpu < l.nrCpus; cpu++) {
            int y = TOP + cpu * ROW;
            b.append(String.format(Locale.ROOT, "<text class=\"cpu\" x=\"4\" y=\"%d\">CPU%d</text>%n", y + 16, cpu));
            b.append(String.format(Locale.ROOT, "<rect x=\"%d\" y=\"%d\" width=\"%d\" height=\"%d\" fill=\"#f4f4f4\"/>%n", LEFT, y, WIDTH, BAR));
        }
        for (Lanes.Slice s : l.slices) slice(b, s, scale);
        for (Lanes.Flow f : l.flows) {
            double x1 = x(f.from().startNs(), scale), x2 = x(f.to().startNs(), scale);
            int y1 = mid(f.from().cpu()), y2 = mid(f.to().cpu());
            b.append(String.format(Locale.ROOT, "<line class=\"flow\" x1=\"%.1f\" y1=\"%d\" x2=\"%.1f\" y2=\"%d\" stroke=\"#1f5fbf\" "
                    + "stroke-width=\"1.2\" marker-end=\"url(#arrow)\"><title>%s: %s to %s</title></line>%n",
                    x1, y1, x2 + (x2 == x1 ? 0.01 : 0), y2, esc(f.kind()), esc(f.from().name()), esc(f.to().name())));
        }
        for (TraceEvent e : events) marks(b, e, scale);
        for (Finding f : l.findings) finding(b, f, scale, height);
        b.append("</svg>\n");
        return b.toString();
    }

    private static void axis(StringBuilder b, long endNs, double scale, int height) {
        for (int i = 0; i <= 5; i++) {
            long t = endNs * i / 5;
            double x = x(t, scale);
            b.append(String.format(Locale.ROOT, "<line x1=\"%.1f\" y1=\"%d\" x2=\"%.1f\" y2=\"%d\" stroke=\"#ddd\"/>%n", x, TOP - 6, x, height - 24));
            b.append(String.format(Locale.ROOT, "<text x=\"%.1f\" y=\"%d\" text-anchor=\"middle\" fill=\"#555\">%s</text>%n",
                    x, height - 10, time(t)));
        }
    }

    private static void slice(StringBuilder b, Lanes.Slice s, double scale) {
        double x = x(s.startNs(), scale), w = Math.max(1, s.durNs() * scale);
        int y = TOP + s.cpu() * ROW;
        String fill;
        int top, h;
        switch (s.kind()) {
            case TASK -> { fill = colour(s.pid()); top = y; h = BAR; }
            case HARDIRQ -> { fill = "#6b6b6b"; top = y + 4; h = BAR - 8; }
            case CSD_FUNCTION -> { fill = "#2e2e2e"; top = y + 7; h = BAR - 14; }
            case SEND -> { fill = "#1f5fbf"; top = y + 9; h = BAR - 18; }
            case PREEMPT_OFF -> { fill = "#e8a33d"; top = y + BAR + 3; h = 6; }
            default -> { fill = "#c8463d"; top = y + BAR + 11; h = 6; }
        }
        b.append(String.format(Locale.ROOT, "<rect class=\"slice %s\" x=\"%.1f\" y=\"%d\" width=\"%.1f\" height=\"%d\" fill=\"%s\">"
                        + "<title>%s %s to %s</title></rect>%n", s.kind().name().toLowerCase(Locale.ROOT), x, top, w, h, fill,
                esc(s.name()), time(s.startNs()), time(s.endNs())));
        if (s.kind() == Lanes.Kind.TASK && w > 7.5 * s.name().length())
            b.append(String.format(Locale.ROOT, "<text x=\"%.1f\" y=\"%d\" fill=\"#111\">%s</text>%n", x + 3, y + BAR - 8, esc(s.name())));
    }

    /** Preemptions and migrations, from the trace events. */
    private static void marks(StringBuilder b, TraceEvent e, double scale) {
        double x = x(e.timestampNs(), scale);
        if (e.name().equals("sched_switch") && e.fields().contains("prev_state=R+")) {
            int y = TOP + e.cpu() * ROW - 3;
            b.append(String.format(Locale.ROOT, "<text class=\"preempt\" x=\"%.1f\" y=\"%d\" fill=\"#7b2fa8\" text-anchor=\"middle\" "
                    + "font-weight=\"bold\">P<title>%s preempted at %s</title></text>%n", x, y, esc(e.comm()), time(e.timestampNs())));
        } else if (e.name().equals("sched_migrate_task")) {
            int dest = Integer.parseInt(field(e.fields(), "dest_cpu="));
            int y = TOP + dest * ROW;
            b.append(String.format(Locale.ROOT, "<path class=\"migrate\" d=\"M%.1f,%d l-5,-8 h10 z\" fill=\"#2c9a4b\"><title>%s migrates "
                    + "from CPU%s to CPU%d at %s</title></path>%n", x, y, esc(field(e.fields(), "comm=")),
                    field(e.fields(), "orig_cpu="), dest, time(e.timestampNs())));
        }
    }

    private static void finding(StringBuilder b, Finding f, double scale, int height) {
        double x = x(f.timestampNs(), scale);
        b.append(String.format(Locale.ROOT, "<g class=\"finding\"><line x1=\"%.1f\" y1=\"%d\" x2=\"%.1f\" y2=\"%d\" stroke=\"#d00\" "
                        + "stroke-width=\"2\"/><circle cx=\"%.1f\" cy=\"%d\" r=\"7\" fill=\"none\" stroke=\"#d00\" stroke-width=\"2\"/>"
                        + "<text x=\"%.1f\" y=\"%d\" fill=\"#d00\" text-anchor=\"%s\">%s</text><title>%s</title></g>%n",
                x, TOP - 14, x, height - 24, x, mid(f.cpu()), x, TOP - 18, x > LEFT + WIDTH / 2.0 ? "end" : "start",
                esc(f.property().name() + " at step " + f.step() + " on CPU" + f.cpu()), esc(f.summary())));
    }

    private static double x(long ns, double scale) { return LEFT + ns * scale; }

    private static int mid(int cpu) { return TOP + cpu * ROW + BAR / 2; }

    /** A colour per task, the same for a pid in every picture. */
    static String colour(int pid) {
        int hue = Math.floorMod(pid * 67, 360);
        return "hsl(" + hue + ",55%,72%)";
    }

    static String time(long ns) {
        if (ns < 1_000) return ns + " ns";
        if (ns < 10_000_000) return String.format(Locale.ROOT, "%.1f us", ns / 1e3);
        return String.format(Locale.ROOT, "%.3f ms", ns / 1e6);
    }

    private static String field(String fields, String key) {
        int i = fields.indexOf(key);
        if (i < 0) return "?";
        int end = fields.indexOf(' ', i);
        return fields.substring(i + key.length(), end < 0 ? fields.length() : end);
    }

    /** Text for XML and HTML. */
    static String esc(String s) {
        return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\"", "&quot;");
    }
}
