package smpcall.run;

import java.io.IOException;
import java.lang.invoke.MethodHandles;
import java.lang.reflect.Constructor;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Modifier;
import java.nio.charset.StandardCharsets;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import java.util.function.UnaryOperator;

import smpcall.kernel.Mainline;

/**
 * Loads user models: a {@code .java} file with a class that extends a shipped model, or a
 * unified diff ({@code .patch}, {@code .diff}) against the shipped model sources. Either is
 * compiled at run time with javax.tools against the running class path, and the class files
 * are cached on disk by a key over the file's bytes, the shipped sources and the JDK's feature
 * version (see {@link ModelCache}); in one JVM a file's classes are defined once.
 *
 * <p>Classes in package {@code smpcall.kernel} (every patched class, and a user class that
 * declares that package) are defined in that package of the application class loader, so
 * they reach its package-private members; each top-level class is renamed with a suffix
 * from the key ({@code SeriesV9} becomes {@code SeriesV9$u1a2b3c4d5e6}) so that two versions
 * can live in one JVM. A user class in another package gets a class loader of its own.
 */
public final class UserModels {
    private UserModels() {}

    /** The models defined in this JVM, by cache key. */
    private static final Map<String, Loaded> LOADED = new HashMap<>();

    /** The files whose classes were defined but did not make a model (so they are not defined twice), by key. */
    private static final Map<String, String> FAILED = new HashMap<>();

    private record Loaded(String base, Supplier<Mainline> factory) {}

    /**
     * Loads (compiles, or takes from the cache) a .java or .patch file.
     * @throws IllegalArgumentException with one line (file:line:col: message) for every user mistake
     */
    public static synchronized UserModel load(Path file) {
        String shown = file.toString();
        byte[] bytes = read(file);
        String name = file.getFileName().toString();
        boolean patch = name.endsWith(".patch") || name.endsWith(".diff");
        String key = key(name, bytes);
        String hash = hex(sha256().digest(bytes)).substring(0, 12);
        if (FAILED.containsKey(key)) throw new IllegalArgumentException(FAILED.get(key));
        Loaded l = LOADED.get(key);
        if (l == null) {
            ModelCache.Entry e = ModelCache.read(key);
            boolean cached = e != null;
            if (!cached) e = patch ? fromPatch(shown, bytes, suffix(key)) : fromClass(shown, name, bytes, suffix(key));
            try {
                l = define(shown, e);
            } catch (IllegalArgumentException ex) {
                FAILED.put(key, ex.getMessage());
                throw ex;
            }
            if (!cached) ModelCache.write(key, e);
            LOADED.put(key, l);
        }
        return new UserModel(file, hash, l.base(), l.factory());
    }

    /** For tests: forget what this JVM loaded, so that the next load goes to the disk cache (classes outside smpcall.kernel only). */
    static synchronized void forgetLoaded() {
        LOADED.clear();
        FAILED.clear();
    }

    private static byte[] read(Path file) {
        String shown = file.toString();
        if (!Files.exists(file)) throw new IllegalArgumentException(shown + ": no such file");
        if (Files.isDirectory(file)) throw new IllegalArgumentException(shown + ": is a directory, not a model file");
        String name = file.getFileName().toString();
        if (!name.endsWith(".java") && !name.endsWith(".patch") && !name.endsWith(".diff"))
            throw new IllegalArgumentException(shown + ": a model file is a .java class or a .patch (or .diff) against the shipped models");
        try {
            return Files.readAllBytes(file);
        } catch (AccessDeniedException e) {
            throw new IllegalArgumentException(shown + ": cannot read it (permission denied)");
        } catch (IOException e) {
            throw new IllegalArgumentException(shown + ": cannot read it (" + e.getMessage() + ")");
        }
    }

    /** The cache key: SHA-256 of the file's name and bytes, the shipped sources' hash and the JDK feature version. */
    static String key(String fileName, byte[] bytes) {
        MessageDigest sha = sha256();
        sha.update(fileName.getBytes(StandardCharsets.UTF_8));
        sha.update((byte) 0);
        sha.update(bytes);
        sha.update((byte) 0);
        sha.update(ShippedSources.hash().getBytes(StandardCharsets.US_ASCII));
        sha.update(("/jdk" + Runtime.version().feature()).getBytes(StandardCharsets.US_ASCII));
        return hex(sha.digest());
    }

    private static String suffix(String key) { return "$u" + key.substring(0, 12); }

    // ---- a patch

    private static ModelCache.Entry fromPatch(String shown, byte[] bytes, String suffix) {
        Map<String, String> patched = ModelPatch.apply(shown, bytes);
        Map<String, String> renames = new LinkedHashMap<>();
        for (String f : patched.keySet()) renames.put(className(f), className(f) + suffix);
        String leaf = leaf(shown, renames.keySet());
        List<ModelCompiler.Source> sources = new ArrayList<>();
        for (var f : patched.entrySet()) {
            String text = Renamer.rename(f.getValue(), renames);
            if (f.getKey().equals("Mainline.java")) text = MainlineCopy.asSubclass(shown, text, renames);
            sources.add(new ModelCompiler.Source(shown + ": " + f.getKey(), f.getKey(), text));
        }
        ModelCompiler.Output out = ModelCompiler.compile(sources, unrename(suffix));
        return new ModelCache.Entry(ShippedSources.PACKAGE + "." + leaf + suffix, ShippedSources.MODELS.get(leaf), true,
                ClassBytes.supertypesFirst(out.classes()));
    }

    private static String className(String fileName) { return fileName.substring(0, fileName.length() - ".java".length()); }

    /** The most derived of the patched classes: the model. */
    private static String leaf(String shown, java.util.Set<String> patched) {
        List<String> leaves = new ArrayList<>();
        for (String c : patched) {
            boolean extended = false;
            for (String d : patched)
                for (String s = ShippedSources.PATCHABLE.get(d); s != null; s = ShippedSources.PATCHABLE.get(s))
                    if (s.equals(c)) extended = true;
            if (!extended) leaves.add(c);
        }
        if (leaves.size() > 1)
            throw new IllegalArgumentException(shown + ": changes " + leaves.size() + " models (" + String.join(", ", leaves)
                    + "); a patch changes one model and the classes it extends");
        String leaf = leaves.get(0);
        if (!ShippedSources.MODELS.containsKey(leaf)) {
            List<String> models = new ArrayList<>();
            for (var e : ShippedSources.PATCHABLE.entrySet())
                if (ShippedSources.MODELS.containsKey(e.getKey()) && leaf.equals(e.getValue())) models.add(e.getKey() + ".java");
            throw new IllegalArgumentException(shown + ": " + leaf + " is abstract; the patch must also change the model that extends it ("
                    + String.join(" or ", models) + ")");
        }
        return leaf;
    }

    private static UnaryOperator<String> unrename(String suffix) { return s -> s.replace(suffix, ""); }

    // ---- a class

    private static ModelCache.Entry fromClass(String shown, String fileName, byte[] bytes, String suffix) {
        String text = new String(bytes, StandardCharsets.UTF_8);
        ModelCompiler.Outline outline = ModelCompiler.outline(text);
        boolean kernel = outline.packageName().equals(ShippedSources.PACKAGE);
        if (kernel) {
            Map<String, String> renames = new LinkedHashMap<>();
            for (String c : outline.topLevel()) renames.put(c, c + suffix);
            text = Renamer.rename(text, renames);
        }
        ModelCompiler.Output out = ModelCompiler.compile(List.of(new ModelCompiler.Source(shown, fileName, text)), unrename(suffix));
        List<ModelCompiler.TopLevel> models = out.topLevel().stream().filter(ModelCompiler.TopLevel::isMainline).toList();
        if (models.isEmpty())
            throw new IllegalArgumentException(shown + ": no top-level class extends smpcall.kernel.Mainline "
                    + "(extend a shipped model: Mainline, SeriesV9 or a mutant)");
        String unsuffixed = models.get(0).binaryName().replace(suffix, "");
        String simple = unsuffixed.substring(unsuffixed.lastIndexOf('.') + 1);
        if (models.size() > 1) {
            ModelCompiler.TopLevel second = models.get(1);
            throw new IllegalArgumentException(shown + ":" + second.line() + ":" + second.column()
                    + ": a second top-level class extends Mainline (the first is " + simple + "); a file holds one model");
        }
        ModelCompiler.TopLevel m = models.get(0);
        if (m.isAbstract())
            throw new IllegalArgumentException(shown + ":" + m.line() + ":" + m.column() + ": " + simple + " is abstract");
        if (!m.publicNoArgConstructor())
            throw new IllegalArgumentException(shown + ":" + m.line() + ":" + m.column() + ": " + simple
                    + " must be public, with a public constructor without parameters");
        Map<String, byte[]> classes = kernel ? ClassBytes.supertypesFirst(out.classes()) : out.classes();
        return new ModelCache.Entry(m.binaryName(), null, kernel, classes);
    }

    // ---- defining the classes

    /**
     * Defines a class in the kernel package, or finds it defined already: the same content
     * makes the same name, and a class of the application loader cannot be defined twice
     * (a test may have made this JVM forget what it loaded; the classes stay).
     */
    private static Class<?> defineOnce(MethodHandles.Lookup lookup, String name, byte[] bytes) throws IllegalAccessException {
        try {
            return Class.forName(name, false, Mainline.class.getClassLoader());
        } catch (ClassNotFoundException notYet) {
            return lookup.defineClass(bytes);
        }
    }

    private static Loaded define(String shown, ModelCache.Entry e) {
        Class<?> model;
        try {
            if (e.kernelPackage()) {
                MethodHandles.Lookup lookup = MethodHandles.privateLookupIn(Mainline.class, MethodHandles.lookup());
                Map<String, Class<?>> defined = new HashMap<>();
                for (var c : e.classes().entrySet()) defined.put(c.getKey(), defineOnce(lookup, c.getKey(), c.getValue()));
                model = defined.get(e.modelClass());
            } else {
                model = Class.forName(e.modelClass(), true, new OwnLoader(e.classes()));
            }
        } catch (IllegalAccessException | ClassNotFoundException ex) {
            throw new IllegalStateException(ex);
        }
        if (!Mainline.class.isAssignableFrom(model) || Modifier.isAbstract(model.getModifiers()))
            throw new IllegalStateException(model + " is not a model");
        Constructor<? extends Mainline> ctor;
        try {
            ctor = model.asSubclass(Mainline.class).getConstructor();
        } catch (NoSuchMethodException ex) {
            throw new IllegalArgumentException(shown + ": " + model.getSimpleName() + " has no public constructor without parameters");
        }
        Supplier<Mainline> factory = () -> {
            try {
                return ctor.newInstance();
            } catch (InvocationTargetException ex) {
                if (ex.getCause() instanceof RuntimeException re) throw re;
                if (ex.getCause() instanceof Error err) throw err;
                throw new IllegalStateException(ex.getCause());
            } catch (ReflectiveOperationException ex) {
                throw new IllegalStateException(ex);
            }
        };
        try {
            factory.get();
        } catch (RuntimeException ex) {
            throw new IllegalArgumentException(shown + ": the model's constructor threw " + ex);
        }
        String base = e.base() != null ? e.base() : base(model);
        BASES.put(model, base);
        return new Loaded(base, factory);
    }

    /** The shipped model each loaded class derives from (a patched copy of SeriesV9.java: series-v9). */
    private static final Map<Class<?>, String> BASES = new java.util.concurrent.ConcurrentHashMap<>();

    /**
     * The shipped model a class derives from: its nearest shipped superclass, or the base of
     * the nearest loaded one (a patched copy of a shipped class does not extend it).
     */
    static String base(Class<?> model) {
        for (Class<?> c = model; c != null; c = c.getSuperclass()) {
            String loaded = BASES.get(c);
            if (loaded != null) return loaded;
            String m = ShippedSources.MODELS.get(c.getSimpleName());
            if (m != null && c.getName().equals(ShippedSources.PACKAGE + "." + c.getSimpleName())) return m;
        }
        return "mainline";
    }

    /** A user class outside smpcall.kernel: a loader of its own, over the application's. */
    private static final class OwnLoader extends ClassLoader {
        private final Map<String, byte[]> classes;

        OwnLoader(Map<String, byte[]> classes) {
            super("smpcall-user-model", UserModels.class.getClassLoader());
            this.classes = classes;
        }

        @Override
        protected Class<?> findClass(String name) throws ClassNotFoundException {
            byte[] b = classes.get(name);
            if (b == null) throw new ClassNotFoundException(name);
            return defineClass(name, b, 0, b.length);
        }
    }

    // ---- hashing

    static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    static String hex(byte[] bytes) { return HexFormat.of().formatHex(bytes); }
}
