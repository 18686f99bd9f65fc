package smpcall.report;

import java.util.List;

import smpcall.machine.TraceEvent;

/**
 * A run as a per-CPU timeline: one column per CPU, one row per trace event, the event in the
 * column of the CPU it happened on. Reads like the side-by-side diagrams of commit messages.
 */
public final class Timeline {
    private static final int WIDTH = 34;

    private Timeline() {}

    public static String text(List<TraceEvent> events, List<smpcall.machine.Finding> findings, int nrCpus) {
        StringBuilder out = new StringBuilder();
        out.append(String.format("%12s ", "time"));
        for (int c = 0; c < nrCpus; c++) out.append(pad("| CPU" + c));
        out.append('\n');
        int f = 0;
        for (TraceEvent e : events) {
            while (f < findings.size() && findings.get(f).timestampNs() < e.timestampNs()) row(out, findings.get(f++), nrCpus);
            long us = (e.timestampNs() + 500) / 1000;
            out.append(String.format("%5d.%06d ", us / 1_000_000, us % 1_000_000));
            for (int c = 0; c < nrCpus; c++) out.append(pad(c == e.cpu() ? "| " + cell(e) : "|"));
            out.append('\n');
        }
        while (f < findings.size()) row(out, findings.get(f++), nrCpus);
        return out.toString();
    }

    /** A finding, as a row of its own: the property and the task, in the column of its CPU. */
    private static void row(StringBuilder out, smpcall.machine.Finding f, int nrCpus) {
        long us = (f.timestampNs() + 500) / 1000;
        out.append(String.format("%5d.%06d ", us / 1_000_000, us % 1_000_000));
        for (int c = 0; c < nrCpus; c++) out.append(pad(c == f.cpu() ? "| !! " + f.property().name() + " " + f.comm() : "|"));
        out.append('\n');
    }

    /** The event, short: who, then the event with its most telling field. */
    private static String cell(TraceEvent e) {
        String who = e.pid() == 0 ? "idle" : e.comm();
        String what = switch (e.name()) {
            case "sched_switch" -> "switch -> " + field(e.fields(), "next_comm=");
            case "sched_wakeup" -> "wakeup " + field(e.fields(), "comm=");
            case "sched_migrate_task" -> "migrate " + field(e.fields(), "comm=") + " " + field(e.fields(), "orig_cpu=")
                    + "->" + field(e.fields(), "dest_cpu=");
            case "csd_queue_cpu" -> "queue csd to CPU" + field(e.fields(), "cpu=");
            case "ipi_send_cpu" -> "IPI to CPU" + field(e.fields(), "cpu=");
            case "ipi_send_cpumask" -> "IPI to mask " + field(e.fields(), "cpumask=");
            case "csd_function_entry" -> "run " + field(e.fields(), "func=").replace(",", "");
            case "csd_function_exit" -> "done " + field(e.fields(), "func=").replace(",", "");
            case "cpuhp_enter" -> "cpuhp " + e.fields().replaceAll(".*\\((.*)\\)", "$1");
            case "cpuhp_exit" -> "cpuhp done";
            default -> e.name();
        };
        return (who + " " + what + (e.irqsOff() ? " [irqs off]" : ""));
    }

    private static String field(String fields, String key) {
        int i = fields.indexOf(key);
        if (i < 0) return "?";
        int end = fields.indexOf(' ', i);
        return fields.substring(i + key.length(), end < 0 ? fields.length() : end);
    }

    private static String pad(String s) {
        if (s.length() > WIDTH - 1) s = s.substring(0, WIDTH - 2) + "~";
        return s + " ".repeat(WIDTH - s.length());
    }
}
