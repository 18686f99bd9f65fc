package smpcall.machine;

import java.util.ArrayList;
import java.util.List;
import java.util.function.IntUnaryOperator;

/**
 * CPU hotplug: the state machine of kernel/cpu.c reduced to the states the model needs, and
 * stop_machine(). Going down: sched_cpu_deactivate (no new tasks), takedown_cpu (stoppers on
 * every online CPU; on the dying CPU, with irqs off: mark offline, the dying callbacks, tasks
 * pushed off), then the dead callbacks on the control task's CPU. Coming up: the prepare
 * callbacks on the control CPU, then the CPU is marked online and active.
 *
 * <p>State numbers follow the order of {@code enum cpuhp_state}; their values are the model's
 * own (the kernel's depend on the configuration).
 */
public final class Hotplug {
    public static final int CPUHP_OFFLINE = 0;
    public static final int CPUHP_SMPCFD_PREPARE = 41;
    public static final int CPUHP_BRINGUP_CPU = 89;
    public static final int CPUHP_AP_OFFLINE = 90;
    public static final int CPUHP_AP_SCHED_STARTING = 91;
    public static final int CPUHP_AP_SMPCFD_DYING = 125;
    public static final int CPUHP_AP_ONLINE = 166;
    public static final int CPUHP_TEARDOWN_CPU = 167;
    public static final int CPUHP_AP_ACTIVE = 232;
    public static final int CPUHP_ONLINE = 233;

    public static final int EBUSY = 16;
    public static final int EINVAL = 22;

    /** Where a state's callbacks run. */
    public enum Where {
        /** On the control task, preemptible, before bring-up and after death ("BP"). */
        CONTROL,
        /** On the dying CPU, inside stop_machine, with irqs off. */
        DYING
    }

    private record State(int number, String name, String startupName, IntUnaryOperator startup,
                         String teardownName, IntUnaryOperator teardown, Where where) {}

    private final Machine m;
    private final List<State> states = new ArrayList<>(8);
    private boolean sorted = true;

    Hotplug(Machine m) {
        this.m = m;
        setup(CPUHP_AP_SCHED_STARTING, "sched:starting", null, null, "sched_cpu_dying", this::schedCpuDying, Where.DYING);
    }

    /**
     * cpuhp_setup_state(): callbacks for one state. Names are the C function names, for the
     * cpuhp trace events. Either callback may be null.
     */
    public void setup(int number, String name, String startupName, IntUnaryOperator startup,
                      String teardownName, IntUnaryOperator teardown, Where where) {
        states.add(new State(number, name, startupName, startup, teardownName, teardown, where));
        sorted = false;
    }

    /** The states in enum order (sorted once, when first walked). */
    private List<State> states() {
        if (!sorted) {
            states.sort((a, b) -> Integer.compare(a.number, b.number));
            sorted = true;
        }
        return states;
    }

    /** Called at boot for the boot CPU and by cpuUp: the CONTROL startup callbacks. */
    int bootPrepare(int cpu) {
        for (State s : states()) {
            if (s.where == Where.CONTROL && s.startup != null) {
                int ret = s.startup.applyAsInt(cpu);
                if (ret != 0) return ret;
            }
        }
        return 0;
    }

    // ---- cpu_down ----

    /**
     * cpu_down(): offline {@code cpu}. Runs in the calling task, which must be preemptible
     * (it sleeps in stop_machine). Returns 0, -EBUSY for the last online CPU, -EINVAL for a
     * CPU that is not online.
     */
    public int cpuDown(int cpu) {
        cpusWriteLock();
        int ret = takeDown(cpu);
        cpusWriteUnlock();
        return ret;
    }

    private int takeDown(int cpu) {
        Cpu c = m.cpus[cpu];
        long seen = m.exec.observe(c.state.ordinal() | (long) Long.bitCount(m.onlineMask.peek()) << 4);
        if (seen % 16 != Cpu.State.ONLINE.ordinal()) return -EINVAL;
        if (seen >> 4 == 1) return -EBUSY;
        // CPUHP_AP_ACTIVE teardown: sched_cpu_deactivate(); no new tasks go there.
        traced(cpu, CPUHP_OFFLINE, CPUHP_AP_ACTIVE, "sched_cpu_deactivate", () -> {
            m.schedPoint();     // no task may be placed there from now on
            c.active = false;
            m.rqTouches++;
            return 0;
        });
        // CPUHP_TEARDOWN_CPU teardown: takedown_cpu() -> stop_machine(take_cpu_down).
        traced(cpu, CPUHP_OFFLINE, CPUHP_TEARDOWN_CPU, "takedown_cpu", () -> {
            stopMachine(cpu);
            m.waitCpuDead(cpu);     // cpuhp_bp_sync_dead(): the CPU's idle task reported dead
            return 0;
        });
        // The CPU is dead; the remaining teardown runs here, on the control task.
        for (int i = states().size() - 1; i >= 0; i--) {
            State s = states.get(i);
            if (s.where == Where.CONTROL && s.teardown != null && s.number < CPUHP_AP_OFFLINE)
                traced(cpu, CPUHP_OFFLINE, s.number, s.teardownName, () -> s.teardown.applyAsInt(cpu));
        }
        return 0;
    }

    /** cpu_up(): bring {@code cpu} back. Returns 0, or -EINVAL if it is not offline. */
    public int cpuUp(int cpu) {
        cpusWriteLock();
        int ret = bringUp(cpu);
        cpusWriteUnlock();
        return ret;
    }

    private int bringUp(int cpu) {
        Cpu c = m.cpus[cpu];
        if (m.exec.observe(c.state.ordinal()) != Cpu.State.OFFLINE.ordinal()) return -EINVAL;
        for (State s : states()) {
            if (s.where == Where.CONTROL && s.startup != null && s.number < CPUHP_BRINGUP_CPU) {
                int ret = traced(cpu, CPUHP_ONLINE, s.number, s.startupName, () -> s.startup.applyAsInt(cpu));
                if (ret != 0) return ret;
            }
        }
        traced(cpu, CPUHP_ONLINE, CPUHP_BRINGUP_CPU, "bringup_cpu", () -> {
            m.schedPoint();     // the CPU starts to run
            m.onlineMask.setCpu(cpu);
            c.state = Cpu.State.ONLINE;
            c.active = true;
            m.rqTouches++;
            return 0;
        });
        return 0;
    }

    // ---- cpu_hotplug_lock ----

    /**
     * cpu_hotplug_lock, a percpu_rw_semaphore: readers count themselves in and back out if a
     * writer has blocked new readers; the writer blocks them, then waits for the count to drain.
     * Created by the first cpus_read_lock(): until a reader exists the write side is
     * uncontended and costs a hotplug operation no step (the scenarios take no read lock).
     */
    private Cell readers, writer;
    private final List<Task> lockWaiters = new ArrayList<>(4);

    /** cpus_read_lock(): percpu_down_read(&cpu_hotplug_lock); sleeps while a CPU goes down or up. */
    public void cpusReadLock() {
        if (m.exec.decided(readers == null)) {
            readers = m.cell(m.kernelData, "cpu_hotplug_lock.read_count", 0);
            writer = m.cell(m.kernelData, "cpu_hotplug_lock.block", 0);
            readers.global = writer.global = true;     // they wake tasks
        }
        while (true) {
            readers.fetchAdd(1);
            if (writer.readOnce() == 0) return;
            readers.fetchAdd(-1);       // __percpu_down_read(): a writer is on its way; back out, let it see zero
            wakeLockWaiters();
            if (writer.readOnce() != 0) sleepOnLock();
        }
    }

    /** cpus_read_unlock(): percpu_up_read(), waking a writer waiting for the readers to drain. */
    public void cpusReadUnlock() {
        readers.fetchAdd(-1);
        wakeLockWaiters();
    }

    /** cpus_write_lock(): block new readers, then wait until the readers inside have left. */
    private void cpusWriteLock() {
        if (m.exec.decided(readers == null)) return;
        writer.set(1);
        while (readers.readOnce() != 0) sleepOnLock();
    }

    private void cpusWriteUnlock() {
        if (m.exec.decided(readers == null)) return;
        writer.set(0);
        wakeLockWaiters();
    }

    // Not in the C: what a Snapshot saves and puts back.
    record Saved(Cell readers, Cell writer, Task[] lockWaiters) {}

    Saved save() { return new Saved(readers, writer, lockWaiters.toArray(new Task[0])); }

    void restore(Saved s) {
        readers = s.readers();
        writer = s.writer();
        lockWaiters.clear();
        lockWaiters.addAll(java.util.Arrays.asList(s.lockWaiters()));
    }

    private void sleepOnLock() {
        Task self = m.current();
        lockWaiters.add(self);
        m.sched.block(self, "D cpu_hotplug_lock");
    }

    private void wakeLockWaiters() {
        if (lockWaiters.isEmpty()) return;
        List<Task> woken = List.copyOf(lockWaiters);
        lockWaiters.clear();
        for (Task t : woken) m.sched.wakeUp(t);
    }

    private int traced(int cpu, int target, int step, String fn, java.util.function.IntSupplier body) {
        Cpu here = m.cpus[m.runningCpu()];
        if (m.trace.enabled()) m.traceEvent(here, "cpuhp_enter", Tracepoints.cpuhpEnter(cpu, target, step, fn));
        int ret = body.getAsInt();
        if (m.trace.enabled()) m.traceEvent(m.cpus[m.runningCpu()], "cpuhp_exit", Tracepoints.cpuhpExit(cpu, step, step, ret));
        return ret;
    }

    // ---- stop_machine ----

    private static final int MULTI_STOP_NONE = 0, MULTI_STOP_PREPARE = 1, MULTI_STOP_DISABLE_IRQ = 2,
            MULTI_STOP_RUN = 3, MULTI_STOP_EXIT = 4;

    /**
     * stop_machine(take_cpu_down, cpu): every online CPU runs its stopper, which needs that
     * CPU to be preemptible; they step together through PREPARE, DISABLE_IRQ, RUN and EXIT,
     * acking each state; in RUN the dying CPU takes itself down.
     */
    private void stopMachine(int dying) {
        Storage sd = m.stackFrame("multi_stop_data");
        Cell state = m.cell(sd, "msdata.state", MULTI_STOP_NONE);
        Cell threadAck = m.cell(sd, "msdata.thread_ack", 0);
        Completion done = m.completion("stop_machine done");
        long online = m.exec.observe(m.onlineMask.peek());
        int numThreads = Long.bitCount(online);
        Cell left = m.cell(sd, "cpu_stop_done.nr_todo", numThreads);
        left.global = true;     // the last stopper to finish wakes the control task
        state.stoppers = threadAck.stoppers = true;     // nothing but the stoppers below touches them
        threadAck.set(numThreads);
        state.set(MULTI_STOP_PREPARE);
        m.schedPoint();         // the stoppers wake on every online CPU
        for (int c = 0; c < m.cpus.length; c++) {
            if ((online >>> c & 1) == 0) continue;
            int cpu = c;
            m.queueStopWork(cpu, () -> {
                multiCpuStop(cpu, dying, state, threadAck, numThreads);
                if (left.fetchAdd(-1) == 1) done.complete();   // cpu_stop_signal_done()
            });
        }
        done.waitFor();
        m.popStack(sd);
    }

    private void multiCpuStop(int cpu, int dying, Cell state, Cell threadAck, int numThreads) {
        long cur = MULTI_STOP_NONE;
        long mark = m.exec.mark();
        boolean wasOff = m.irqsDisabled();
        do {
            // Which CPU acked last, and how, is forgotten: the loop goes on from the state only.
            m.exec.rewind(mark, cur << 1 | (wasOff ? 1 : 0));
            long seen = cur;
            long next = state.condLoadAcquire(v -> v != seen);
            cur = next;
            if (cur == MULTI_STOP_DISABLE_IRQ) {
                m.localIrqDisable();
            } else if (cur == MULTI_STOP_RUN && cpu == dying) {
                takeCpuDown(cpu);
            }
            // ack_state(): the last CPU to ack moves everyone to the next state.
            if (threadAck.fetchAdd(-1) == 1) {
                threadAck.set(numThreads);
                state.storeRelease(cur + 1);
            }
        } while (cur != MULTI_STOP_EXIT);
        if (!wasOff) m.localIrqEnable();
    }

    /** take_cpu_down(), on the dying CPU with irqs off: __cpu_disable, then the dying callbacks. */
    private void takeCpuDown(int cpu) {
        m.onlineMask.clearCpu(cpu);         // __cpu_disable(): set_cpu_online(cpu, false)
        m.cpus[cpu].state = Cpu.State.DYING;
        m.rqTouches++;
        for (int i = states().size() - 1; i >= 0; i--) {
            State s = states.get(i);
            if (s.where == Where.DYING && s.teardown != null)
                traced(cpu, CPUHP_OFFLINE, s.number, s.teardownName, () -> s.teardown.applyAsInt(cpu));
        }
    }

    /** sched_cpu_dying(): push every task queued on the dying CPU to another CPU. */
    private int schedCpuDying(int cpu) {
        m.schedPoint();         // tasks land on other CPUs
        Cpu c = m.cpus[cpu];
        for (Task t : List.copyOf(c.rq)) {
            if (t.cls == Task.SchedClass.STOP) continue;
            m.sched.migrate(t, m.sched.fallbackCpu(t), false);
        }
        m.migrateTimers(cpu);
        return 0;
    }
}
