package smpcall.check;

import smpcall.machine.Moves;

/**
 * A reduction of the search with sleep sets: a stopper's step on stop_machine's own cells is
 * taken first, alone, where it turns out private (docs/checker.md, "Stopper steps first").
 *
 * <p>While stop_machine runs, its stoppers step through PREPARE, DISABLE_IRQ, RUN and EXIT,
 * each reading the state, acking it, the last one moving everyone on. Those cells
 * ({@code msdata.state}, {@code msdata.thread_ack}) are the machine's, made for this one
 * stop_machine, and nothing but its stoppers touches them. Yet every order of their acks,
 * against every position of every other CPU, is a state of its own: most of the states of a
 * hotplug scenario are stoppers that have acked or not.
 *
 * <p>So at a point where a stopper can step on one of those cells, that step is explored
 * first; if it turns out private, no other move here is explored. It
 * is private when it was the only move the machine made before the next decision, and it left
 * the run queues, the ghost state and its CPU's interrupt and preemption state and current
 * task as it found them: what changed is its cell and its task's history. Then:
 * <ul>
 *   <li>against every move of a task, an interrupt on any CPU, a migration: they touch
 *       neither that cell nor what the step changed, and the step touches nothing they do, so
 *       each commutes with it, and an interrupt or preemption on its own CPU is still offered
 *       after it, at the stopper's next point;</li>
 *   <li>against another stopper's step on the same cells, the two do not commute: who acks
 *       last moves everyone on. But nothing else reads those cells, and each stopper forgets
 *       at the head of its loop how the last state was reached: every order of one state's
 *       acks ends with every stopper waiting for the next state, the same state. What other
 *       CPUs can do meanwhile depends only on which stoppers still have interrupts on, and a
 *       stopper turns them off at a point of its own (the point before {@code
 *       local_irq_disable()}), which this rule never skips.</li>
 * </ul>
 * The provisos are those of {@link LateMigrations}: the step taken first must not lead to a
 * state on the path, and a step that ends the run is not private. The tests hold it against
 * the search without it on the hotplug scenarios, and the mutation score is taken with it.
 */
final class StopperSteps {
    private StopperSteps() {}

    /** The move to take first at {@code n}: a stopper's step on its own cells that is awake; or -1. */
    static int first(Node n, int bound) {
        for (int i = 0; i < n.moves.length; i++)
            if ((n.flags[i] & Moves.STOPPERS) != 0 && !n.done[i] && !n.covered[i] && Node.explorable(n, i, bound)) return i;
        return -1;
    }

    /** Whether the step taken first at {@code n} was private: no other move there needs exploring. */
    static boolean coversTheRest(Node n) {
        return n.first >= 0 && n.firstPrivate && !n.cycle;
    }
}
