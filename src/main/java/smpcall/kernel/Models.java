package smpcall.kernel;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

/** The shipped models, by the name users type. */
public final class Models {
    private static final Map<String, Supplier<Mainline>> BUILT_IN = new LinkedHashMap<>();

    static {
        register(Mainline::new);
        register(SeriesV9::new);
    }

    private Models() {}

    private static void register(Supplier<Mainline> factory) {
        BUILT_IN.put(factory.get().name(), factory);
    }

    public static List<String> names() { return List.copyOf(BUILT_IN.keySet()); }

    public static boolean exists(String name) { return BUILT_IN.containsKey(name); }

    /** A fresh instance (a model holds the state of one machine). */
    public static Mainline create(String name) {
        Supplier<Mainline> f = BUILT_IN.get(name);
        if (f == null) throw new IllegalArgumentException("unknown model '" + name + "' (known: " + String.join(", ", names()) + ")");
        return f.get();
    }
}
