package smpcall.run;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;


/**
 * The built-in scenarios, by name: the YAML files under {@code scenarios/} in the jar's
 * resources, in the order of {@code scenarios/index.txt}. (A scenario file of the user's
 * own is loaded the same way: {@link #resolve}.)
 */
public final class Scenarios {
    private static final String DIR = "scenarios/";
    private static final Map<String, FileScenario> BUILT_IN = new LinkedHashMap<>();

    static {
        for (String name : resource("index.txt").split("\n")) {
            if (name.isBlank()) continue;
            String file = DIR + name.strip() + ".yaml";
            FileScenario s = ScenarioFile.parse(resource(name.strip() + ".yaml").getBytes(StandardCharsets.UTF_8), file);
            if (!s.name().equals(name.strip())) throw new IllegalStateException(file + " is named " + s.name());
            BUILT_IN.put(s.name(), s);
        }
    }

    private Scenarios() {}

    private static String resource(String name) {
        try (InputStream in = Scenarios.class.getClassLoader().getResourceAsStream(DIR + name)) {
            if (in == null) throw new IllegalStateException("the jar has no " + DIR + name);
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public static List<Scenario> all() { return List.copyOf(BUILT_IN.values()); }

    public static boolean exists(String name) { return BUILT_IN.containsKey(name); }

    public static Scenario get(String name) {
        Scenario s = BUILT_IN.get(name);
        if (s == null) throw new IllegalArgumentException("unknown scenario '" + name + "' (known: " + String.join(", ", BUILT_IN.keySet()) + ")");
        return s;
    }

    /** The YAML text of a built-in scenario, exactly as shipped. */
    public static String text(String name) {
        get(name);
        return BUILT_IN.get(name).text();
    }

    /** Scenario files loaded in this JVM, by {@code path@hash}. */
    private static final Map<String, Scenario> LOADED = new java.util.concurrent.ConcurrentHashMap<>();

    /**
     * A built-in scenario by name, or a scenario file: a path ending in {@code .yaml} or
     * {@code .yml} (or a run-id's {@code path@hash}), loaded and checked against its own
     * machine (errors: one line). A run-id's hash that is not the file's own any more is
     * refused: the file changed since the run was made.
     */
    public static Scenario resolve(String ref) {
        if (BUILT_IN.containsKey(ref)) return BUILT_IN.get(ref);
        FileRef f = FileRef.parse(ref);
        if (!f.endsWith(".yaml", ".yml")) return get(ref);
        // The file is read again every time (it may have changed); one Scenario per content.
        FileScenario s = ScenarioFile.load(f.file("scenario file"));
        f.requireHash(s.hash(), "scenario file");
        LOADED.putIfAbsent(s.ref(), s);
        return LOADED.get(s.ref());
    }
}
