package smpcall.machine;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * The machine's trace buffer: events in the order they happened, and each CPU's context
 * (preemption, irqs, hardirq) wherever it changed, for the pictures. Off costs nothing.
 */
public final class Trace {
    private final boolean enabled;
    private final List<TraceEvent> events = new ArrayList<>();
    private final List<ContextChange> contexts = new ArrayList<>();
    private int[] lastContext = new int[0];

    Trace(boolean enabled) { this.enabled = enabled; }

    public boolean enabled() { return enabled; }

    void add(TraceEvent e) { events.add(e); }

    /** Records the context of {@code cpu} at {@code ns} when it differs from the last one recorded there. */
    void context(int cpu, long ns, boolean preemptOff, boolean irqsOff, boolean hardirq) {
        if (cpu >= lastContext.length) {
            int old = lastContext.length;
            lastContext = Arrays.copyOf(lastContext, cpu + 1);
            Arrays.fill(lastContext, old, cpu + 1, 0);
        }
        int bits = (preemptOff ? 1 : 0) | (irqsOff ? 2 : 0) | (hardirq ? 4 : 0);
        if (lastContext[cpu] == bits) return;
        lastContext[cpu] = bits;
        contexts.add(new ContextChange(ns, cpu, events.size(), preemptOff, irqsOff, hardirq));
    }

    public List<TraceEvent> events() { return List.copyOf(events); }

    public List<ContextChange> contexts() { return List.copyOf(contexts); }

    public int size() { return events.size(); }
}
