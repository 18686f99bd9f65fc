package smpcall.machine;

import java.util.ArrayList;
import java.util.List;

/** One virtual CPU: its hotplug state, what runs on it, its irq flag and pending vectors. */
public final class Cpu {
    public enum State { ONLINE, DYING, OFFLINE }

    final int id;
    State state = State.ONLINE;
    /** Inactive CPUs take no new tasks (sched_cpu_deactivate); set early in cpu_down. */
    boolean active = true;
    Task curr;
    Task idle;
    Task stopper;
    boolean irqsDisabled;
    /** Since when (this CPU's clock, and the machine's step) irqs have been off without a break, or -1: for the lockup watchdogs. */
    long irqsOffSinceNs = -1, irqsOffSinceStep;
    /** When {@link #curr} last changed: for the lockup watchdogs. */
    long switchedAtNs, switchedAtStep;
    int hardirq;
    boolean needResched;
    /** Pending interrupt vectors, one bit per {@link Vector}. */
    int pending;
    /** Run queue: runnable tasks other than {@link #curr}, in arrival order. */
    final List<Task> rq = new ArrayList<>(4);

    Cpu(int id) { this.id = id; }

    public int id() { return id; }
    public State state() { return state; }
    public boolean online() { return state == State.ONLINE; }
    public Task curr() { return curr; }
    public boolean irqsDisabled() { return irqsDisabled; }
    public boolean inHardirq() { return hardirq > 0; }
    public boolean needResched() { return needResched; }
    public boolean pending(Vector v) { return (pending & v.bit()) != 0; }

    @Override public String toString() { return "CPU" + id; }
}
