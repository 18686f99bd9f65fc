/**
 * What a run is, between the kernel model and the explorers: the scenarios, the model
 * registry, the run-id codec and the one driver that makes an execution.
 *
 * <p>The words, used with these meanings everywhere (code, help, docs):
 * <dl>
 * <dt>scenario</dt><dd>a situation: a machine configuration (CPUs, knobs) and the tasks that
 *     run on it with their programs of calls, and the hotplug actions; it leaves every
 *     nondeterministic decision to the machine's chooser, so it stands for all its
 *     interleavings ({@link smpcall.run.Scenario});</dd>
 * <dt>model</dt><dd>a variant of kernel/smp.c: {@code mainline}, {@code series-v9}, a mutant,
 *     or a user's file ({@link smpcall.run.Models});</dd>
 * <dt>execution</dt><dd>one pass of the machine from boot to its end under one sequence of
 *     moves; what searches count;</dd>
 * <dt>run</dt><dd>an execution named by a run-id (model, scenario, knobs, and a seed or the
 *     recorded moves), so that {@code replay} makes it again, byte for byte ({@link smpcall.run.RunSpec});</dd>
 * <dt>search</dt><dd>many executions of one model on one scenario, chosen by a strategy
 *     (depth-first, PCT, random), ending in a verdict;</dd>
 * <dt>move</dt><dd>one decision at a scheduling point, among those the machine offers: a
 *     CPU's step, an interrupt taken, a preemption, a migration, a data choice of the scenario;</dd>
 * <dt>step</dt><dd>one access a CPU makes (a move of kind step); step counts and step budgets
 *     count these.</dd>
 * </dl>
 * "Cell" means a memory cell of the machine only.
 */
package smpcall.run;
