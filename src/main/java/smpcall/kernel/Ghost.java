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
 * (P4), who is building the scratch mask {@code cpumask_ipi} (P8), whose wait mask is being
 * iterated (P9), and which call each queued CSD belongs to, so that every target runs the
 * function exactly once and a waiting call returns only after all did (P1).
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
        }
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

    // ---- P9: the wait mask, during the wait

    /** The current task iterates {@code mask} to wait, until {@link #waitEnd}. */
    void waitBegin(Cpumask mask) {
        Task owner = m.current();
        waitOwner.put(mask, owner);
        mask.cell().watch((writer, kind) -> {
            if (writer != owner)
                m.report(Property.P9, List.of(), "smpcall: " + writer.comm() + "/" + writer.pid() + " writes " + mask
                                + " while " + owner.comm() + "/" + owner.pid() + " waits on it",
                        List.of(owner.comm() + " may skip a CSD it has to wait for, or wait for one that is not its own"));
        });
    }

    void waitEnd(Cpumask mask) {
        mask.cell().watch(null);
        waitOwner.remove(mask);
    }

    // ---- P1: the contract of each call

    /** One call of the API: its targets, who ran, whether its caller waits. */
    static final class Call {
        final Task caller;
        final String func;
        final boolean wait;
        /** The caller's pid and how many calls it made before: the same in every run, whatever ran first. */
        final long id;
        long expected;
        long ran;
        boolean returned;

        Call(Task caller, String func, boolean wait, long id) {
            this.caller = caller;
            this.id = id;
            this.func = func;
            this.wait = wait;
        }
    }

    Call callBegin(SmpCallFunc func, boolean wait) {
        Task me = m.current();
        long before = callsBy.merge(me, 1L, Long::sum) - 1;
        Call c = new Call(me, func.name(), wait, (long) me.pid() << 20 | before);
        calls.add(c);
        return c;
    }

    /** {@code csd} is filled in for {@code call}. */
    void owns(Csd csd, Call call) {
        callOf.put(csd, call);
    }

    /** {@code csd} goes onto {@code cpu}'s queue: that CPU must run its function. */
    void queued(Csd csd, int cpu) {
        Call call = callOf.get(csd);
        if (call != null) call.expected |= 1L << cpu;
    }

    /** The function of {@code csd} runs locally (a single call to this CPU). */
    void runsLocally(Csd csd, int cpu) {
        Call call = callOf.get(csd);
        if (call != null) runsLocally(call, cpu);
    }

    /** The function runs locally for {@code call} (SCF_RUN_LOCAL). */
    void runsLocally(Call call, int cpu) {
        call.expected |= 1L << cpu;
        ran(call, cpu);
    }

    /** csd_do_func() runs the function of {@code csd} on {@code cpu}. */
    void runs(Csd csd, int cpu) {
        Call call = callOf.get(csd);
        if (call != null) ran(call, cpu);
    }

    private void ran(Call call, int cpu) {
        long bit = 1L << cpu;
        if ((call.expected & bit) == 0 || (call.ran & bit) != 0) {
            m.report(Property.P1, List.of(), "smpcall: " + Tracepoints.symbolNoOffset(call.func) + " of "
                            + call.caller.comm() + "/" + call.caller.pid() + " runs "
                            + ((call.ran & bit) != 0 ? "a second time" : "unasked") + " on CPU " + cpu,
                    List.of("every target must run the function exactly once"));
        }
        call.ran |= bit;
    }

    /** A waiting call returns: all its targets must have run. */
    void callReturns(Call call) {
        call.returned = true;
        if (call.wait && call.ran != call.expected) {
            m.report(Property.P1, List.of(), "smpcall: " + call.caller.comm() + "/" + call.caller.pid()
                            + " returns from its call of " + call.func + " before CPU(s) "
                            + Tracepoints.cpumaskList(call.expected & ~call.ran) + " ran it",
                    List.of("a waiting call must return only after every target finished"));
        }
    }

    private void checkCallsComplete() {
        for (Call c : calls) {
            if (c.ran != c.expected && !c.wait)
                m.report(Property.P1, List.of(), "smpcall: " + c.func + " of " + c.caller.comm() + "/" + c.caller.pid()
                        + " never ran on CPU(s) " + Tracepoints.cpumaskList(c.expected & ~c.ran), List.of());
        }
    }
}
