package smpcall.run;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URISyntaxException;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileSystem;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;

import smpcall.kernel.Mainline;
import smpcall.kernel.Mutant;

/**
 * The model sources shipped in the jar (resources under {@code model-src/smpcall/kernel/}, the
 * build copies {@code src/main/java/smpcall/kernel/*.java} there), which patches apply to, and
 * the shipped model classes a patch may change: mainline, series-v9, the mutants and the
 * classes between a mutant and series-v9.
 */
final class ShippedSources {
    static final String DIR = "model-src/smpcall/kernel/";
    static final String PACKAGE = "smpcall.kernel";

    private ShippedSources() {}

    /** Simple class name → the model name of the shipped model of that class (mainline, series-v9, the mutants). */
    static final Map<String, String> MODELS;
    /** Simple class name → its superclass's simple name, for every class a patch may change. */
    static final Map<String, String> PATCHABLE;

    static {
        Map<String, String> models = new LinkedHashMap<>();
        List<Mainline> all = new ArrayList<>();
        for (String n : Models.names()) all.add(Models.create(n));
        for (Mutant mu : Models.mutants()) all.add((Mainline) mu);
        Map<String, String> patchable = new LinkedHashMap<>();
        for (Mainline k : all) {
            models.put(k.getClass().getSimpleName(), k.name());
            for (Class<?> c = k.getClass(); c != Object.class; c = c.getSuperclass())
                patchable.put(c.getSimpleName(), c == Mainline.class ? null : c.getSuperclass().getSimpleName());
        }
        MODELS = Map.copyOf(models);
        PATCHABLE = java.util.Collections.unmodifiableMap(patchable);
    }

    /** The shipped source of {@code fileName} (e.g. SeriesV9.java), or null if none is shipped. */
    static String source(String fileName) {
        try (InputStream in = ShippedSources.class.getClassLoader().getResourceAsStream(DIR + fileName)) {
            return in == null ? null : new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static volatile String hash;

    /**
     * Hex SHA-256 over what a compiled user model depends on besides its file: in the jar
     * smpcall runs from, its classes and the model sources; from class directories, the shipped model sources and the class files of the
     * machine and of this loader (names and bytes, in name order). A new smpcall with any
     * change there compiles user models afresh.
     */
    static String hash() {
        String h = hash;
        if (h == null) hash = h = computeHash();
        return h;
    }

    private static String computeHash() {
        MessageDigest sha = UserModels.sha256();
        Path jar = jar();
        if (jar != null) {
            // Every smpcall class and model source in the jar, by the name, size and CRC-32 its
            // directory records: reading the bytes would cost a cold JVM a fifth of a second.
            try (ZipFile z = new ZipFile(jar.toFile())) {
                List<? extends ZipEntry> entries = z.stream()
                        .filter(e -> e.getName().startsWith("smpcall/") || e.getName().startsWith(DIR))
                        .sorted(java.util.Comparator.comparing(ZipEntry::getName)).toList();
                for (ZipEntry e : entries)
                    sha.update((e.getName() + " " + e.getSize() + " " + Long.toHexString(e.getCrc()) + "\n").getBytes(StandardCharsets.UTF_8));
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            return UserModels.hex(sha.digest());
        }
        digest(sha, DIR, ".java");
        digest(sha, "smpcall/machine/", ".class");
        digest(sha, "smpcall/run/", ".class");
        return UserModels.hex(sha.digest());
    }

    /** The jar smpcall runs from, or null when its classes are in a directory (the build's, the tests'). */
    private static Path jar() {
        try {
            var src = ShippedSources.class.getProtectionDomain().getCodeSource();
            Path p = src == null ? null : Path.of(src.getLocation().toURI());
            return p != null && Files.isRegularFile(p) ? p : null;
        } catch (URISyntaxException | RuntimeException e) {
            return null;
        }
    }

    /** Digests the files ending in {@code suffix} of the class path directory {@code dir} (in the jar or on disk). */
    private static void digest(MessageDigest sha, String dir, String suffix) {
        URL url = ShippedSources.class.getClassLoader().getResource(dir);
        if (url == null) throw new IllegalStateException(dir + " is missing from the class path");
        try {
            if (url.getProtocol().equals("jar")) {
                String s = url.toString();
                Path jar = Path.of(new java.net.URI(s.substring("jar:".length(), s.indexOf("!/"))));
                try (FileSystem fs = FileSystems.newFileSystem(jar)) {
                    digest(sha, fs.getPath("/" + dir), suffix);
                }
            } else {
                digest(sha, Path.of(url.toURI()), suffix);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }

    private static void digest(MessageDigest sha, Path dir, String suffix) throws IOException {
        List<Path> files;
        try (Stream<Path> s = Files.list(dir)) {
            files = s.filter(p -> p.getFileName().toString().endsWith(suffix))
                    .sorted(java.util.Comparator.comparing(p -> p.getFileName().toString())).toList();
        }
        for (Path p : files) {
            sha.update(p.getFileName().toString().getBytes(StandardCharsets.UTF_8));
            sha.update((byte) 0);
            sha.update(Files.readAllBytes(p));
        }
    }
}
