package smpcall.run;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import smpcall.run.FileScenario;
import smpcall.run.ScenarioFile;

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

    /**
     * A built-in scenario by name, or a scenario file: a path ending in {@code .yaml} or
     * {@code .yml}, loaded and checked against its own machine (errors: one line).
     */
    public static Scenario resolve(String nameOrPath) {
        if (nameOrPath.endsWith(".yaml") || nameOrPath.endsWith(".yml")) {
            try {
                return ScenarioFile.load(Path.of(nameOrPath));
            } catch (java.nio.file.InvalidPathException e) {
                throw new IllegalArgumentException(nameOrPath + ":1:1: is not a path");
            }
        }
        return get(nameOrPath);
    }
}
