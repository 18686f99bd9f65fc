package smpcall.report;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import smpcall.machine.ContextChange;
import smpcall.machine.Finding;
import smpcall.machine.RunResult;
import smpcall.machine.TraceEvent;

/**
 * A traced run as the pictures draw it: per CPU, the slices of its lanes (the tasks that ran,
 * the interrupt handlers, the csd functions and the sends inside them; the preempt-off and
 * irqs-off spans), the IPIs and csds from the sending slice to the slice that handled them,
 * and the findings. Read from the trace events and the context changes the machine recorded;
 * slices on one lane nest, none partially overlaps another.
 */
public final class Lanes {
    /** The lanes of one CPU. */
    public enum Lane { RUN, PREEMPT_OFF, IRQS_OFF }

    /** What a slice is. */
    public enum Kind { TASK, HARDIRQ, CSD_FUNCTION, SEND, PREEMPT_OFF, IRQS_OFF }

    /** A slice {@code [startNs, endNs)} on a lane of a CPU; {@code event} is the trace event it stands for, or -1. */
    public record Slice(int id, int cpu, Lane lane, Kind kind, String name, long startNs, long endNs, int pid, int event) {
        public long durNs() { return endNs - startNs; }
    }

    /** An arrow from one slice to another: an IPI to its handler, or a queued csd to its function. */
    public record Flow(int id, String kind, Slice from, Slice to) {}

    public final int nrCpus;
    public final long endNs;
    public final List<Slice> slices = new ArrayList<>();
    public final List<Flow> flows = new ArrayList<>();
    public final List<Finding> findings;
    /** The task names by pid, in pid order of first appearance (the idle tasks left out). */
    public final Map<Integer, String> tasks = new java.util.LinkedHashMap<>();

    private Lanes(int nrCpus, long endNs, List<Finding> findings) {
        this.nrCpus = nrCpus;
        this.endNs = endNs;
        this.findings = findings;
    }

    /** The lanes of {@code r}, a run made with tracing, on a machine of {@code nrCpus} CPUs. */
    public static Lanes of(RunResult r, int nrCpus) {
        List<TraceEvent> events = r.trace();
        long end = r.endNs();
        for (TraceEvent e : events) end = Math.max(end, e.timestampNs());
        for (ContextChange c : r.contexts()) end = Math.max(end, c.timestampNs());
        for (Finding f : r.findings()) end = Math.max(end, f.timestampNs());
        Lanes l = new Lanes(nrCpus, end, r.findings());
        l.build(events, r.contexts());
        return l;
    }

    private void build(List<TraceEvent> events, List<ContextChange> contexts) {
        List<Slice> raw = new ArrayList<>();
        for (int cpu = 0; cpu < nrCpus; cpu++) raw.addAll(cpu(cpu, events, contexts));
        // ids in (cpu, lane, start, longest first) order: the order a viewer nests them in
        raw.sort(Comparator.comparingInt(Slice::cpu).thenComparing(Slice::lane).thenComparingLong(Slice::startNs)
                .thenComparing(Comparator.comparingLong(Slice::durNs).reversed()).thenComparingInt(s -> s.kind().ordinal())
                .thenComparingInt(Slice::event));
        for (Slice s : raw) slices.add(new Slice(slices.size(), s.cpu(), s.lane(), s.kind(), s.name(), s.startNs(), s.endNs(), s.pid(), s.event()));
        flows(events);
        for (TraceEvent e : events) if (e.pid() != 0) tasks.putIfAbsent(e.pid(), e.comm());
        for (TraceEvent e : events) if (e.name().equals("sched_switch")) {
            int pid = Integer.parseInt(field(e.fields(), "next_pid="));
            if (pid != 0) tasks.putIfAbsent(pid, field(e.fields(), "next_comm="));
        }
    }

    /** The slices of one CPU's lanes. */
    private List<Slice> cpu(int cpu, List<TraceEvent> events, List<ContextChange> contexts) {
        List<Slice> out = new ArrayList<>();
        // tasks: from the first event on the CPU (its current task) and each sched_switch
        int pid = -1;
        String comm = null;
        long since = 0;
        for (TraceEvent e : events) {
            if (e.cpu() != cpu) continue;
            if (pid < 0) { pid = e.pid(); comm = e.comm(); since = e.timestampNs(); }
            if (e.name().equals("sched_switch")) {
                if (pid > 0) out.add(slice(cpu, Lane.RUN, Kind.TASK, comm, since, e.timestampNs(), pid, -1));
                pid = Integer.parseInt(field(e.fields(), "next_pid="));
                comm = field(e.fields(), "next_comm=");
                since = e.timestampNs();
            }
        }
        if (pid > 0) out.add(slice(cpu, Lane.RUN, Kind.TASK, comm, since, endNs, pid, -1));
        // spans: preempt-off, irqs-off, hardirq
        long[] open = {-1, -1, -1};
        for (ContextChange c : contexts) {
            if (c.cpu() != cpu) continue;
            boolean[] on = {c.preemptOff(), c.irqsOff(), c.hardirq()};
            for (int k = 0; k < 3; k++) {
                if (on[k] && open[k] < 0) open[k] = c.timestampNs();
                else if (!on[k] && open[k] >= 0) {
                    out.add(span(cpu, k, open[k], c.timestampNs()));
                    open[k] = -1;
                }
            }
        }
        for (int k = 0; k < 3; k++) if (open[k] >= 0) out.add(span(cpu, k, open[k], endNs));
        // csd functions (entry to exit) and the sends, inside whatever runs
        List<Integer> entries = new ArrayList<>();
        for (int i = 0; i < events.size(); i++) {
            TraceEvent e = events.get(i);
            if (e.cpu() != cpu) continue;
            switch (e.name()) {
                case "csd_function_entry" -> entries.add(i);
                case "csd_function_exit" -> {
                    if (entries.isEmpty()) break;
                    int at = entries.remove(entries.size() - 1);
                    TraceEvent in = events.get(at);
                    out.add(slice(cpu, Lane.RUN, Kind.CSD_FUNCTION, field(in.fields(), "func=").replace(",", ""),
                            in.timestampNs(), e.timestampNs(), in.pid(), at));
                }
                case "ipi_send_cpu", "ipi_send_cpumask", "csd_queue_cpu" ->
                        out.add(slice(cpu, Lane.RUN, Kind.SEND, e.name(), e.timestampNs(), e.timestampNs() + 1, e.pid(), i));
                default -> { }
            }
        }
        for (int at : entries) {
            TraceEvent in = events.get(at);
            out.add(slice(cpu, Lane.RUN, Kind.CSD_FUNCTION, field(in.fields(), "func=").replace(",", ""), in.timestampNs(), endNs, in.pid(), at));
        }
        nameHandlers(out, events);
        return clip(out);
    }

    /** A hardirq slice that ran csd functions is an IPI handler; the others are named by what ran in them. */
    private static void nameHandlers(List<Slice> out, List<TraceEvent> events) {
        for (int i = 0; i < out.size(); i++) {
            Slice h = out.get(i);
            if (h.kind() != Kind.HARDIRQ) continue;
            boolean csd = false;
            for (Slice s : out)
                if (s.kind() == Kind.CSD_FUNCTION && s.startNs() >= h.startNs() && s.startNs() < h.endNs()
                        && events.get(s.event()).hardirq()) csd = true;
            if (csd) out.set(i, new Slice(0, h.cpu(), h.lane(), h.kind(), "IPI handler", h.startNs(), h.endNs(), h.pid(), h.event()));
        }
    }

    /** Cuts every RUN slice to the end of the slice it starts in, so that slices nest. */
    private List<Slice> clip(List<Slice> in) {
        List<Slice> run = new ArrayList<>(in.stream().filter(s -> s.lane() == Lane.RUN).toList());
        run.sort(Comparator.comparingLong(Slice::startNs).thenComparing(Comparator.comparingLong(Slice::durNs).reversed())
                .thenComparingInt(s -> s.kind().ordinal()));
        List<Slice> out = new ArrayList<>(in.stream().filter(s -> s.lane() != Lane.RUN).toList());
        List<Slice> stack = new ArrayList<>();
        for (Slice s : run) {
            while (!stack.isEmpty() && stack.get(stack.size() - 1).endNs() <= s.startNs()) stack.remove(stack.size() - 1);
            if (!stack.isEmpty()) {
                Slice p = stack.get(stack.size() - 1);
                if (s.endNs() > p.endNs()) s = new Slice(0, s.cpu(), s.lane(), s.kind(), s.name(), s.startNs(), p.endNs(), s.pid(), s.event());
            }
            out.add(s);
            stack.add(s);
        }
        return out;
    }

    private Slice span(int cpu, int k, long from, long to) {
        return switch (k) {
            case 0 -> slice(cpu, Lane.PREEMPT_OFF, Kind.PREEMPT_OFF, "preempt off", from, to, 0, -1);
            case 1 -> slice(cpu, Lane.IRQS_OFF, Kind.IRQS_OFF, "irqs off", from, to, 0, -1);
            default -> slice(cpu, Lane.RUN, Kind.HARDIRQ, "interrupt", from, to, 0, -1);
        };
    }

    private static Slice slice(int cpu, Lane lane, Kind kind, String name, long from, long to, int pid, int event) {
        return new Slice(0, cpu, lane, kind, name, from, Math.max(from, to), pid, event);
    }

    /** IPIs: a send to the first IPI handler on the target that starts at or after it; csds: a queue to its function. */
    private void flows(List<TraceEvent> events) {
        Map<Integer, Slice> byEvent = new HashMap<>();
        for (Slice s : slices) if (s.event() >= 0) byEvent.put(s.event(), s);
        for (int i = 0; i < events.size(); i++) {
            TraceEvent e = events.get(i);
            Slice from = byEvent.get(i);
            if (from == null || from.kind() != Kind.SEND) continue;
            switch (e.name()) {
                case "ipi_send_cpu" -> ipi(from, Integer.parseInt(field(e.fields(), "cpu=")));
                case "ipi_send_cpumask" -> {
                    String hex = field(e.fields(), "cpumask=").replace(",", "");
                    long mask = Long.parseUnsignedLong(hex.substring(Math.max(0, hex.length() - 16)), 16);
                    for (int c = 0; c < nrCpus; c++) if ((mask & (1L << c)) != 0) ipi(from, c);
                }
                case "csd_queue_cpu" -> {
                    int cpu = Integer.parseInt(field(e.fields(), "cpu="));
                    String csd = field(e.fields(), "csd=");
                    for (int j = i + 1; j < events.size(); j++) {
                        TraceEvent f = events.get(j);
                        if (f.cpu() == cpu && f.name().equals("csd_function_entry") && csd.equals(field(f.fields(), "csd="))) {
                            Slice to = byEvent.get(j);
                            if (to != null && to.startNs() >= from.startNs()) flows.add(new Flow(flows.size() + 1, "csd", from, to));
                            break;
                        }
                    }
                }
                default -> { }
            }
        }
    }

    private void ipi(Slice from, int cpu) {
        for (Slice s : slices)
            if (s.cpu() == cpu && s.kind() == Kind.HARDIRQ && s.name().equals("IPI handler") && s.startNs() >= from.startNs()) {
                flows.add(new Flow(flows.size() + 1, "IPI", from, s));
                return;
            }
    }

    /** The value after {@code key} up to the next blank, or "?". */
    static String field(String fields, String key) {
        int i = fields.indexOf(key);
        if (i < 0) return "?";
        int end = fields.indexOf(' ', i);
        return fields.substring(i + key.length(), end < 0 ? fields.length() : end);
    }
}
