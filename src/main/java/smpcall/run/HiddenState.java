package smpcall.run;

import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.util.HashSet;
import java.util.Set;

/**
 * Not in the C: finds state a model keeps where the machine cannot see it. A search that
 * restores states saves the machine (memory, CPUs, tasks, the ghost) and rebuilds a task by
 * running its code again; a model that keeps something of its own in a Java field (a flag, a
 * counter, a list) would keep it across a restore, and its code run again would take another
 * way. So a model's fields, and those of the kernel objects it is made of, may hold only
 * machine objects (cells, masks, per-CPU variables, storage: see {@code smpcall.machine}),
 * the ghost state (saved with the machine), functions, or constants (final primitives,
 * strings, enums). docs/checker.md says what this asks of a model.
 */
public final class HiddenState {
    private HiddenState() {}

    /** The first field of {@code model}'s classes that keeps state the machine cannot see, with why; or null. */
    public static String of(Class<?> model) {
        return check(model, new HashSet<>());
    }

    private static String check(Class<?> c, Set<Class<?>> seen) {
        for (Class<?> k = c; k != null && k != Object.class; k = k.getSuperclass()) {
            if (!seen.add(k)) continue;
            for (Field f : k.getDeclaredFields()) {
                if (f.isSynthetic()) continue;
                String why = hidden(f, seen);
                if (why != null) return why.startsWith(NESTED) ? why.substring(NESTED.length()) : k.getSimpleName() + "." + f.getName() + " " + why;
            }
        }
        return null;
    }

    private static String hidden(Field f, Set<Class<?>> seen) {
        int mod = f.getModifiers();
        Class<?> t = f.getType();
        boolean fin = Modifier.isFinal(mod);
        if (Modifier.isStatic(mod)) {
            if (!fin) return "is a static field that is not final";
            return constant(t) || t.isInterface() || check(t, seen) == null ? null : "is a static object the machine cannot see";
        }
        if (constant(t)) return fin ? null : "is a Java " + t.getSimpleName() + " that is not final: the machine does not see it change";
        if (t.isArray()) return "is a Java array: the machine does not see its elements change";
        if (t.isInterface() && (t.isAnnotationPresent(FunctionalInterface.class) || t.getPackageName().equals("java.util.function")))
            return null;                                                   // functions (callbacks, conditions)
        if (t.getPackageName().startsWith("java.")) return "is a Java " + t.getSimpleName() + ": the machine does not see it change";
        if (t.getPackageName().equals("smpcall.machine")) return null;     // machine objects: saved with the machine
        if (t.getName().equals("smpcall.kernel.Ghost")) return null;       // the ghost state: saved with the machine
        if (t.isInterface()) return null;                                  // the model's own interfaces: functions
        String inside = check(t, seen);                                    // a kernel object: its own fields
        return inside == null ? null : NESTED + inside;
    }

    /** Marks what a field's own class keeps: it names its field itself. */
    private static final String NESTED = "\0";

    private static boolean constant(Class<?> t) {
        return t.isPrimitive() || t == String.class || t.isEnum() || t == Long.class || t == Integer.class || t == Boolean.class;
    }
}
