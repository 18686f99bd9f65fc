package smpcall.machine;

import java.util.List;

/**
 * What one run of the machine produced.
 *
 * @param end      why it ended
 * @param findings the findings, in the order they were made
 * @param trace    the trace events (empty when tracing was off)
 * @param console  the kernel log lines printed with printk (pr_alert and friends)
 * @param steps    machine steps executed
 * @param choices  the index of each choice among the moves offered (what explorers replay)
 * @param moves    the token of each chosen move ({@link Moves#token}): what a run-id records, and
 *                 what {@link ReplayChooser} checks against the moves offered at each point
 * @param endNs    the virtual time at the end (the latest CPU clock)
 * @param divergence with {@link End#DIVERGED}: where and how the replay stopped fitting; else null
 * @param contexts each CPU's context where it changed (empty when tracing was off): the pictures' spans
 */
public record RunResult(End end, List<Finding> findings, List<TraceEvent> trace, List<String> console, long steps,
                        int[] choices, int[] moves, long endNs, String divergence, List<ContextChange> contexts) {

    public RunResult(End end, List<Finding> findings, List<TraceEvent> trace, List<String> console, long steps,
                     int[] choices, int[] moves, long endNs, String divergence) {
        this(end, findings, trace, console, steps, choices, moves, endNs, divergence, List.of());
    }

    public enum End {
        /** Nothing left to do and every task finished. */
        COMPLETED,
        /** Nothing can move but some task has not finished: a hang (P2). */
        HANG,
        /** A finding ended the run (the machine was asked to stop at the first one). */
        FINDING,
        /** The step budget ran out. */
        STEP_LIMIT,
        /** The model code threw. */
        MODEL_ERROR,
        /** The chooser gave the run up (an explorer that knows the rest is redundant). */
        ABANDONED,
        /** A replayed recording named a move the machine did not offer, or ran out. */
        DIVERGED
    }

    public boolean clean() { return findings.isEmpty(); }
}
