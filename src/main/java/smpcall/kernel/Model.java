package smpcall.kernel;

import smpcall.machine.Machine;

/** A model of kernel/smp.c: it boots on a machine and then serves the call API to tasks. */
public interface Model {
    /** The name users type ({@code --model mainline}). */
    String name();

    /** One line: what this model is. */
    String description();

    /** Set up per-CPU data, the IPI handlers and the hotplug callbacks on {@code m}. */
    void boot(Machine m);
}
