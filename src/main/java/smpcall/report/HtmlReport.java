package smpcall.report;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Set;

import smpcall.check.Counterexample;
import smpcall.check.SearchResult;
import smpcall.check.VerifySuite;
import smpcall.kernel.Property;
import smpcall.lab.LabConfig;
import smpcall.lab.LabResult;
import smpcall.machine.Finding;
import smpcall.machine.RunResult;
import smpcall.machine.TraceEvent;

/**
 * {@code --report DIR}: a self-contained HTML report (no network, no script, no external
 * style): {@code index.html}, and for every counterexample a page of its own with the SVG
 * timeline of its run ({@link SvgTimeline}) and, beside it, its ftrace lines (those at the
 * finding's time marked) and its kernel log.
 */
public final class HtmlReport {
    private HtmlReport() {}

    private static final String STYLE = """
            body{font-family:system-ui,sans-serif;margin:24px;color:#111;max-width:1400px}
            h1{font-size:20px}h2{font-size:16px;margin-top:28px}
            table{border-collapse:collapse;font-size:13px}td,th{border:1px solid #ccc;padding:4px 8px;text-align:left}
            td.verified{background:#e3f4e3}td.ok{background:#f4f4dc}td.caught{background:#e3ecf8}td.found{background:#f8dcdc}
            pre{font-size:11px;background:#fafafa;border:1px solid #ddd;padding:8px;overflow:auto;max-height:560px}
            .side{display:flex;gap:16px;align-items:flex-start}.side>div{flex:1;min-width:0}
            mark{background:#ffd24d}.finding-line{color:#b00;font-weight:bold}.legend span{margin-right:14px}
            """;

    static String page(String title, String body) {
        return "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n<title>" + esc(title) + "</title>\n<style>\n"
                + STYLE + "</style>\n</head>\n<body>\n<h1>" + esc(title) + "</h1>\n" + body + "</body>\n</html>\n";
    }

    private static String esc(String s) { return SvgTimeline.esc(s); }

    private static void write(Path dir, String file, String html) throws IOException {
        Files.createDirectories(dir);
        Files.writeString(dir.resolve(file), html);
    }

    private static final String LEGEND = "<p class=\"legend\"><span>bars: the task running on each CPU</span>"
            + "<span>grey inside: interrupt handler, dark: csd function, blue: IPI send</span>"
            + "<span style=\"color:#e8a33d\">strip: preemption off</span><span style=\"color:#c8463d\">strip: irqs off</span>"
            + "<span style=\"color:#1f5fbf\">arrow: IPI or csd to its handler</span><span style=\"color:#7b2fa8\">P: preempted</span>"
            + "<span style=\"color:#2c9a4b\">triangle: migrated here</span><span style=\"color:#d00\">red: the finding</span></p>\n";

    /** The page of one run: its findings, its timeline, its ftrace lines and kernel log side by side. */
    public static String runPage(String title, RunResult r, int nrCpus, String runId) {
        StringBuilder b = new StringBuilder();
        b.append("<p>run-id: <code>").append(esc(runId)).append("</code> (<code>./smpcall replay ").append(esc(runId))
                .append("</code> prints it again)</p>\n");
        for (Finding f : r.findings()) b.append("<p class=\"finding-line\">").append(esc(f.summary())).append("</p>\n");
        b.append(LEGEND);
        b.append(SvgTimeline.svg(Lanes.of(r, nrCpus), r.trace()));
        b.append("<div class=\"side\">\n<div><h2>ftrace</h2><pre class=\"ftrace\">");
        b.append(esc(Ftrace.header(r.trace().size(), nrCpus)));
        Set<Long> at = new java.util.HashSet<>();
        for (Finding f : r.findings()) at.add((f.timestampNs() + 500) / 1000);
        for (TraceEvent e : r.trace()) {
            String line = esc(Ftrace.line(e));
            b.append(at.contains((e.timestampNs() + 500) / 1000) ? "<mark>" + line + "</mark>" : line).append('\n');
        }
        b.append("</pre></div>\n<div><h2>kernel log</h2><pre class=\"log\">");
        for (String line : r.console()) b.append(esc(line)).append('\n');
        b.append(esc(RunReport.summary(r))).append("\n</pre></div>\n</div>\n");
        return page(title, b.toString());
    }

    /** verify: the matrix, each entry with a counterexample linked to its page. */
    public static void verify(Path dir, List<VerifySuite.Row> rows, List<String> models, List<VerifySuite.Entry> entries,
                              java.util.function.Function<String, RunResult> replay) throws IOException {
        StringBuilder b = new StringBuilder("<p>Every built-in scenario (each knob variant a row) on each model: "
                + "<b>verified</b> where the exhaustive search covered every interleaving, <b>OK</b> where it was cut and "
                + "random runs found nothing either, <b>caught</b> the violations a negative scenario expects, <b>FOUND</b> "
                + "the others. A linked entry opens its counterexample.</p>\n<table>\n<tr><th>scenario</th>");
        for (String m : models) b.append("<th>").append(esc(m)).append("</th>");
        b.append("</tr>\n");
        int n = 0;
        for (VerifySuite.Row row : rows) {
            b.append("<tr><td>").append(esc(row.name())).append("</td>");
            for (String m : models) {
                VerifySuite.Entry e = entries.stream().filter(x -> x.row() == row && x.model().equals(m)).findFirst().orElse(null);
                if (e == null) {
                    b.append("<td>-</td>");
                    continue;
                }
                String cls = e.found().isEmpty() ? (e.exhaustive() ? "verified" : "ok") : e.asExpected() ? "caught" : "found";
                String text = e.found().isEmpty() ? (e.exhaustive() ? "verified" : "OK")
                        : (e.asExpected() ? "caught " : "FOUND ") + props(e.found());
                String counts = VerifyMatrix.count(e.executions()) + " executions"
                        + (e.states() > 0 ? ", " + VerifyMatrix.count(e.states()) + " states" : "")
                        + String.format(Locale.ROOT, ", %.1f s", e.seconds());
                b.append("<td class=\"").append(cls).append("\">");
                String id = e.firstId() != null ? e.firstId() : e.caughtId();
                if (id != null) {
                    String file = "cx-" + (++n) + ".html";
                    write(dir, file, runPage(m + " on " + row.name() + ": " + text, replay.apply(id),
                            row.knobs().apply(row.scenario().config()).nrCpus(), id));
                    b.append("<a href=\"").append(file).append("\">").append(esc(text)).append("</a>");
                } else {
                    b.append(esc(text));
                }
                b.append("<br><small>").append(esc(counts)).append("</small></td>");
            }
            b.append("</tr>\n");
        }
        b.append("</table>\n");
        write(dir, "index.html", page("smpcall verify", b.toString()));
    }

    private static String props(Set<Property> ps) {
        return String.join(",", ps.stream().sorted().map(Enum::name).toList());
    }

    /** check: the verdict, and the counterexample's page as the index when there is one. */
    public static void check(Path dir, String title, SearchResult r, String verdictLine) throws IOException {
        Counterexample cx = r.counterexample();
        if (cx == null) {
            write(dir, "index.html", page(title, "<p>" + esc(verdictLine) + "</p>\n<p>No counterexample.</p>\n"));
            return;
        }
        String html = runPage(title + ": " + cx.finding().summary(), cx.result(), cx.spec().config().nrCpus(), cx.runId());
        write(dir, "index.html", html.replace("</h1>\n", "</h1>\n<p>" + esc(verdictLine) + "</p>\n"));
    }

    /** latency: the configuration, the tables and the histogram plot. */
    public static void latency(Path dir, List<LabResult> results, LabConfig c) throws IOException {
        String body = "<p>Model figures under the cost model of docs/cost-model.md (virtual time), not measurements of a "
                + "machine.</p>\n<h2>configuration</h2>\n<pre>" + esc(LatencyReport.configuration(c)) + "</pre>\n"
                + "<h2>wakeup latency, CPU0 and the other CPUs</h2>\n" + LatencyReport.svg(results, c).replaceFirst("^<\\?xml[^>]*>\n", "")
                + "<h2>tables</h2>\n<pre class=\"latency\">" + esc(LatencyReport.table(results, c)) + "</pre>\n";
        write(dir, "index.html", page("smpcall latency", body));
    }

    /** torture: scftorture's kernel log and the verdict (a failure's timeline: replay its run-id with trace). */
    public static void torture(Path dir, String title, List<String> console, String summary, List<String> tail) throws IOException {
        StringBuilder b = new StringBuilder();
        for (String line : tail) b.append("<p class=\"finding-line\">").append(esc(line)).append("</p>\n");
        b.append("<pre class=\"log\">");
        for (String line : console) b.append(esc(line)).append('\n');
        b.append(esc(summary)).append("\n</pre>\n");
        write(dir, "index.html", page(title, b.toString()));
    }
}
