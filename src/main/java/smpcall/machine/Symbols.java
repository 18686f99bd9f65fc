package smpcall.machine;

/**
 * Maps model method names to the C names they mirror, one convention for all:
 * {@code __csdLockWait} is {@code __csd_lock_wait}, {@code smpcfdDyingCpu} is
 * {@code smpcfd_dying_cpu}. Used where the kernel would print a symbol (KASAN's "in func",
 * a WARN's location) and the model only knows the Java frame.
 */
public final class Symbols {
    private Symbols() {}

    /** {@code base[index]field}; no brackets for index -1, nothing for a null field. */
    static String join(String base, int index, String field) {
        return base + (index >= 0 ? "[" + index + "]" : "") + (field == null ? "" : field);
    }

    public static String cName(String javaName) {
        StringBuilder b = new StringBuilder(javaName.length() + 8);
        for (int i = 0; i < javaName.length(); i++) {
            char ch = javaName.charAt(i);
            if (Character.isUpperCase(ch)) {
                if (i > 0 && javaName.charAt(i - 1) != '_') b.append('_');
                b.append(Character.toLowerCase(ch));
            } else {
                b.append(ch);
            }
        }
        return b.toString();
    }

    /**
     * The C name of the innermost model function on the calling thread's stack: the first
     * frame outside the machine and the JDK.
     */
    public static String callerInModel() {
        return StackWalker.getInstance().walk(frames -> frames
                .filter(f -> !f.getClassName().startsWith("smpcall.machine.")
                        && !f.getClassName().startsWith("java."))
                .filter(f -> !f.getMethodName().startsWith("lambda$"))
                .findFirst()
                .map(f -> cName(f.getMethodName()))
                .orElse("?"));
    }
}
