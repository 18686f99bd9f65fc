package smpcall.report;

import java.util.List;

import smpcall.machine.RunResult;

/**
 * The text of one run, as {@code smpcall run} and {@code smpcall replay} print it: the
 * ftrace buffer, the kernel log (the findings in the kernel's words among the other printk
 * lines, in time order), a summary line, and the run-id last.
 */
public final class RunReport {
    private RunReport() {}

    public static String text(RunResult r, int nrCpus, String runId) {
        StringBuilder out = new StringBuilder();
        Ftrace.write(r.trace(), nrCpus, out);
        out.append('\n');
        for (String line : r.console()) out.append(line).append('\n');
        out.append(summary(r)).append('\n');
        out.append("run-id: ").append(runId).append('\n');
        return out.toString();
    }

    /** {@code end: completed, 153 steps, 0 findings} or the properties found. */
    public static String summary(RunResult r) {
        List<String> props = r.findings().stream().map(f -> f.property().name()).distinct().toList();
        return "end: " + r.end().name().toLowerCase().replace('_', ' ') + ", " + r.steps() + " steps, "
                + r.findings().size() + (r.findings().size() == 1 ? " finding" : " findings")
                + (props.isEmpty() ? "" : " (" + String.join(", ", props) + ")");
    }
}
