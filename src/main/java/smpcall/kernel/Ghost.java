package smpcall.kernel;

import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;

import smpcall.machine.Cpumask;
import smpcall.machine.Machine;
import smpcall.machine.Restorable;
import smpcall.machine.StateHash;
import smpcall.machine.Storage;
import smpcall.machine.Task;
import smpcall.machine.Tracepoints;

/**
 * Ghost state: what the kernel cannot see about itself, kept apart from the model's state
 * and fed by annotations in the model code (as lockdep is): who is taking or holds a CSD
 * (P4), who is building the scratch mask {@code cpumask_ipi} (P8), whose wait mask is in
 * use (P9), and which call each queued CSD belongs to, so that every CPU a call names runs the
 * function exactly once, on that CPU, with irqs off, and a waiting call returns only after
 * all finished it (P1: the check is at the function's exit, where the C's
 * csd_function_exit tracepoint is); what each call returns against what the C documents
 * (P1: -ENXIO, -EBUSY); and, at quiescence, that no CSD is left locked with nothing in flight
 * to unlock it (P2: the next csd_lock() of it hangs).
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
        m.atQuiescence(this::checkNoCsdLeftLocked);
        m.addStatePart(this::stateHash);
        m.addRestorable(new Saver());
        m.onFree(this::freed);
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
            h = StateHash.extend(h, c.running ^ c.asked * 31 ^ c.anyUp * 961);
        }
        for (int cpu = 0; cpu < local.length; cpu++) if (local[cpu] != null) h = StateHash.extend(h, local[cpu].id ^ (long) cpu << 56);
        for (var e : callOf.entrySet()) h ^= StateHash.mix(StateHash.extend(e.getKey().stableId(), e.getValue().id));
        h ^= forgotten;
        for (var e : onQueue.entrySet()) h ^= StateHash.mix(StateHash.extend(e.getKey().stableId(), 3000 + e.getValue()));
        for (Async a : asyncs) h = StateHash.extend(h, a.csd.stableId() ^ (a.busyAtBegin ? 1L << 60 : 0) ^ (a.took ? 1L << 61 : 0) ^ (a.tookBusy ? 1L << 62 : 0));
        for (var e : anyPending.entrySet()) h ^= StateHash.mix(StateHash.extend(StateHash.of(e.getValue()), e.getKey().pid() + 4000));
        return h;
    }

    // ---- P4: CSD exclusivity

    /** csd_lock() saw the lock clear and is about to set it: nobody else may be doing so or hold it. */
    void csdTaking(Csd csd) {
        m.ghost(() -> {
            Task me = m.current();
            Task other = taking.get(csd);
            if (other == null || other == me) other = holder.get(csd);
            if (other != null && other != me) {
                m.report(Property.P4, List.of(), "smpcall: " + me.comm() + "/" + me.pid() + " takes " + csd
                                + " while " + other.comm() + "/" + other.pid() + (holder.get(csd) == other ? " holds it" : " is taking it"),
                        List.of("csd_lock() sets CSD_FLAG_LOCK with a plain store: two takers on one CSD overwrite each other"));
            }
            taking.put(csd, me);
        });
    }

    /** csd_lock() has set the lock: the current task holds the CSD. */
    void csdTaken(Csd csd) {
        m.ghost(() -> {
            taking.remove(csd);
            holder.put(csd, m.current());
        });
    }

    /** csd_unlock(): nobody holds it any more. */
    void csdReleased(Csd csd) {
        m.ghost(() -> {
            holder.remove(csd);
        });
    }

    // ---- P8: the scratch mask, from its owner's clear to its IPI send

    /** The current task has cleared {@code mask} and builds it until {@link #scratchEnd}. */
    void scratchBegin(Cpumask mask) {
        m.ghost(() -> {
            Task owner = m.current();
            scratchOwner.put(mask, owner);
            mask.cell().watch((writer, kind) -> {
                if (writer != owner)
                    m.report(Property.P8, List.of(), "smpcall: " + writer.comm() + "/" + writer.pid() + " writes " + mask
                                    + " while " + owner.comm() + "/" + owner.pid() + " builds it",
                            List.of("the IPIs " + owner.comm() + " sends next go to the wrong CPUs"));
            });
        });
    }

    void scratchEnd(Cpumask mask) {
        m.ghost(() -> {
            mask.cell().watch(null);
            scratchOwner.remove(mask);
        });
    }

    // ---- P9: the wait mask, from its build to the end of the wait

    /**
     * The current task has built {@code mask} (cpumask_and, this CPU cleared): it iterates it
     * to queue and then to wait, until {@link #waitMaskEnd}. A write by anyone else in between
     * changes which CSDs it queues or waits for.
     */
    void waitMaskBegin(Cpumask mask) {
        m.ghost(() -> {
            Task owner = m.current();
            waitOwner.put(mask, owner);
            mask.cell().watch((writer, kind) -> {
                if (writer != owner)
                    m.report(Property.P9, List.of(), "smpcall: " + writer.comm() + "/" + writer.pid() + " writes " + mask
                                    + " while " + owner.comm() + "/" + owner.pid() + " waits on it",
                            List.of(owner.comm() + " may skip a CSD it has to wait for, or wait for one that is not its own"));
            });
        });
    }

    void waitMaskEnd(Cpumask mask) {
        m.ghost(() -> {
            if (waitOwner.get(mask) != m.current()) return;     // not built by this call: no remote CPU
            mask.cell().watch(null);
            waitOwner.remove(mask);
        });
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
        /** A single call's target CPU, as the caller named it. */
        int target;
        /** Whether the target was this CPU or an online one when the call selected it. */
        boolean targetUp;
        /** Whether it is smp_call_function_any()'s, with that call's mask and the CPUs of it online when it selected. */
        boolean any;
        long anyMask;
        long anyUp;

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
        return m.built(() -> begin(func, wait, asked));
    }

    private Call begin(SmpCallFunc func, boolean wait, long asked) {
        Task me = m.current();
        long before = callsBy.merge(me, 1L, Long::sum) - 1;
        Call c = new Call(me, func.name(), wait, (long) me.pid() << 20 | before, asked);
        c.askedMask = pendingMask;
        pendingMask = null;
        calls.add(c);
        return c;
    }

    /** The mask of each task's smp_call_function_any() whose single call comes next (mainline's _any calls _single). */
    private final Map<Task, Cpumask> anyPending = new IdentityHashMap<>();

    /**
     * A single call to {@code cpu} begins (pinned: the target is selected now); for
     * smp_call_function_any() {@code mask} is its mask, else null, or the one {@link #anyBegins}
     * left for this task.
     */
    Call singleCall(SmpCallFunc func, boolean wait, int cpu, Cpumask mask) {
        return m.built(() -> beginSingle(func, wait, cpu, mask));
    }

    private Call beginSingle(SmpCallFunc func, boolean wait, int cpu, Cpumask mask) {
        if (mask == null) mask = anyPending.remove(m.current());
        long asked = singleTarget(cpu);
        Call c = callBegin(func, wait, asked);
        c.target = cpu;
        c.targetUp = asked != 0;
        if (mask != null) {
            c.any = true;
            c.anyMask = mask.peek();
            c.anyUp = c.anyMask & m.cpuOnlineMask().peek();
        }
        return c;
    }

    Call singleCall(SmpCallFunc func, boolean wait, int cpu) {
        return singleCall(func, wait, cpu, null);
    }

    /** smp_call_function_any() on {@code mask} begins; the single call it makes next is checked against its mask. */
    void anyBegins(Cpumask mask) {
        m.ghost(() -> {
            anyPending.put(m.current(), mask);
        });
    }

    /** What smp_call_function_single(cpu) must run on: this CPU, or {@code cpu} if it is online; else none (-ENXIO). */
    long singleTarget(int cpu) {
        return m.built(() -> {
            if (cpu == m.current().cpu()) return 1L << cpu;
            return cpu >= 0 && cpu < m.nrCpuIds() && m.cpu(cpu).online() ? 1L << cpu : 0;
        });
    }

    /**
     * What smp_call_function_many_cond() must run on: the online CPUs of {@code mask} but this
     * one, and this one too with SCF_RUN_LOCAL; {@link #UNKNOWN} when a cond_func filters.
     */
    long manyTargets(Cpumask mask, boolean runLocal, SmpCondFunc condFunc) {
        return m.built(() -> {
            if (condFunc != null) return UNKNOWN;
            pendingMask = mask;
            long me = 1L << m.current().cpu();
            return mask.peek() & m.cpuOnlineMask().peek() & ~me | (runLocal ? mask.peek() & me : 0);
        });
    }

    /** {@code csd} is filled in for {@code call}. */
    void owns(Csd csd, Call call) {
        m.ghost(() -> {
            callOf.put(csd, call);
            if (csd.storage().kind() == Storage.Kind.STACK) onStack.put(csd.storage(), csd);
        });
    }

    /** The CSDs on a stack frame (csd_stack), by their frame: a new one each call, so they are forgotten when it is popped. */
    private final Map<Storage, Csd> onStack = new IdentityHashMap<>();
    /**
     * What the forgotten CSDs' entries added to the state hash: the hash stays what it was
     * while the memory of a long run (torture, the lab) stays bounded.
     */
    private long forgotten;

    /** A storage is freed: a CSD that lived on it can never be named again; its entry goes. */
    private void freed(Storage s) {
        m.ghost(() -> {
            Csd csd = onStack.remove(s);
            if (csd == null) return;
            Call call = callOf.remove(csd);
            if (call != null) forgotten ^= StateHash.mix(StateHash.extend(csd.stableId(), call.id));
        });
    }

    /**
     * {@code csd} goes onto {@code cpu}'s queue: that CPU must run its function. A CPU that is
     * not online has had, or is having, its dying flush: nothing queued there may stay (P3).
     */
    void queued(Csd csd, int cpu) {
        m.ghost(() -> {
            Call call = callOf.get(csd);
            if (call != null) call.expected |= 1L << cpu;
            onQueue.put(csd, cpu);
            if (cpu >= 0 && cpu < m.nrCpuIds() && !m.cpu(cpu).online()) {
                queuedOffline.put(csd, cpu);
                m.report(Property.P3, List.of(), "smpcall: " + csd + " (" + csd.func.peek().name() + ") is queued on CPU " + cpu
                                + ", which is " + m.cpu(cpu).state().name().toLowerCase(java.util.Locale.ROOT),
                        List.of("its dying flush has run or is running: the callback is left behind"));
            }
        });
    }

    /** CSDs reported as queued to a CPU that was not online (P3), so that the end-of-run check does not repeat them. */
    private final Map<Csd, Integer> queuedOffline = new IdentityHashMap<>();

    boolean reportedOffline(Csd csd) { return m.built(() -> queuedOffline.containsKey(csd)); }

    /** The function of {@code csd} runs locally (a single call to this CPU), in the next csd_do_func(). */
    void runsLocally(Csd csd, int cpu) {
        m.ghost(() -> {
            Call call = callOf.get(csd);
            if (call != null) runsLocally(call, cpu);
        });
    }

    /** The function runs locally for {@code call} (SCF_RUN_LOCAL), in the next csd_do_func(). */
    void runsLocally(Call call, int cpu) {
        m.ghost(() -> {
            call.expected |= 1L << cpu;
            local[cpu] = call;
        });
    }

    /**
     * csd_do_func() is about to call the function of {@code csd} (null: the local call
     * announced by {@link #runsLocally}) on {@code cpu}: a CPU the call queued to, for the
     * first time, with irqs off. Returns what {@link #functionExit} needs, or null for a
     * function of no tracked call.
     */
    Run functionEntry(Csd csd, int cpu) {
        return m.built(() -> entry(csd, cpu));
    }

    private Run entry(Csd csd, int cpu) {
        Call call;
        if (csd != null) {
            onQueue.remove(csd);
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
        m.ghost(() -> {
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
            retire(call);
        });
    }

    /**
     * A call that has returned and whose every target has finished can decide nothing any
     * more: it leaves the list, so that a long run (torture, the lab) keeps only the calls in
     * flight. The state hash skipped such calls already, so no state changes.
     */
    private void retire(Call c) {
        if (c.returned && c.ran == c.expected && c.running == 0) calls.remove(c);
    }

    /**
     * The call returns: it must have queued to (or run on) every CPU it names; a waiting one
     * only after every target finished.
     */
    void callReturns(Call call) {
        m.ghost(() -> {
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
            retire(call);
        });
    }

    /**
     * A single call returns {@code err}, which must be what the C documents: -ENXIO only for
     * a target that is invalid or offline when the call selects it (for _any: every CPU of its
     * mask), else 0; and _any runs on a CPU of its mask.
     */
    void callReturns(Call call, int err) {
        m.ghost(() -> {
            callReturns(call);
            int cpu = call.target;
            boolean valid = cpu >= 0 && cpu < m.nrCpuIds();
            boolean upNow = valid && m.cpu(cpu).online();
            long upInMask = call.anyMask & m.cpuOnlineMask().peek();
            String wrong = null;
            String rule = "it returns -ENXIO only for a CPU that is invalid or offline when it is selected, else 0";
            if (call.any && err == -Mainline.ENXIO && call.anyUp != 0 && upInMask != 0) {
                wrong = "though CPU(s) " + Tracepoints.cpumaskList(upInMask) + " of its mask are online";
                rule = "it returns -ENXIO only for a mask whose every CPU is invalid or offline when it is selected, else 0";
            } else if (call.any && err == 0 && (!valid || (call.anyMask & 1L << cpu) == 0)) {
                wrong = "but ran it on CPU " + cpu + ", which its mask " + Tracepoints.cpumaskList(call.anyMask) + " does not name";
                rule = "smp_call_function_any() runs the function on a CPU of its mask";
            } else if (err == -Mainline.ENXIO && call.targetUp && upNow) {
                wrong = "though CPU " + cpu + " is online";
            } else if (err == 0 && !call.targetUp && !upNow) {
                wrong = "though CPU " + cpu + (valid ? " is offline" : " does not exist");
            } else if (err != 0 && err != -Mainline.ENXIO) {
                wrong = "";
            }
            if (wrong == null) return;
            String api = call.any ? "smp_call_function_any(" + Tracepoints.cpumaskList(call.anyMask) + ")"
                    : "smp_call_function_single(" + cpu + ")";
            m.report(Property.P1, List.of(), "smpcall: " + call.who() + "'s " + api + " of " + call.func + " returns "
                    + errno(err) + (wrong.isEmpty() ? "" : " " + wrong), List.of(rule));
        });
    }

    /** A return value as the kernel's headers name it. */
    static String errno(int err) {
        return err == 0 ? "0" : err == -Mainline.ENXIO ? "-ENXIO" : err == -Mainline.EBUSY ? "-EBUSY" : Integer.toString(err);
    }

    // ---- P1: smp_call_function_single_async() and -EBUSY

    /** One call of smp_call_function_single_async(): its CSD, and whether it was in flight when the call began and when taken. */
    static final class Async {
        final Csd csd;
        final boolean busyAtBegin;
        boolean took;
        boolean tookBusy;

        Async(Csd csd, boolean busyAtBegin) {
            this.csd = csd;
            this.busyAtBegin = busyAtBegin;
        }
    }

    /** smp_call_function_single_async() begins on {@code csd}: is an earlier call of it still in flight (locked, not yet unlocked)? */
    Async asyncBegins(Csd csd) {
        return m.built(() -> {
            Async a = new Async(csd, holder.containsKey(csd));
            asyncs.add(a);
            return a;
        });
    }

    /** The calls of smp_call_function_single_async() under way: what they saw decides a finding, so it is state. */
    private final List<Async> asyncs = new ArrayList<>();

    /** It has set CSD_FLAG_LOCK: the caller holds the CSD until the target's csd_unlock(). */
    void asyncTakes(Async a) {
        m.ghost(() -> {
            a.took = true;
            a.tookBusy = holder.containsKey(a.csd);
            csdTaken(a.csd);
        });
    }

    /** It returns {@code err}: -EBUSY only while an earlier call of the CSD is in flight, and queued only when none is. */
    void asyncReturns(Async a, int err) {
        m.ghost(() -> {
            asyncs.remove(a);
            String wrong = null;
            if (err == -Mainline.EBUSY && !a.busyAtBegin) wrong = "returns -EBUSY though " + a.csd + " is not in flight";
            else if (err != -Mainline.EBUSY && (!a.took || a.tookBusy)) wrong = "returns " + errno(err) + (a.took
                    ? " and queued " + a.csd + " while an earlier call of it is still in flight" : " without taking " + a.csd);
            if (wrong == null) return;
            m.report(Property.P1, List.of(), "smpcall: " + m.current().comm() + "/" + m.current().pid()
                            + "'s smp_call_function_single_async() " + wrong,
                    List.of("it returns -EBUSY only while its CSD is held by an earlier call still in flight"));
        });
    }

    // ---- P2: a CSD left locked

    /** CSDs on a call queue whose function has not started: in flight, the target will unlock them. */
    private final Map<Csd, Integer> onQueue = new IdentityHashMap<>();

    /**
     * At quiescence every CSD still locked must be on its way to the csd_unlock() that frees
     * it: queued, or held by a call that has not returned. One left locked by a call that has
     * returned is never unlocked, and the next csd_lock() of it spins for ever.
     */
    private void checkNoCsdLeftLocked() {
        for (var e : holder.entrySet()) {
            Csd csd = e.getKey();
            Call call = callOf.get(csd);
            if (onQueue.containsKey(csd) || call == null || !call.returned) continue;
            if ((csd.flags.peek() & Csd.CSD_FLAG_LOCK) == 0) continue;
            m.report(Property.P2, List.of(), "smpcall: " + csd + " is left locked by " + call.who() + "'s call of "
                            + call.func + ", which has returned, with nothing in flight to unlock it",
                    List.of("the next call that takes " + csd + " hangs in csd_lock()"));
        }
    }

    private void checkCallsComplete() {
        for (Call c : calls) {
            if (c.ran != c.expected && !c.wait)
                m.report(Property.P1, List.of(), "smpcall: " + c.func + " of " + c.who()
                        + " never ran on CPU(s) " + Tracepoints.cpumaskList(c.expected & ~c.ran), List.of());
        }
    }

    // ---- not in the C: what a search that restores states saves of the ghost, and puts back ----

    /**
     * The ghost's maps and lists are saved as copies; the calls in them keep their identity
     * (the callers' code holds them) and have their fields saved and put back in place.
     */
    private final class Saver implements Restorable {
        private record Saved(Map<Csd, Task> taking, Map<Csd, Task> holder, Map<Csd, Call> callOf, Call[] calls,
                             Map<Task, Long> callsBy, Map<Cpumask, Task> scratchOwner, Map<Cpumask, Task> waitOwner,
                             Cpumask pendingMask, Call[] local, Map<Task, Cpumask> anyPending, Map<Storage, Csd> onStack,
                             long forgotten, Map<Csd, Integer> queuedOffline, Async[] asyncs, boolean[] asyncFields,
                             Map<Csd, Integer> onQueue, Map<Call, long[]> callFields, Map<Call, Cpumask> askedMasks) {}

        @Override
        public Object save() {
            Map<Call, long[]> fields = new IdentityHashMap<>();
            Map<Call, Cpumask> masks = new IdentityHashMap<>();
            for (Call c : calls) keep(c, fields, masks);
            for (Call c : callOf.values()) keep(c, fields, masks);
            for (Call c : local) if (c != null) keep(c, fields, masks);
            boolean[] af = new boolean[2 * asyncs.size()];
            for (int i = 0; i < asyncs.size(); i++) {
                af[2 * i] = asyncs.get(i).took;
                af[2 * i + 1] = asyncs.get(i).tookBusy;
            }
            return new Saved(copy(taking), copy(holder), copy(callOf), calls.toArray(new Call[0]), copy(callsBy),
                    copy(scratchOwner), copy(waitOwner), pendingMask, local.clone(), copy(anyPending), copy(onStack),
                    forgotten, copy(queuedOffline), asyncs.toArray(new Async[0]), af, copy(onQueue), fields, masks);
        }

        private void keep(Call c, Map<Call, long[]> fields, Map<Call, Cpumask> masks) {
            if (fields.containsKey(c)) return;
            fields.put(c, new long[] {c.expected, c.running, c.ran, c.returned ? 1 : 0, c.target, c.targetUp ? 1 : 0,
                    c.any ? 1 : 0, c.anyMask, c.anyUp});
            masks.put(c, c.askedMask);
        }

        @Override
        public void restore(Object saved) {
            Saved s = (Saved) saved;
            put(taking, s.taking());
            put(holder, s.holder());
            put(callOf, s.callOf());
            calls.clear();
            calls.addAll(List.of(s.calls()));
            put(callsBy, s.callsBy());
            put(scratchOwner, s.scratchOwner());
            put(waitOwner, s.waitOwner());
            pendingMask = s.pendingMask();
            System.arraycopy(s.local(), 0, local, 0, local.length);
            put(anyPending, s.anyPending());
            put(onStack, s.onStack());
            forgotten = s.forgotten();
            put(queuedOffline, s.queuedOffline());
            asyncs.clear();
            asyncs.addAll(List.of(s.asyncs()));
            for (int i = 0; i < asyncs.size(); i++) {
                asyncs.get(i).took = s.asyncFields()[2 * i];
                asyncs.get(i).tookBusy = s.asyncFields()[2 * i + 1];
            }
            put(onQueue, s.onQueue());
            s.callFields().forEach((c, f) -> {
                c.expected = f[0];
                c.running = f[1];
                c.ran = f[2];
                c.returned = f[3] != 0;
                c.target = (int) f[4];
                c.targetUp = f[5] != 0;
                c.any = f[6] != 0;
                c.anyMask = f[7];
                c.anyUp = f[8];
                c.askedMask = s.askedMasks().get(c);
            });
        }

        private static <K, V> Map<K, V> copy(Map<K, V> map) { return map.isEmpty() ? Map.of() : new IdentityHashMap<>(map); }

        private static <K, V> void put(Map<K, V> into, Map<K, V> from) {
            into.clear();
            into.putAll(from);
        }
    }
}
