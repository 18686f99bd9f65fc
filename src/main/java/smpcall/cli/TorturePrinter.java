package smpcall.cli;

import java.io.PrintWriter;
import java.util.List;

import smpcall.machine.Finding;
import smpcall.machine.RunResult;
import smpcall.machine.TraceEvent;
import smpcall.report.Ftrace;
import smpcall.torture.Torture;

/** What {@code torture} and the replay of a torture run-id print. */
final class TorturePrinter {
    /** How many trace events before the first finding a replay shows. */
    static final int TRACE_TAIL = 200;

    private TorturePrinter() {}

    /**
     * The kernel log as scftorture fills it, the findings, a summary line and the run-id (with
     * a "reproduce with" line on failure). With {@code trace} (a replay), the ftrace lines of
     * the last events before the first finding come first: the interleaving that caused it.
     */
    static int print(Torture.Result r, PrintWriter out, boolean trace) {
        if (trace) {
            List<TraceEvent> events = r.machine().trace();
            List<TraceEvent> tail = events.subList(Math.max(0, events.size() - TRACE_TAIL), events.size());
            out.print(Ftrace.header(tail.size(), r.run().params().cpus()));
            if (tail.size() < events.size())
                out.println("# the last " + tail.size() + " of " + events.size() + " events");
            for (TraceEvent e : tail) out.println(Ftrace.line(e));
            out.println();
        }
        for (String line : r.console()) out.println(line);
        out.println();
        var p = r.run().params();
        out.printf("torture: %s, %d CPUs, %d threads, %s: %s, %d handler invocations, %d steps, %.6f s of virtual time%n",
                r.run().model(), p.cpus(), p.threads(), how(r), r.verdict(), r.invoked(), r.machine().steps(),
                r.machine().endNs() / 1e9);
        findings(r, out);
        out.flush();
        return status(r);
    }

    private static String how(Torture.Result r) {
        return switch (r.machine().end()) {
            case COMPLETED -> r.interrupted() ? "stopped early by Ctrl-C" : "ran to its end";
            case FINDING -> "stopped at its first finding";
            case HANG -> "hung";
            case MODEL_ERROR -> "stopped: the model failed";
            default -> "ended: " + r.machine().end().name().toLowerCase(java.util.Locale.ROOT).replace('_', ' ');
        };
    }

    /** The findings, one line each, then the run-id and, on failure, how to see it again. */
    static void findings(Torture.Result r, PrintWriter out) {
        for (Finding f : r.findings()) out.println("finding: " + f.summary());
        out.println("run-id: " + r.run().id());
        if (!r.verdict().equals("SUCCESS"))
            out.println("reproduce with: ./smpcall replay " + r.run().id() + "   (adds the trace before the first finding)");
    }

    /** --report: the test's kernel log, summary and findings as a page. */
    static void report(Torture.Result r, java.nio.file.Path dir) throws java.io.IOException {
        var p = r.run().params();
        java.util.List<String> lines = new java.util.ArrayList<>();
        for (Finding f : r.findings()) lines.add(f.summary());
        lines.add("run-id: " + r.run().id());
        smpcall.report.HtmlReport.torture(dir, "smpcall torture: " + r.run().model() + ", " + r.verdict(), r.console(),
                String.format("%d CPUs, %d threads, %s, %d handler invocations, %d steps", p.cpus(), p.threads(), r.verdict(),
                        r.invoked(), r.machine().steps()), lines);
    }

    static int status(Torture.Result r) {
        if (r.machine().end() == RunResult.End.MODEL_ERROR) return Main.INTERNAL_ERROR;
        if (!r.verdict().equals("SUCCESS")) return 1;
        return r.interrupted() ? 3 : 0;      // a test cut short by Ctrl-C found nothing, but did not run its length
    }
}
