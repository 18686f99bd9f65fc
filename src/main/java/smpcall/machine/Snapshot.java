package smpcall.machine;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Not in the C: the whole state of a machine at one decision point, saved so that a search
 * can come back to it instead of replaying the run from its start. Memory comes back through
 * the machine's {@link Trail} (the snapshot keeps its mark); the CPUs, run queues, timers,
 * stop_machine work, the debug state, the tasks' scheduling state and the model's ghost
 * state are held by value. What it cannot hold is a task's continuation, the Java stack its
 * code waits on: on restore, a task that has moved since is rebuilt by running its code
 * again, alone, against its record ({@link Exec#rebuild}).
 *
 * <p>A snapshot is never changed after it is taken, and can be restored many times, as long
 * as no snapshot taken before it has been restored since (the trail is undone last in, first
 * out, as a depth-first search goes).
 */
public final class Snapshot {
    private final Machine m;
    // the machine
    private final long memHash, onceHash, nextAddr;
    private final int nextPid, nextLocationId, nTasks, nStorages, nCompletions, consoleSize, findings;
    private final RunResult.End end;
    private final boolean mayMigrate;
    private final long[] raisedAt, nextTick;
    private final Machine.Timer[][] timers;
    private final Runnable[] stopWork;
    private final Task[] deadWaiter;
    private final String[] once;
    private final Object[] parts;
    /** Which version of the restorables' state {@link #parts} holds (see {@link Machine#partsChanged}). */
    private final long partsVersion;
    // the step loop and the clock
    private final long steps, points, clockGlobal;
    private final long[] clockLocal;
    private final int nChoices;
    // memory: where this state begins in the trail, and how many locations there were
    private final int trailMark, nLocations;
    private final boolean[] freed, reported;
    private final String[] freedBy;
    // per CPU
    private final Cpu.State[] cpuState;
    private final int[] hardirq, pending;
    private final boolean[] active, irqsDisabled, needResched;
    private final long[] irqsOffSinceNs, irqsOffSinceStep, switchedAtNs, switchedAtStep;
    private final Task[] curr, stopper;
    private final Task[][] rq;
    // per task
    private final Task[] tasks;
    private final Task.State[] state;
    private final int[] cpu, preemptCount, migrateDisable, preemptions, migrations, move, recordLength;
    private final long[] hist, lastRanNs, nextDeadline, spinSinceNs, nextTargets;
    private final boolean[] progressed, atCondResched, hasRun;
    private final Location[] nextLoc, spinLoc;
    private final Access[] nextKind;
    private final java.util.function.BooleanSupplier[] nextAwait;
    private final String[] sleepReason;
    private final java.util.Map<Object, Object>[] locals;
    // the completions' and the hotplug lock's waiters
    private final Task[][] completionWaiters;
    private final Hotplug.Saved hotplug;
    /** Taken inside a data choice: the task that asked, and how many alternatives it has (else null, 0). */
    final Task dataAsker;
    final int dataAlternatives;

    @SuppressWarnings("unchecked")
    Snapshot(Machine m, Task dataAsker, int dataAlternatives) {
        if (m.trace.enabled()) throw new IllegalStateException("a traced run cannot be saved");
        this.m = m;
        this.dataAsker = dataAsker;
        this.dataAlternatives = dataAlternatives;
        Exec x = m.exec;
        memHash = m.memHash;
        onceHash = m.onceHash();
        nextAddr = m.savedNextAddr();
        nextPid = m.nextPid();
        nextLocationId = m.nextLocationId;
        nTasks = m.tasks.size();
        nStorages = m.storages.size();
        nCompletions = m.completions.size();
        consoleSize = m.consoleSize();
        findings = m.debug.findings.size();
        end = m.end();
        mayMigrate = m.mayMigrate;
        raisedAt = m.raisedAt().clone();
        nextTick = m.nextTicks() == null ? null : m.nextTicks().clone();
        int n = m.cpus.length;
        timers = new Machine.Timer[n][];
        for (int c = 0; c < n; c++) timers[c] = m.timers[c] == null || m.timers[c].isEmpty() ? null : m.timers[c].toArray(new Machine.Timer[0]);
        stopWork = m.stopWork().clone();
        deadWaiter = m.deadWaiter().clone();
        once = m.debug.onceKeys();
        partsVersion = m.partsVersion;
        Snapshot last = m.lastSnapshot;
        if (last != null && last.partsVersion == partsVersion) parts = last.parts;    // no hook has run since: the same
        else {
            parts = new Object[m.restorables.size()];
            for (int i = 0; i < parts.length; i++) parts[i] = m.restorables.get(i).save();
        }
        m.lastSnapshot = this;
        steps = x.steps;
        points = x.points;
        nChoices = x.nChoices();
        clockGlobal = m.clock.global();
        clockLocal = m.clock.locals().clone();

        trailMark = m.trail.mark();
        nLocations = m.locations.size();
        freed = new boolean[nStorages];
        reported = new boolean[nStorages];
        freedBy = new String[nStorages];
        for (int i = 0; i < nStorages; i++) {
            Storage s = m.storages.get(i);
            freed[i] = s.freed;
            reported[i] = s.reported;
            freedBy[i] = s.freedBy;
        }

        cpuState = new Cpu.State[n];
        hardirq = new int[n];
        pending = new int[n];
        active = new boolean[n];
        irqsDisabled = new boolean[n];
        needResched = new boolean[n];
        irqsOffSinceNs = new long[n];
        irqsOffSinceStep = new long[n];
        switchedAtNs = new long[n];
        switchedAtStep = new long[n];
        curr = new Task[n];
        stopper = new Task[n];
        rq = new Task[n][];
        for (int c = 0; c < n; c++) {
            Cpu p = m.cpus[c];
            cpuState[c] = p.state;
            hardirq[c] = p.hardirq;
            pending[c] = p.pending;
            active[c] = p.active;
            irqsDisabled[c] = p.irqsDisabled;
            needResched[c] = p.needResched;
            irqsOffSinceNs[c] = p.irqsOffSinceNs;
            irqsOffSinceStep[c] = p.irqsOffSinceStep;
            switchedAtNs[c] = p.switchedAtNs;
            switchedAtStep[c] = p.switchedAtStep;
            curr[c] = p.curr;
            stopper[c] = p.stopper;
            rq[c] = last != null && c < last.rq.length ? same(last.rq[c], p.rq) : p.rq.toArray(NO_TASKS);
        }

        int nt = nTasks;
        tasks = last != null ? same(last.tasks, m.tasks) : m.tasks.toArray(NO_TASKS);
        state = new Task.State[nt];
        cpu = new int[nt];
        preemptCount = new int[nt];
        migrateDisable = new int[nt];
        preemptions = new int[nt];
        migrations = new int[nt];
        move = new int[nt];
        recordLength = new int[nt];
        hist = new long[nt];
        lastRanNs = new long[nt];
        nextDeadline = new long[nt];
        spinSinceNs = new long[nt];
        nextTargets = new long[nt];
        progressed = new boolean[nt];
        atCondResched = new boolean[nt];
        hasRun = new boolean[nt];
        nextLoc = new Location[nt];
        spinLoc = new Location[nt];
        nextKind = new Access[nt];
        nextAwait = new java.util.function.BooleanSupplier[nt];
        sleepReason = new String[nt];
        locals = new java.util.Map[nt];
        for (int i = 0; i < nt; i++) {
            Task t = tasks[i];
            state[i] = t.state;
            cpu[i] = t.cpu;
            preemptCount[i] = t.preemptCount;
            migrateDisable[i] = t.migrateDisable;
            preemptions[i] = t.preemptions;
            migrations[i] = t.migrations;
            move[i] = t.move;
            recordLength[i] = t.recordLength;
            hist[i] = t.hist;
            lastRanNs[i] = t.lastRanNs;
            nextDeadline[i] = t.nextDeadline;
            spinSinceNs[i] = t.spinSinceNs;
            nextTargets[i] = t.nextTargets;
            progressed[i] = t.progressed;
            atCondResched[i] = t.atCondResched;
            hasRun[i] = t.hasRun;
            nextLoc[i] = t.nextLoc;
            spinLoc[i] = t.spinLoc;
            nextKind[i] = t.nextKind;
            nextAwait[i] = t.nextAwait;
            sleepReason[i] = t.sleepReason;
            locals[i] = t.locals;
        }
        completionWaiters = new Task[nCompletions][];
        for (int i = 0; i < nCompletions; i++) {
            Completion done = m.completions.get(i);
            completionWaiters[i] = last != null && i < last.completionWaiters.length
                    ? same(last.completionWaiters[i], done.waiters()) : done.waiters().toArray(NO_TASKS);
        }
        hotplug = m.hotplug.save();
    }

    private static final Task[] NO_TASKS = {};

    /** {@code last} if it holds what {@code live} does, in order (snapshots share what has not changed); else a copy. */
    private static Task[] same(Task[] last, java.util.Collection<Task> live) {
        if (last.length == live.size()) {
            int i = 0;
            for (Task t : live) if (last[i++] != t) return live.toArray(NO_TASKS);
            return last;
        }
        return live.toArray(NO_TASKS);
    }

    /** The machine's step count here. */
    public long steps() { return steps; }

    /**
     * Puts the machine back into this state: first the tasks that moved since are rebuilt
     * (their code runs again and scribbles on the machine), then every datum is put back.
     * False if a task's code no longer fits its record; the machine is then unusable.
     */
    boolean restore(Exec x) {
        // Tasks made since go; tasks that moved since are rebuilt on a new thread.
        for (int i = nTasks; i < m.tasks.size(); i++) x.discardThread(m.tasks.get(i));
        java.util.function.BooleanSupplier[] awaits = nextAwait.clone();
        for (int i = 0; i < nTasks; i++) {
            Task t = tasks[i];
            if (t.recordLength == recordLength[i]) continue;      // its thread waits where it did (see Exec)
            if (recordLength[i] == 0) {
                x.discardThread(t);
                continue;
            }
            if (!x.rebuild(t, recordLength[i])) return false;
            if (m.stateHashes && t.hist != hist[i]) {
                x.rebuildFailure = t + " came back with another history";
                return false;
            }
            if (t.nextLoc != nextLoc[i] || t.nextKind != nextKind[i]) {
                x.rebuildFailure = t + " came back waiting at another access";
                return false;
            }
            awaits[i] = t.nextAwait;      // the new thread's own condition (it may read that thread's locals)
        }
        putBack(x, awaits);
        return true;
    }

    private void putBack(Exec x, java.util.function.BooleanSupplier[] awaits) {
        m.memHash = memHash;
        m.restore(onceHash, nextAddr, nextPid, end, consoleSize, stopWork, deadWaiter, raisedAt, nextTick);
        m.nextLocationId = nextLocationId;
        m.mayMigrate = mayMigrate;
        while (m.tasks.size() > nTasks) m.tasks.remove(m.tasks.size() - 1);
        while (m.storages.size() > nStorages) m.storages.remove(m.storages.size() - 1);
        while (m.completions.size() > nCompletions) m.completions.remove(m.completions.size() - 1);
        m.trail.undo(trailMark);
        while (m.locations.size() > nLocations) m.locations.remove(m.locations.size() - 1);
        List<Finding> f = m.debug.findings;
        while (f.size() > findings) f.remove(f.size() - 1);
        m.debug.restoreOnce(once);
        for (int c = 0; c < timers.length; c++) {
            if (timers[c] == null) {
                if (m.timers[c] != null) m.timers[c].clear();
            } else {
                if (m.timers[c] == null) m.timers[c] = new ArrayList<>(4);
                m.timers[c].clear();
                m.timers[c].addAll(Arrays.asList(timers[c]));
            }
        }
        if (m.partsVersion != partsVersion) {
            for (int i = 0; i < parts.length; i++) m.restorables.get(i).restore(parts[i]);
            m.partsVersion = partsVersion;
        }
        x.restore(steps, points, nChoices);
        m.clock.restore(clockGlobal, clockLocal);

        for (int i = 0; i < freed.length; i++) {
            Storage s = m.storages.get(i);
            s.freed = freed[i];
            s.reported = reported[i];
            s.freedBy = freedBy[i];
        }
        for (int c = 0; c < cpuState.length; c++) {
            Cpu p = m.cpus[c];
            p.state = cpuState[c];
            p.hardirq = hardirq[c];
            p.pending = pending[c];
            p.active = active[c];
            p.irqsDisabled = irqsDisabled[c];
            p.needResched = needResched[c];
            p.irqsOffSinceNs = irqsOffSinceNs[c];
            p.irqsOffSinceStep = irqsOffSinceStep[c];
            p.switchedAtNs = switchedAtNs[c];
            p.switchedAtStep = switchedAtStep[c];
            p.curr = curr[c];
            p.stopper = stopper[c];
            p.rq.clear();
            p.rq.addAll(Arrays.asList(rq[c]));
        }
        for (int i = 0; i < tasks.length; i++) {
            Task t = tasks[i];
            t.state = state[i];
            t.cpu = cpu[i];
            t.preemptCount = preemptCount[i];
            t.migrateDisable = migrateDisable[i];
            t.preemptions = preemptions[i];
            t.migrations = migrations[i];
            t.move = move[i];
            t.recordLength = recordLength[i];
            t.hist = hist[i];
            t.lastRanNs = lastRanNs[i];
            t.nextDeadline = nextDeadline[i];
            t.spinSinceNs = spinSinceNs[i];
            t.nextTargets = nextTargets[i];
            t.progressed = progressed[i];
            t.atCondResched = atCondResched[i];
            t.hasRun = hasRun[i];
            t.nextLoc = nextLoc[i];
            t.spinLoc = spinLoc[i];
            t.nextKind = nextKind[i];
            t.nextAwait = awaits[i];
            t.sleepReason = sleepReason[i];
            t.locals = locals[i];
            t.go = false;
        }
        for (int i = 0; i < completionWaiters.length; i++) m.completions.get(i).restoreWaiters(completionWaiters[i]);
        m.hotplug.restore(hotplug);
        m.enabled.allDirty();
        m.lastSnapshot = this;         // the next snapshot shares with this one what has not changed
    }

}
