package smpcall.kernel;

import smpcall.machine.Check;
import smpcall.machine.Finding;

/**
 * The properties of docs/design.md that a run is checked against: what the ghost state checks
 * of kernel/smp.c, and what the machine's own debug checks stand for (a hang is P2, KASAN P5,
 * DEBUG_PREEMPT and might_sleep() P6). Not in the C.
 */
public enum Property implements Finding.Tag {
    P1("contract: every target runs func exactly once, on that CPU, with irqs off; a waiting call returns only after all finished; each call returns what the C documents (-ENXIO, -EBUSY)"),
    P2("progress: no hang; every waiting call returns and every queued CSD runs; no CSD left locked with nothing in flight"),
    P3("hotplug: no CSD queued to a CPU that is not online (its dying flush has run or is running), none left on an offline CPU; no IPI on offline CPU"),
    P4("CSD exclusivity: csd_lock never takes a CSD another task holds or is taking; no unlock of an unlocked CSD"),
    P5("memory safety: no access to freed CSD or mask storage"),
    P6("preemption discipline: preempt count balanced and never negative; no per-CPU use while preemptible; no sleeping while atomic"),
    P7("irq discipline: no cross-call with irqs disabled or from interrupt context"),
    P8("scratch mask: cpumask_ipi not written by another task between its owner's clear and its IPI send"),
    P9("wait mask: the mask a caller queues on and waits on is written by nobody else from its build to the end of the wait"),
    /** Not a property of the subsystem: the model code itself failed, or a run ran out of steps. */
    MODEL("the model ran to completion within its step budget");

    private final String text;

    Property(String text) { this.text = text; }

    @Override public String text() { return text; }

    /** The property a machine check stands for. */
    public static Property of(Check c) {
        return switch (c) {
            case HANG -> P2;
            case MEMORY_SAFETY -> P5;
            case PREEMPTION -> P6;
            case MODEL -> MODEL;
        };
    }

    /** The property a finding is of: its tag, or what its machine check stands for. */
    public static Property of(Finding.Tag t) {
        return t instanceof Check c ? of(c) : (Property) t;
    }

    public static Property of(Finding f) { return of(f.property()); }
}
