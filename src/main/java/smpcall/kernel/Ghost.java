package smpcall.kernel;

import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;

import smpcall.machine.Cpumask;
import smpcall.machine.Machine;
import smpcall.machine.Property;
import smpcall.machine.StateHash;
import smpcall.machine.Task;
import smpcall.machine.Tracepoints;

/**
 * Ghost state: what the kernel cannot see about itself, kept apart from the model's state
 * and fed by annotations in the model code (as lockdep is): who is taking or holds a CSD
 * (P4), who is building the scratch mask {@code cpumask_ipi} (P8), whose wait mask is in
 * use (P9), and which call each queued CSD belongs to, so that every CPU a call names runs the
 * function exactly once, on that CPU, with irqs off, and a waiting call returns only after
 * all finished it (P1: the check is at the function's exit, where the C's
 * csd_function_exit tracepoint is).
 */
public final class Ghost {
    private final Machine m;
    private final Map<Csd, Task> taking = new IdentityHashMap<>();
    private final Map<Csd, Task> holder = new IdentityHashMap<>();
    private final Map<Csd, Call> callOf = new IdentityHashMap<>();
    private final List<Call> calls = new ArrayList<>();
    /** How many calls each task has begun. */
    private final Map<Task, Long> callsBy = new IdentityHashMap<>();

    /** Who builds a scratch mask, who waits on a wait mask (by the mask's cell id). */
    private final Map<Cpumask, Task> scratchOwner = new IdentityHashMap<>();
    private final Map<Cpumask, Task> waitOwner = new IdentityHashMap<>();

    Ghost(Machine m) {
        this.m = m;
        this.local = new Call[m.nrCpuIds()];
        m.atQuiescence(this::checkCallsComplete);
        m.addStatePart(this::stateHash);
    }

    /** The ghost state decides future findings: an explorer that prunes seen states must see it. */
    private long stateHash() {
        long h = 0;
        for (var e : taking.entrySet()) h ^= StateHash.mix(StateHash.extend(e.getKey().stableId(), e.getValue().pid()));
        for (var e : holder.entrySet()) h ^= StateHash.mix(StateHash.extend(~e.getKey().stableId(), e.getValue().pid()));
        for (var e : scratchOwner.entrySet()) h ^= StateHash.mix(StateHash.extend(StateHash.of(e.getKey()), e.getValue().pid() + 1000));
        for (var e : waitOwner.entrySet()) h ^= StateHash.mix(StateHash.extend(StateHash.of(e.getKey()), e.getValue().pid() + 2000));
        for (Call c : calls) {
            if (c.returned && c.ran == c.expected) continue;
            h = StateHash.extend(h, c.caller.pid() ^ c.expected << 8 ^ c.ran << 24 ^ (c.wait ? 1L << 40 : 0) ^ (c.returned ? 1L << 41 : 0));
            h = StateHash.extend(h, c.running ^ c.asked * 31);
        }
        for (int cpu = 0; cpu < local.length; cpu++) if (local[cpu] != null) h = StateHash.extend(h, local[cpu].id ^ (long) cpu << 56);
        for (var e : callOf.entrySet()) h ^= StateHash.mix(StateHash.extend(e.getKey().stableId(), e.getValue().id));
        return h;
    }

    // ---- P4: CSD exclusivity

    /** csd_lock() saw the lock clear and is about to set it: nobody else may be doing so or hold it. */
    void csdTaking(Csd csd) {
        Task me = m.current();
        Task other = taking.get(csd);
        if (other == null || other == me) other = holder.get(csd);
        if (other != null && other != me) {
            m.report(Property.P4, List.of(), "smpcall: " + me.comm() + "/" + me.pid() + " takes " + csd
                            + " while " + other.comm() + "/" + other.pid() + (holder.get(csd) == other ? " holds it" : " is taking it"),
                    List.of("csd_lock() sets CSD_FLAG_LOCK with a plain store: two takers on one CSD overwrite each other"));
        }
        taking.put(csd, me);
    }

    /** csd_lock() has set the lock: the current task holds the CSD. */
    void csdTaken(Csd csd) {
        taking.remove(csd);
        holder.put(csd, m.current());
    }

    /** csd_unlock(): nobody holds it any more. */
    void csdReleased(Csd csd) {
        holder.remove(csd);
    }

    // ---- P8: the scratch mask, from its owner's clear to its IPI send

    /** The current task has cleared {@code mask} and builds it until {@link #scratchEnd}. */
    void scratchBegin(Cpumask mask) {
        Task owner = m.current();
        scratchOwner.put(mask, owner);
        mask.cell().watch((writer, kind) -> {
            if (writer != owner)
                m.report(Property.P8, List.of(), "smpcall: " + writer.comm() + "/" + writer.pid() + " writes " + mask
                                + " while " + owner.comm() + "/" + owner.pid() + " builds it",
                        List.of("the IPIs " + owner.comm() + " sends next go to the wrong CPUs"));
        });
    }

    void scratchEnd(Cpumask mask) {
        mask.cell().watch(null);
        scratchOwner.remove(mask);
    }

    // ---- P9: the wait mask, from its build to the end of the wait

    /**
     * The current task has built {@code mask} (cpumask_and, this CPU cleared): it iterates it
     * to queue and then to wait, until {@link #waitMaskEnd}. A write by anyone else in between
     * changes which CSDs it queues or waits for.
     */
    void waitMaskBegin(Cpumask mask) {
        Task owner = m.current();
        waitOwner.put(mask, owner);
        mask.cell().watch((writer, kind) -> {
            if (writer != owner)
                m.report(Property.P9, List.of(), "smpcall: " + writer.comm() + "/" + writer.pid() + " writes " + mask
                                + " while " + owner.comm() + "/" + owner.pid() + " waits on it",
                        List.of(owner.comm() + " may skip a CSD it has to wait for, or wait for one that is not its own"));
        });
    }

    void waitMaskEnd(Cpumask mask) {
        if (waitOwner.get(mask) != m.current()) return;     // not built by this call: no remote CPU
        mask.cell().watch(null);
        waitOwner.remove(mask);
    }

    // ---- P1: the contract of each call

    /** {@link Call#asked} when the ghost cannot tell the targets (a cond_func decides them). */
    static final long UNKNOWN = -1;

    /**
     * One call of the API: the CPUs it must run on, the CPUs it queued to or ran locally,
     * those running it now and those that finished it, whether its caller waits.
     */
    static final class Call {
        final Task caller;
        final String func;
        final boolean wait;
        /** The caller's pid and how many calls it made before: the same in every run, whatever ran first. */
        final long id;
        /** The online CPUs the call names, as the API defines them; {@link #UNKNOWN} with a cond_func. */
        final long asked;
        /** The caller's mask (many_cond), or null: a CPU it no longer names at the return is excused. */
        Cpumask askedMask;
        long expected;
        long running;
        long ran;
        boolean returned;

        Call(Task caller, String func, boolean wait, long id, long asked) {
            this.caller = caller;
            this.id = id;
            this.func = func;
            this.wait = wait;
            this.asked = asked;
        }

        String who() { return caller.comm() + "/" + caller.pid(); }
    }

    /** A function run in progress: whose, and on which CPU it started. */
    record Run(Call call, int cpu) {}

    /** The mask of the many_cond call whose targets {@link #manyTargets} just computed, for {@link #callBegin}. */
    private Cpumask pendingMask;

    /** Per CPU: the call whose function this CPU is about to run itself (not through a CSD). */
    private final Call[] local;

    /**
     * A call begins; {@code asked} is the set of CPUs it must run on ({@link #singleTarget},
     * {@link #manyTargets}). The caller has pinned its CPU, so no CPU goes offline until the
     * call has queued its CSDs.
     */
    Call callBegin(SmpCallFunc func, boolean wait, long asked) {
        Task me = m.current();
        long before = callsBy.merge(me, 1L, Long::sum) - 1;
        Call c = new Call(me, func.name(), wait, (long) me.pid() << 20 | before, asked);
        c.askedMask = pendingMask;
        pendingMask = null;
        calls.add(c);
        return c;
    }

    /** What smp_call_function_single(cpu) must run on: this CPU, or {@code cpu} if it is online; else none (-ENXIO). */
    long singleTarget(int cpu) {
        if (cpu == m.current().cpu()) return 1L << cpu;
        return cpu >= 0 && cpu < m.nrCpuIds() && m.cpu(cpu).online() ? 1L << cpu : 0;
    }

    /**
     * What smp_call_function_many_cond() must run on: the online CPUs of {@code mask} but this
     * one, and this one too with SCF_RUN_LOCAL; {@link #UNKNOWN} when a cond_func filters.
     */
    long manyTargets(Cpumask mask, boolean runLocal, SmpCondFunc condFunc) {
        if (condFunc != null) return UNKNOWN;
        pendingMask = mask;
        long me = 1L << m.current().cpu();
        return mask.peek() & m.cpuOnlineMask().peek() & ~me | (runLocal ? mask.peek() & me : 0);
    }

    /** {@code csd} is filled in for {@code call}. */
    void owns(Csd csd, Call call) {
        callOf.put(csd, call);
    }

    /**
     * {@code csd} goes onto {@code cpu}'s queue: that CPU must run its function. A CPU that is
     * not online has had, or is having, its dying flush: nothing queued there may stay (P3).
     */
    void queued(Csd csd, int cpu) {
        Call call = callOf.get(csd);
        if (call != null) call.expected |= 1L << cpu;
        if (cpu >= 0 && cpu < m.nrCpuIds() && !m.cpu(cpu).online()) {
            queuedOffline.put(csd, cpu);
            m.report(Property.P3, List.of(), "smpcall: " + csd + " (" + csd.func.peek().name() + ") is queued on CPU " + cpu
                            + ", which is " + m.cpu(cpu).state().name().toLowerCase(java.util.Locale.ROOT),
                    List.of("its dying flush has run or is running: the callback is left behind"));
        }
    }

    /** CSDs reported as queued to a CPU that was not online (P3), so that the end-of-run check does not repeat them. */
    private final Map<Csd, Integer> queuedOffline = new IdentityHashMap<>();

    boolean reportedOffline(Csd csd) { return queuedOffline.containsKey(csd); }

    /** The function of {@code csd} runs locally (a single call to this CPU), in the next csd_do_func(). */
    void runsLocally(Csd csd, int cpu) {
        Call call = callOf.get(csd);
        if (call != null) runsLocally(call, cpu);
    }

    /** The function runs locally for {@code call} (SCF_RUN_LOCAL), in the next csd_do_func(). */
    void runsLocally(Call call, int cpu) {
        call.expected |= 1L << cpu;
        local[cpu] = call;
    }

    /**
     * csd_do_func() is about to call the function of {@code csd} (null: the local call
     * announced by {@link #runsLocally}) on {@code cpu}: a CPU the call queued to, for the
     * first time, with irqs off. Returns what {@link #functionExit} needs, or null for a
     * function of no tracked call.
     */
    Run functionEntry(Csd csd, int cpu) {
        Call call;
        if (csd != null) {
            call = callOf.get(csd);
        } else {
            call = local[cpu];
            local[cpu] = null;
        }
        if (call == null) return null;
        long bit = 1L << cpu;
        String wrong = (call.expected & bit) == 0 ? "unasked"
                : ((call.ran | call.running) & bit) != 0 ? "a second time"
                : !m.cpu(cpu).irqsDisabled() ? "with irqs enabled" : null;
        if (wrong != null) {
            m.report(Property.P1, List.of(), "smpcall: " + Tracepoints.symbolNoOffset(call.func) + " of "
                            + call.who() + " runs " + wrong + " on CPU " + cpu,
                    List.of("every target must run the function exactly once, on that CPU, with irqs off"));
        }
        call.running |= bit;
        return new Run(call, cpu);
    }

    /** The function of {@code run} has returned: only now has that CPU finished it. */
    void functionExit(Run run) {
        if (run == null) return;
        Call call = run.call();
        int cpu = m.current().cpu();
        if (cpu != run.cpu()) {
            m.report(Property.P1, List.of(), "smpcall: " + Tracepoints.symbolNoOffset(call.func) + " of "
                            + call.who() + " started on CPU " + run.cpu() + " and returned on CPU " + cpu,
                    List.of("every target must run the function on that CPU"));
        }
        long bit = 1L << run.cpu();
        call.running &= ~bit;
        call.ran |= bit;
    }

    /**
     * The call returns: it must have queued to (or run on) every CPU it names; a waiting one
     * only after every target finished.
     */
    void callReturns(Call call) {
        call.returned = true;
        long missing = call.asked == UNKNOWN ? 0 : call.asked & ~call.expected;
        // Excused: a CPU that has gone offline meanwhile (the caller was not pinned: P6
        // reports that), or that the caller's mask no longer names (a mask changed under the
        // call, which the C allows for).
        missing &= m.cpuOnlineMask().peek() | 1L << call.caller.cpu();
        if (call.askedMask != null) missing &= call.askedMask.peek();
        if (missing != 0) {
            m.report(Property.P1, List.of(), "smpcall: " + call.who() + " returns from its call of " + call.func
                            + " without having queued it to online CPU(s) " + Tracepoints.cpumaskList(missing),
                    List.of("every online target must run the function"));
        } else if (call.wait && call.ran != call.expected) {
            m.report(Property.P1, List.of(), "smpcall: " + call.who() + " returns from its call of " + call.func
                            + " before CPU(s) " + Tracepoints.cpumaskList(call.expected & ~call.ran) + " finished it",
                    List.of("a waiting call must return only after every target finished"));
        }
    }

    private void checkCallsComplete() {
        for (Call c : calls) {
            if (c.ran != c.expected && !c.wait)
                m.report(Property.P1, List.of(), "smpcall: " + c.func + " of " + c.who()
                        + " never ran on CPU(s) " + Tracepoints.cpumaskList(c.expected & ~c.ran), List.of());
        }
    }
}
