package smpcall.machine;

import java.util.ArrayList;
import java.util.List;

/** The machine's trace buffer: events in the order they happened. Off costs nothing. */
public final class Trace {
    private final boolean enabled;
    private final List<TraceEvent> events = new ArrayList<>();

    Trace(boolean enabled) { this.enabled = enabled; }

    public boolean enabled() { return enabled; }

    void add(TraceEvent e) { events.add(e); }

    public List<TraceEvent> events() { return List.copyOf(events); }

    public int size() { return events.size(); }
}
