package smpcall.machine;

/**
 * The machine's own debug checks, as the kernel has them whatever subsystem runs on it: the
 * lockup and hung-task watchdogs, KASAN, CONFIG_DEBUG_PREEMPT with might_sleep() and
 * scheduling while atomic; and a model that failed. What property of the model each stands
 * for is named by the layer above ({@link Machine#nameChecks}).
 */
public enum Check implements Finding.Tag {
    HANG("no hang: the soft- and hard-lockup watchdogs, the hung-task detector"),
    MEMORY_SAFETY("KASAN: no access to freed or out-of-scope storage"),
    PREEMPTION("DEBUG_PREEMPT, might_sleep(), scheduling while atomic: preemption and irq state as the kernel requires"),
    MODEL("the model code ran without failing");

    private final String text;

    Check(String text) { this.text = text; }

    @Override public String text() { return text; }
}
