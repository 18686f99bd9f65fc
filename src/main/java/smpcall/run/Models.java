package smpcall.run;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import smpcall.kernel.Mainline;
import smpcall.kernel.SeriesV9;
import smpcall.kernel.Mutant;
import smpcall.kernel.V9FreeCsdOnDead;
import smpcall.kernel.V9LockNowait;
import smpcall.kernel.V9PercpuWaitmask;
import smpcall.kernel.V9PutBeforeDispatch;
import smpcall.kernel.V9PutBeforeQueue;

/**
 * The models, by the name users type: the shipped ones (mainline, series-v9), the mutants,
 * and a user's file ({@code my-change.patch}, {@code MyVariant.java}), which {@link #resolve}
 * loads and registers as {@code path@hash}, the name its run-ids carry.
 */
public final class Models {
    private static final Map<String, Supplier<Mainline>> BUILT_IN = new LinkedHashMap<>();
    private static final Map<String, Supplier<Mainline>> MUTANTS = new LinkedHashMap<>();
    /** Models registered at run time (the planted bugs of the mutation tests). */
    private static final Map<String, Supplier<Mainline>> REGISTERED = new java.util.concurrent.ConcurrentHashMap<>();

    static {
        register(BUILT_IN, Mainline::new);
        register(BUILT_IN, SeriesV9::new);
        register(MUTANTS, V9PutBeforeDispatch::new);
        register(MUTANTS, V9PutBeforeQueue::new);
        register(MUTANTS, V9LockNowait::new);
        register(MUTANTS, V9PercpuWaitmask::new);
        register(MUTANTS, V9FreeCsdOnDead::new);
    }

    private Models() {}

    private static void register(Map<String, Supplier<Mainline>> into, Supplier<Mainline> factory) {
        into.put(factory.get().name(), factory);
    }

    /**
     * Makes a further model known by {@code name} to {@link #create} and {@link #exists} (so
     * that the checker and run-ids can name it); it is listed nowhere.
     */
    public static void register(String name, Supplier<Mainline> factory) {
        if (BUILT_IN.containsKey(name) || MUTANTS.containsKey(name))
            throw new IllegalArgumentException("model '" + name + "' exists already");
        REGISTERED.put(name, factory);
    }

    /**
     * The registered name of what the user typed: a model's name as it is; a path to a
     * {@code .java} or {@code .patch} file (or a run-id's {@code path@hash}), loaded (see
     * {@link UserModels}) and named {@code path@hash}. A run-id's hash that is not the
     * file's own any more is refused: the file changed since the run was made.
     */
    public static String resolve(String ref) {
        FileRef f = FileRef.parse(ref);
        if (!f.endsWith(".java", ".patch", ".diff")) {
            create(ref);     // unknown: throws with the names
            return ref;
        }
        // A file is read again every time (its compiled classes are cached by content): it may have changed.
        UserModel m = UserModels.load(f.file("model file"));
        f.requireHash(m.hash(), "model file");
        String name = FileRef.name(f.path(), m.hash());
        REGISTERED.putIfAbsent(name, m.factory());
        return name;
    }

    /** The shipped models: mainline and series-v9. */
    public static List<String> names() { return List.copyOf(BUILT_IN.keySet()); }

    /** The mutants of series-v9, one per reason of the seed's commit message, in reason order. */
    public static List<Mutant> mutants() {
        return MUTANTS.values().stream().map(f -> (Mutant) f.get()).toList();
    }

    /** The shipped model (mainline, series-v9 or a mutant) that {@code model} is, or derives from. */
    public static String shippedBase(Mainline model) { return UserModels.base(model.getClass()); }

    public static boolean isMutant(String name) { return MUTANTS.containsKey(name); }

    public static boolean exists(String name) {
        return BUILT_IN.containsKey(name) || MUTANTS.containsKey(name) || REGISTERED.containsKey(name);
    }

    /** A fresh instance (a model holds the state of one machine). */
    public static Mainline create(String name) {
        Supplier<Mainline> f = BUILT_IN.getOrDefault(name, MUTANTS.getOrDefault(name, REGISTERED.get(name)));
        if (f == null) {
            List<String> all = new java.util.ArrayList<>(BUILT_IN.keySet());
            all.addAll(MUTANTS.keySet());
            throw new IllegalArgumentException("unknown model '" + name + "' (known: " + String.join(", ", all)
                    + "; or a .java or .patch file)");
        }
        return f.get();
    }
}
