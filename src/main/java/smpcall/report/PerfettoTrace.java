package smpcall.report;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

import smpcall.machine.Finding;

/**
 * A traced run as Chrome/Perfetto trace-event JSON (the object form, one event a line), for
 * ui.perfetto.dev or chrome://tracing: a process per CPU ({@code pid} = CPU + 1) with three
 * lanes (threads): the slices of what ran (tasks, interrupt handlers, csd functions, the sends
 * inside them), the preempt-off spans and the irqs-off spans. Every slice is a complete event
 * ({@code X}); IPIs and queued csds are v1 flows ({@code s} at the start of the sending slice,
 * {@code f} with {@code "bp":"e"} at the start of the handling one); findings are thread-scoped
 * instants on the CPU's run lane. Timestamps are microseconds with the nanoseconds as three
 * decimals. Process and thread names and sort orders are metadata events.
 */
public final class PerfettoTrace {
    private PerfettoTrace() {}

    /** The thread id of a CPU's lane: 100 x (CPU + 1) + the lane's number, 1..3. */
    public static int tid(int cpu, Lanes.Lane lane) { return 100 * (cpu + 1) + lane.ordinal() + 1; }

    public static int pid(int cpu) { return cpu + 1; }

    /** The JSON text; {@code title} (the run-id) goes into the metadata. */
    public static String json(Lanes l, String title) {
        List<String> ev = new ArrayList<>();
        for (int cpu = 0; cpu < l.nrCpus; cpu++) {
            ev.add(meta(pid(cpu), 0, "process_name", "name", str("CPU" + cpu)));
            ev.add(meta(pid(cpu), 0, "process_sort_index", "sort_index", Integer.toString(cpu)));
            for (Lanes.Lane lane : Lanes.Lane.values()) {
                ev.add(meta(pid(cpu), tid(cpu, lane), "thread_name", "name", str(laneName(cpu, lane))));
                ev.add(meta(pid(cpu), tid(cpu, lane), "thread_sort_index", "sort_index", Integer.toString(lane.ordinal())));
            }
        }
        for (Lanes.Slice s : l.slices) {
            ev.add("{\"ph\":\"X\",\"name\":" + str(s.name()) + ",\"cat\":" + str(category(s.kind())) + ",\"pid\":" + pid(s.cpu())
                    + ",\"tid\":" + tid(s.cpu(), s.lane()) + ",\"ts\":" + us(s.startNs()) + ",\"dur\":" + us(s.durNs())
                    + ",\"args\":{\"slice\":" + s.id() + (s.pid() > 0 ? ",\"pid\":" + s.pid() : "") + "}}");
        }
        for (Lanes.Flow f : l.flows) {
            ev.add("{\"ph\":\"s\",\"name\":" + str(f.kind()) + ",\"cat\":\"flow\",\"id\":" + f.id() + ",\"pid\":" + pid(f.from().cpu())
                    + ",\"tid\":" + tid(f.from().cpu(), f.from().lane()) + ",\"ts\":" + us(f.from().startNs()) + "}");
            ev.add("{\"ph\":\"f\",\"bp\":\"e\",\"name\":" + str(f.kind()) + ",\"cat\":\"flow\",\"id\":" + f.id() + ",\"pid\":" + pid(f.to().cpu())
                    + ",\"tid\":" + tid(f.to().cpu(), f.to().lane()) + ",\"ts\":" + us(f.to().startNs()) + "}");
        }
        for (Finding f : l.findings) {
            ev.add("{\"ph\":\"i\",\"s\":\"t\",\"name\":" + str(f.property().name() + " " + f.headline()) + ",\"cat\":\"finding\",\"pid\":"
                    + pid(f.cpu()) + ",\"tid\":" + tid(f.cpu(), Lanes.Lane.RUN) + ",\"ts\":" + us(f.timestampNs())
                    + ",\"args\":{\"property\":" + str(f.property().name()) + ",\"comm\":" + str(f.comm()) + ",\"pid\":" + f.pid()
                    + ",\"step\":" + f.step() + ",\"kernel_log\":" + strs(f.kernelLog()) + "}}");
        }
        StringBuilder out = new StringBuilder("{\"traceEvents\":[\n");
        for (int i = 0; i < ev.size(); i++) out.append(ev.get(i)).append(i + 1 < ev.size() ? ",\n" : "\n");
        out.append("],\n\"metadata\":{\"run_id\":").append(str(title)).append(",\"source\":\"smpcall, virtual time\"}}\n");
        return out.toString();
    }

    static String laneName(int cpu, Lanes.Lane lane) {
        return switch (lane) {
            case RUN -> "CPU" + cpu + " tasks and irqs";
            case PREEMPT_OFF -> "CPU" + cpu + " preempt off";
            case IRQS_OFF -> "CPU" + cpu + " irqs off";
        };
    }

    private static String category(Lanes.Kind k) {
        return switch (k) {
            case TASK -> "task";
            case HARDIRQ -> "irq";
            case CSD_FUNCTION -> "csd";
            case SEND -> "send";
            case PREEMPT_OFF -> "preempt";
            case IRQS_OFF -> "irqs";
        };
    }

    private static String meta(int pid, int tid, String name, String key, String value) {
        return "{\"ph\":\"M\",\"name\":\"" + name + "\",\"pid\":" + pid + (tid > 0 ? ",\"tid\":" + tid : "")
                + ",\"ts\":0,\"args\":{\"" + key + "\":" + value + "}}";
    }

    /** Nanoseconds as microseconds with three decimals. */
    static String us(long ns) {
        return String.format(Locale.ROOT, "%d.%03d", ns / 1000, ns % 1000);
    }

    private static String strs(List<String> lines) {
        return "[" + String.join(",", lines.stream().map(PerfettoTrace::str).toList()) + "]";
    }

    /** A JSON string literal. */
    static String str(String s) {
        StringBuilder b = new StringBuilder("\"");
        for (char c : s.toCharArray()) {
            switch (c) {
                case '"' -> b.append("\\\"");
                case '\\' -> b.append("\\\\");
                case '\n' -> b.append("\\n");
                case '\t' -> b.append("\\t");
                default -> {
                    if (c < 0x20) b.append(String.format(Locale.ROOT, "\\u%04x", (int) c));
                    else b.append(c);
                }
            }
        }
        return b.append('"').toString();
    }
}
