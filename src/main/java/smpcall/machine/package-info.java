/**
 * The virtual SMP machine: CPUs, tasks on virtual threads (exactly one runs at a time),
 * memory cells with the C's access kinds, per-CPU variables, interrupts and IPIs, a
 * scheduler with preemption and migration, stop_machine and CPU hotplug, a virtual clock,
 * the trace, and the kernel's own debug checks. Every shared access is a scheduling point
 * where the {@link smpcall.machine.Chooser} picks the next move among those offered
 * ({@link smpcall.machine.Moves}). See {@link smpcall.run} for the words scenario, model,
 * execution, run, search, move and step.
 */
package smpcall.machine;
