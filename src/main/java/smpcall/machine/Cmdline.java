package smpcall.machine;

import java.util.Collections;
import java.util.Map;
import java.util.TreeMap;

/**
 * The kernel command line the machine boots with, and the build options a model reads the
 * same way: names and integer values the machine carries to the model without reading them,
 * as a boot loader does. The model owns the names and their defaults (for kernel/smp.c:
 * {@code smpcall.kernel.SmpParams}).
 */
public record Cmdline(Map<String, Long> options) {
    public static final Cmdline EMPTY = new Cmdline(Map.of());

    public Cmdline {
        options = Collections.unmodifiableMap(new TreeMap<>(options));
    }

    /** The value of {@code name}, or {@code dflt} when the command line does not give it. */
    public long get(String name, long dflt) {
        Long v = options.get(name);
        return v == null ? dflt : v;
    }

    public Cmdline with(String name, long value) {
        Map<String, Long> m = new TreeMap<>(options);
        m.put(name, value);
        return new Cmdline(m);
    }
}
