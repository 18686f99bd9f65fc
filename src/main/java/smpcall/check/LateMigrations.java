package smpcall.check;

import smpcall.machine.Moves;

/**
 * A reduction of the search with sleep sets: a migration is explored only where some move
 * could tell that it happened (docs/checker.md, "Migrations, late").
 *
 * <p>A runnable task that waits on a run queue may be migrated at any point, and each point
 * is a state of its own: the same positions of every other CPU, with the task on one queue
 * or the other. Most moves cannot tell the difference. A move that reads or changes no run
 * queue (it queues, picks or wakes no task, looks for no contender, takes no CPU in or out:
 * the machine's {@code rqTouches} count stays put across it) commutes with a quiet migration
 * (one whose task the destination's current task beats, and that is the task's last): the
 * migration changes only the two queues, the task's CPU and its budget, which that move
 * neither reads nor writes, and the move changes nothing the migration reads or depends on.
 *
 * <p>So at a point where every move but the migrations is such a move, and every migration
 * is quiet, the moves other than the migrations form a persistent set (Godefroid): the
 * migrations are left to the points after those moves, where they are offered again, and
 * where one of them meets a move that can tell, it is explored there. A move's footprint is
 * known once it has been made: a move asleep here was made at the point it fell asleep, and
 * its footprint comes along with it (its sleep set says nothing between could change it).
 * The provisos:
 * <ul>
 *   <li>every other move here was made from here, or is asleep with a footprint; a move
 *       skipped as covered by an earlier visit, or over the preemption bound, was not, and
 *       its footprint is unknown;</li>
 *   <li>no move made from here led to a state on the current path (a cycle could otherwise
 *       put the migrations off for ever);</li>
 *   <li>a move that ended the run counts as one that can tell.</li>
 * </ul>
 */
final class LateMigrations {
    private LateMigrations() {}

    /**
     * Whether the migrations left at {@code n} (those after index {@code next}, the first
     * awake one, where the machine lists migrations last) wait for a later point.
     */
    static boolean postpone(Node n, int next) {
        if (n.clean == null || Moves.kind(n.moves[next]) != Moves.Kind.MIGRATE || n.cycle) return false;
        boolean other = false;
        for (int i = 0; i < n.moves.length; i++) {
            if (Moves.kind(n.moves[i]) == Moves.Kind.MIGRATE) {
                if ((n.flags[i] & Moves.RESCHED) != 0) return false;
            } else {
                if (!(n.done[i] ? n.clean[i] : asleepClean(n, n.moves[i]))) return false;
                other = true;
            }
        }
        return other;
    }

    private static boolean asleepClean(Node n, int move) {
        for (int k = 0; k < n.sleep.length; k++) if (n.sleep[k] == move) return n.sleepClean[k];
        return false;
    }

    /** The footprints of the moves asleep at a new point after {@code parent}: each as it was where it was made. */
    static boolean[] sleepClean(Node parent, int[] sleep) {
        boolean[] out = new boolean[sleep.length];
        if (parent == null || parent.clean == null) return out;
        for (int k = 0; k < sleep.length; k++) {
            int i = parent.indexOf(sleep[k]);
            out[k] = parent.asleep(sleep[k]) ? asleepClean(parent, sleep[k]) : i >= 0 && parent.done[i] && parent.clean[i];
        }
        return out;
    }
}
