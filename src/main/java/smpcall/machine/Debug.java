package smpcall.machine;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * The kernel's own debug checks, as the machine can see them, and the findings list:
 * CONFIG_DEBUG_PREEMPT (per-CPU use in preemptible code, preempt count underflow),
 * scheduling while atomic, KASAN use-after-free, and the watchdogs (soft lockup, hung task)
 * when nothing can move.
 */
final class Debug {
    private final Machine m;
    final List<Finding> findings = new ArrayList<>();
    /** Reports the kernel prints once (WARN_ON_ONCE, printk_once) or that would flood. */
    private final Set<String> once = new HashSet<>();

    /** Which findings count: those of the properties the run is checked against (all by default). */
    java.util.function.Predicate<Finding> keep = f -> true;

    Debug(Machine m) { this.m = m; }

    void report(Finding.Tag p, List<String> preface, String headline, List<String> details) {
        if (m.exec.rebuilding()) return;     // the code that runs again to rebuild a task reported it the first time
        Cpu c = m.cpus[m.runningCpu()];
        Task t = m.exec.running == m.exec.driver ? c.curr : m.exec.running;
        if (headline.startsWith("WARNING:") || headline.startsWith("BUG:")) details = withCallTrace(headline, details);
        Finding f = new Finding(p instanceof Check check ? m.checkNames.apply(check) : p, preface, headline, details, m.exec.steps, c.id, t.comm, t.pid, m.clock.now(c.id));
        for (String line : f.kernelLog()) m.printk(line);   // the kernel prints it into its log
        if (!keep.test(f)) return;                           // a property the run is not checked against
        findings.add(f);
        if (m.stopOnFinding) m.endRun(RunResult.End.FINDING);
    }

    /**
     * A WARNING or BUG as the kernel prints it: with the call trace of the model code that
     * made it (KASAN puts it after the access line, the others at the end).
     */
    private static List<String> withCallTrace(String headline, List<String> details) {
        List<String> trace = Symbols.callTrace(Thread.currentThread().getStackTrace());
        if (trace.isEmpty()) return details;
        List<String> out = new ArrayList<>(details);
        int at = headline.startsWith("BUG: KASAN") && !out.isEmpty() ? 1 : out.size();
        out.addAll(at, trace);
        return out;
    }

    boolean firstTime(String key) { return once.add(key); }

    // Not in the C: what a Snapshot saves and puts back.
    String[] onceKeys() { return once.isEmpty() ? null : once.toArray(new String[0]); }

    void restoreOnce(String[] keys) {
        once.clear();
        if (keys != null) once.addAll(java.util.Arrays.asList(keys));
    }

    /** WARN(): the message lines, then {@code WARNING: CPU: n PID: n at file:line func+off/len}. */
    void warn(Finding.Tag p, String file, int line, String func, List<String> message, List<String> after) {
        if (m.exec.rebuilding()) return;
        Cpu c = m.cpus[m.runningCpu()];
        String headline = "WARNING: CPU: " + c.id + " PID: " + m.exec.running.pid + " at " + file + ":" + line
                + " " + Tracepoints.symbol(func);
        report(p, message, headline, after);
    }

    /** check_preemption_disabled(): smp_processor_id() or this_cpu_ptr() while preemptible. */
    void checkPreemptionDisabled(String what) {
        if (!m.config.debugPreempt() || !m.exec.started) return;
        Task t = m.exec.running;
        Cpu c = m.cpus[t.cpu];
        if (t.preemptCount != 0 || c.irqsDisabled || c.hardirq != 0) return;
        if (t.nrCpusAllowed() == 1 || t.migrateDisable != 0) return;   // is_percpu_thread() and friends
        String caller = Symbols.callerInModel();
        if (!firstTime("preempt:" + caller)) return;
        report(Check.PREEMPTION, List.of(),
                "BUG: using " + what + "() in preemptible [00000000] code: " + t.comm + "/" + t.pid,
                List.of("caller is " + Tracepoints.symbol(caller)));
    }

    /**
     * __might_resched() (CONFIG_DEBUG_ATOMIC_SLEEP): a function that may sleep is called with
     * preemption or irqs disabled; {@code file:line} is the call site the kernel names. Once
     * per call site and run (the kernel allows one report a second).
     */
    void mightSleep(String file, int line) {
        if (!m.exec.started) return;
        Task t = m.exec.running;
        Cpu c = m.cpus[t.cpu];
        int count = t.preemptCount + (c.hardirq > 0 ? 0x10000 : 0);
        if (count == 0 && !c.irqsDisabled) return;
        if (!firstTime("might_sleep:" + file + ":" + line)) return;
        List<String> details = new ArrayList<>(List.of(
                String.format("in_atomic(): %d, irqs_disabled(): %d, non_block: 0, pid: %d, name: %s",
                        count != 0 ? 1 : 0, c.irqsDisabled ? 1 : 0, t.pid, t.comm),
                String.format("preempt_count: %x, expected: 0", count)));
        if (m.config.preemption()) details.add("RCU nest depth: 0, expected: 0");     // CONFIG_PREEMPT_RCU
        details.add("CPU: " + c.id + " PID: " + t.pid + " Comm: " + t.comm);
        report(Check.PREEMPTION, List.of(), "BUG: sleeping function called from invalid context at " + file + ":" + line, details);
    }

    /** preempt_count_sub() with DEBUG_PREEMPT: the count would go below zero. */
    void preemptCountUnderflow() {
        warn(Check.PREEMPTION, "kernel/sched/core.c", 5874, "preempt_count_sub",
                List.of("DEBUG_LOCKS_WARN_ON(val > preempt_count())"), List.of());
    }

    /** __schedule_bug(): a task sleeps with preemption or irqs disabled. */
    void schedulingWhileAtomic(Task t, Cpu c) {
        int count = t.preemptCount + 1;    // schedule() itself holds one
        report(Check.PREEMPTION, List.of(),
                String.format("BUG: scheduling while atomic: %s/%d/0x%08x", t.comm, t.pid, count),
                c.irqsDisabled ? List.of("irqs were disabled") : List.of());
    }

    /** do_exit() with a preempt count left over. */
    void exitWithPreemptCount(Task t) {
        report(Check.PREEMPTION, List.of(),
                "note: " + t.comm + "[" + t.pid + "] exited with preempt_count " + t.preemptCount, List.of());
    }

    /** KASAN: the access about to be made touches freed storage. */
    void useAfterFree(Location loc, Access kind) {
        Storage s = loc.storage;
        if (s.reported) return;
        s.reported = true;
        Task t = m.exec.running;
        String type = s.kind == Storage.Kind.STACK ? "stack-use-after-return" : "slab-use-after-free";
        String fn = Symbols.callerInModel();
        report(Check.MEMORY_SAFETY, List.of("=================================================================="),
                "BUG: KASAN: " + type + " in " + Tracepoints.symbol(fn),
                List.of((kind.isWrite() ? "Write" : "Read") + " of size 8 at addr "
                                + String.format("ffff8881%08x", s.addr) + " by task " + t.comm + "/" + t.pid,
                        "",
                        "The buggy address belongs to " + s.name() + ", freed by " + s.freedBy + ".",
                        "=================================================================="));
    }

    /**
     * How long the watchdog would say {@code t} has been stuck: the soft-lockup threshold
     * (2 * watchdog_thresh = 20 s) and its first check after it (22 s), or the time it has
     * really spun if that is longer (time ran ahead to a timed spin's deadline).
     */
    private long stuckSeconds(Cpu c, Task t) {
        long spun = Math.max(0, m.clock.now(c.id) - t.spinSinceNs) / Config.NSEC_PER_SEC;
        return Math.max(22, spun);
    }

    /**
     * Nothing can move but some task has not finished: what the soft-lockup and hung-task
     * watchdogs would say, one report per stuck CPU or task.
     */
    void hang() {
        List<String> lines = new ArrayList<>();
        String headline = null;
        for (Cpu c : m.cpus) {
            if (c.state == Cpu.State.OFFLINE || c.curr.isIdle()) continue;
            Task t = c.curr;
            String line = "watchdog: BUG: soft lockup - CPU#" + c.id + " stuck for " + stuckSeconds(c, t) + "s! ["
                    + t.comm + ":" + t.pid + "]";
            if (headline == null) headline = line;
            else lines.add(line);
            String why = c.irqsDisabled && t.preemptCount != 0 ? " with irqs and preemption disabled"
                    : c.irqsDisabled ? " with irqs disabled" : t.preemptCount != 0 ? " with preemption disabled" : "";
            lines.add("  spinning on " + (t.nextLoc == null ? "?" : t.nextLoc.name()) + why);
            if (t.thread != null) lines.addAll(Symbols.callTrace(t.thread.getStackTrace()));
        }
        for (Task t : m.tasks) {
            if (t.state != Task.State.SLEEPING || t.daemon) continue;
            String line = "INFO: task " + t.comm + ":" + t.pid + " blocked for more than 120 seconds.";
            if (headline == null) headline = line;
            else lines.add(line);
        }
        for (Task t : m.tasks) {
            if (t.state == Task.State.RUNNABLE && !t.daemon) {
                String line = "smpcall: task " + t.comm + ":" + t.pid + " runnable on CPU" + t.cpu
                        + " but never scheduled";
                if (headline == null) headline = line;
                else lines.add(line);
            }
        }
        report(Check.HANG, List.of(), headline == null ? "hang" : headline, lines);
    }

    /**
     * How many of the machine's steps a CPU must have spent stuck before a spent budget counts
     * as a lockup: far more than any finite piece of the scenarios' work takes.
     */
    static final long LOCKUP_MIN_STEPS = 100_000;

    /**
     * The step budget ran out with a CPU stuck: what the lockup watchdogs would say of it. In
     * the kernel the NMI watchdog reports a CPU that took no timer interrupt for
     * watchdog_thresh (10 s), the soft-lockup watchdog one that did not schedule for twice
     * that; a checking run never gets that far in virtual time, so the budget stands in for
     * the thresholds: a CPU counts as stuck when it kept irqs off (hard lockup), or kept its
     * task while that could not be preempted (soft lockup), for the last half of the run's
     * steps and at least {@link #LOCKUP_MIN_STEPS} of them. A run that merely had much to do,
     * or a budget cut short, is no finding.
     */
    void lockup() {
        long steps = m.exec.steps;
        long stuck = Math.max(steps / 2, LOCKUP_MIN_STEPS);
        long now = 0;
        for (Cpu c : m.cpus) now = Math.max(now, m.clock.now(c.id));
        for (Cpu c : m.cpus) {
            if (c.state == Cpu.State.OFFLINE) continue;
            Task t = c.curr;
            String why;
            String headline;
            long sinceNs;
            if (c.irqsOffSinceNs >= 0 && steps - c.irqsOffSinceStep >= stuck) {
                headline = "watchdog: CPU" + c.id + ": Watchdog detected hard LOCKUP on cpu " + c.id;
                why = "irqs off";
                sinceNs = c.irqsOffSinceNs;
            } else if (!t.isIdle() && steps - c.switchedAtStep >= stuck
                    && (t.preemptCount != 0 || c.hardirq > 0 || !m.config.preemption())) {
                headline = "watchdog: BUG: soft lockup - CPU#" + c.id + " stuck for " + stuckSeconds(c, t) + "s! ["
                        + t.comm + ":" + t.pid + "]";
                why = "no schedule";
                sinceNs = c.switchedAtNs;
            } else {
                continue;
            }
            List<String> lines = new ArrayList<>();
            lines.add(String.format("smpcall: the step budget (%d steps) ran out with %s on CPU%d from %s to %s:"
                            + " the watchdog would fire once its threshold passed",
                    m.config.maxSteps(), why, c.id, seconds(sinceNs), seconds(now)));
            lines.add("  " + (c.hardirq > 0 ? "in an interrupt handler" : "in " + t.comm + ":" + t.pid) + ", at "
                    + (t.nextLoc == null ? "?" : t.nextLoc.name()));
            if (t.thread != null) lines.addAll(Symbols.callTrace(t.thread.getStackTrace()));
            report(Check.HANG, List.of(), headline, lines);
        }
    }

    /** A time as the kernel log stamps it: seconds with six decimals. */
    private static String seconds(long ns) {
        return String.format("%d.%06d", ns / Config.NSEC_PER_SEC, ns % Config.NSEC_PER_SEC / 1000);
    }
}
