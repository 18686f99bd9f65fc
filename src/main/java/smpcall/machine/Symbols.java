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

    /**
     * The kernel's {@code Call Trace:} of a stack: the model's functions, innermost first, as
     * {@code %pS} prints them, those of an interrupt handler in {@code <IRQ>}, the task's in
     * {@code <TASK>}. A model frame is one of the kernel package (user models live there too)
     * or of a class in no package; a function that calls its overridden self shows once.
     */
    public static java.util.List<String> callTrace(StackTraceElement[] stack) {
        java.util.List<String> irq = new java.util.ArrayList<>(), task = new java.util.ArrayList<>();
        java.util.List<String> into = task;
        boolean sawIrqEntry = false;
        for (StackTraceElement f : stack) {
            if (f.getClassName().equals(Sched.class.getName()) && f.getMethodName().equals("handleIrq") && !sawIrqEntry) {
                sawIrqEntry = true;
                irq.addAll(task);
                task.clear();
                continue;
            }
            String cls = f.getClassName();
            boolean model = cls.startsWith("smpcall.kernel.") || cls.indexOf('.') < 0;
            if (!model || f.getMethodName().startsWith("lambda$") || f.getMethodName().equals("<init>")) continue;
            String name = cName(f.getMethodName());
            if (!into.isEmpty() && into.get(into.size() - 1).equals(name)) continue;
            into.add(name);
        }
        java.util.List<String> lines = new java.util.ArrayList<>();
        if (irq.isEmpty() && task.isEmpty()) return lines;
        lines.add("Call Trace:");
        if (!irq.isEmpty()) {
            lines.add(" <IRQ>");
            for (String fn : irq) lines.add(" " + Tracepoints.symbol(fn));
            lines.add(" </IRQ>");
        }
        lines.add(" <TASK>");
        for (String fn : task) lines.add(" " + Tracepoints.symbol(fn));
        lines.add(" </TASK>");
        return lines;
    }
}
