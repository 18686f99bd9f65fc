package smpcall.run;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * Compiled user models on disk, one directory per key: {@code <key>/entry} (what the model
 * class is, and each class file's name and SHA-256) and the class files. An entry is written
 * to a temporary directory and moved into place, so a reader sees it whole or not at all; an
 * entry that does not read back exactly (a class missing or changed) is ignored and replaced.
 * The directory is the system property {@code smpcall.cache}, else
 * {@code ${XDG_CACHE_HOME:-$HOME/.cache}/smpcall/models}.
 */
final class ModelCache {
    private ModelCache() {}

    /** A compiled model: its class, the shipped model it derives from, and its class files in definition order. */
    record Entry(String modelClass, String base, boolean kernelPackage, Map<String, byte[]> classes) {}

    static Path dir() {
        String p = System.getProperty("smpcall.cache");
        if (p != null && !p.isEmpty()) return Path.of(p);
        String xdg = System.getenv("XDG_CACHE_HOME");
        Path base = xdg != null && !xdg.isEmpty() ? Path.of(xdg) : Path.of(System.getProperty("user.home"), ".cache");
        return base.resolve("smpcall").resolve("models");
    }

    /** The entry under {@code key}, or null if there is none or it does not read back whole. */
    static Entry read(String key) {
        Path d = dir().resolve(key);
        Path index = d.resolve("entry");
        if (!Files.isRegularFile(index)) return null;
        try {
            List<String> lines = Files.readAllLines(index, StandardCharsets.UTF_8);
            if (lines.size() < 4 || !lines.get(0).equals("smpcall-model 1")) return null;
            String modelClass = field(lines.get(1), "model ");
            String base = field(lines.get(2), "base ");
            String pkg = field(lines.get(3), "package ");
            Map<String, byte[]> classes = new LinkedHashMap<>();
            for (String line : lines.subList(4, lines.size())) {
                String[] f = field(line, "class ").split(" ");
                byte[] bytes = Files.readAllBytes(d.resolve(f[0] + ".class"));
                if (f.length != 2 || !UserModels.hex(UserModels.sha256().digest(bytes)).equals(f[1])) return null;
                classes.put(f[0], bytes);
            }
            if (!classes.containsKey(modelClass)) return null;
            return new Entry(modelClass, base.equals("-") ? null : base, pkg.equals("kernel"), classes);
        } catch (IOException | RuntimeException e) {
            return null;
        }
    }

    private static String field(String line, String name) {
        if (!line.startsWith(name)) throw new IllegalArgumentException("entry line " + line);
        return line.substring(name.length());
    }

    /** Stores {@code e} under {@code key}, replacing what is there; a cache that cannot be written is skipped. */
    static void write(String key, Entry e) {
        Path root = dir();
        Path tmp = null;
        try {
            Files.createDirectories(root);
            tmp = Files.createTempDirectory(root, ".tmp-" + key.substring(0, 12) + "-");
            List<String> lines = new ArrayList<>(List.of("smpcall-model 1", "model " + e.modelClass(), "base " + (e.base() == null ? "-" : e.base()),
                    "package " + (e.kernelPackage() ? "kernel" : "own")));
            for (var c : e.classes().entrySet()) {
                Files.write(tmp.resolve(c.getKey() + ".class"), c.getValue());
                lines.add("class " + c.getKey() + " " + UserModels.hex(UserModels.sha256().digest(c.getValue())));
            }
            Files.write(tmp.resolve("entry"), lines, StandardCharsets.UTF_8);
            Path target = root.resolve(key);
            if (Files.exists(target)) delete(target);   // a corrupt or partial entry
            try {
                Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE);
            } catch (AtomicMoveNotSupportedException ex) {
                Files.move(tmp, target);
            }
            tmp = null;
        } catch (IOException | RuntimeException ex) {
            // another process may have written the same entry meanwhile; either way the model is loaded
        } finally {
            if (tmp != null) delete(tmp);
        }
    }

    private static void delete(Path p) {
        try (Stream<Path> all = Files.walk(p)) {
            for (Path q : all.sorted(Comparator.reverseOrder()).toList()) Files.deleteIfExists(q);
        } catch (IOException | RuntimeException e) {
            // best effort
        }
    }
}
