package smpcall.run;

import java.util.List;
import java.util.Map;

import smpcall.kernel.Csd;
import smpcall.kernel.Mainline;
import smpcall.kernel.SmpCallFunc;
import smpcall.kernel.SmpCondFunc;
import smpcall.machine.Cpumask;
import smpcall.machine.Machine;

/** Runs a task's steps on a machine: the calls the Java scenarios used to make by hand. */
final class Program {
    /** What the steps name, as created on the machine of one run. */
    record Objects(Map<String, Cpumask> masks, Map<String, Csd> csds, Map<String, SmpCallFunc> funcs) {}

    private final Machine m;
    private final Mainline k;
    private final Objects o;

    Program(Machine m, Mainline k, Objects o) {
        this.m = m;
        this.k = k;
        this.o = o;
    }

    void run(List<Step> steps) {
        for (Step s : steps) run(s);
    }

    private void run(Step step) {
        switch (step) {
            case Step.Call c -> call(c);
            case Step.Repeat r -> {
                for (int i = 0; i < r.times(); i++) run(r.steps());
            }
            case Step.Section s when s.irqs() -> {
                m.localIrqDisable();
                run(s.steps());
                m.localIrqEnable();
            }
            case Step.Section s -> {
                m.preemptDisable();
                run(s.steps());
                m.preemptEnable();
            }
            case Step.Delay d -> m.delay(d.ns());
            case Step.Sleep s -> m.sleepUntil(m.clock().now(m.current().cpu()) + s.ns());
            case Step.CondResched c -> m.condResched(c.at().file(), c.at().line());
            case Step.Hotplug h -> {
                int cpu = h.cpu() >= 0 ? h.cpu() : m.choose(m.nrCpuIds());
                int ret = h.down() ? m.hotplug().cpuDown(cpu) : m.hotplug().cpuUp(cpu);
                if (h.printk()) m.printk((h.down() ? "cpu_down(" : "cpu_up(") + cpu + ") = " + ret);
            }
        }
    }

    private void call(Step.Call c) {
        SmpCallFunc f = c.func() == null ? null : o.funcs().get(c.func());
        Cpumask mask = c.mask() == null ? null : mask(c.mask());
        String wait = c.waits() ? "wait" : "nowait";
        switch (c.api()) {
            case SMP_CALL_FUNCTION_SINGLE -> {
                int ret = k.smpCallFunctionSingle(c.cpu(), f, null, c.waits());
                if (c.printk()) m.printk("smp_call_function_single(" + c.cpu() + ", " + wait + ") = " + ret);
            }
            case SMP_CALL_FUNCTION_SINGLE_ASYNC -> {
                int ret = k.smpCallFunctionSingleAsync(c.cpu(), o.csds().get(c.csd()));
                if (c.printk()) m.printk("smp_call_function_single_async(" + c.cpu() + ") = " + ret);
            }
            case SMP_CALL_FUNCTION_ANY -> {
                int ret = k.smpCallFunctionAny(mask, f, null, c.waits());
                if (c.printk()) m.printk("smp_call_function_any(" + c.mask() + ", " + wait + ") = " + ret);
            }
            case SMP_CALL_FUNCTION_MANY -> k.smpCallFunctionMany(mask, f, null, c.waits());
            case SMP_CALL_FUNCTION -> k.smpCallFunction(f, null, c.waits());
            case ON_EACH_CPU_COND_MASK -> k.onEachCpuCondMask(c.condAt() == null ? null : cond(c.cond()), f, null, c.waits(), mask);
            case ON_EACH_CPU_MASK -> k.onEachCpuMask(mask, f, null, c.waits());
            case ON_EACH_CPU -> k.onEachCpu(f, null, c.waits());
        }
    }

    private Cpumask mask(String name) {
        return name.equals(ScenarioReader.ONLINE_MASK) ? m.cpuOnlineMask() : o.masks().get(name);
    }

    /** A cond_func that says yes for the CPUs of {@code cpus} (no accesses: a pure test). */
    private static SmpCondFunc cond(long cpus) {
        return (cpu, info) -> (cpus >>> cpu & 1) != 0;
    }
}
