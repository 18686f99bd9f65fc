package smpcall.run;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import smpcall.machine.Config;
import smpcall.machine.Cpumask;
import smpcall.machine.Machine;
import smpcall.machine.Property;
import smpcall.machine.Storage;
import smpcall.machine.Task;
import smpcall.machine.TaskSpec;
import smpcall.kernel.Mainline;
import smpcall.kernel.Csd;
import smpcall.kernel.SmpCallFunc;

/** The built-in scenarios, by name. */
public final class Scenarios {
    private static final Map<String, Scenario> BUILT_IN = new LinkedHashMap<>();

    private Scenarios() {}

    public static List<Scenario> all() { return List.copyOf(BUILT_IN.values()); }

    public static boolean exists(String name) { return BUILT_IN.containsKey(name); }

    public static Scenario get(String name) {
        Scenario s = BUILT_IN.get(name);
        if (s == null) throw new IllegalArgumentException("unknown scenario '" + name + "' (known: " + String.join(", ", BUILT_IN.keySet()) + ")");
        return s;
    }

    private static void add(String name, String description, Config config, Setup setup) {
        add(name, description, config, Set.of(), List.of(RunSpec.Knobs.NONE), setup);
    }

    private static void add(String name, String description, Config config,
                            Set<Property> expected, List<RunSpec.Knobs> variants, Setup setup) {
        BUILT_IN.put(name, new Scenario() {
            @Override public Set<Property> expectedViolations() { return expected; }
            @Override public List<RunSpec.Knobs> variants() { return variants; }
            @Override public String name() { return name; }
            @Override public String description() { return description; }
            @Override public Config config() { return config; }
            @Override public void setUp(Machine m, Mainline k) { setup.setUp(m, k); }
        });
    }

    @FunctionalInterface
    private interface Setup {
        void setUp(Machine m, Mainline k);
    }

    /** A constant mask the caller passes (static storage, like a const struct cpumask). */
    static Cpumask mask(Machine m, String name, long bits) {
        Cpumask c = m.cpumask(m.staticData(name), name);
        c.assign(bits);   // before the run: no step
        return c;
    }

    /** A callback that does a little work on the target CPU. */
    static SmpCallFunc work(Machine m, String name) {
        return SmpCallFunc.of(name, info -> m.delay(m.config().costs().callbackNs()));
    }

    private static final long CPU1 = 1L << 1, CPU2 = 1L << 2;

    private static RunSpec.Knobs knobs(boolean inline, boolean preempt) {
        return new RunSpec.Knobs(null, preempt, inline, null, null);
    }

    static {
        add("preempt-waiter",
                "two tasks on CPU0 call on_each_cpu_cond_mask(wait) to CPUs 1-2; the second, RT, wakes while the first is inside its call",
                Config.defaults(3),
                (m, k) -> {
                    Cpumask targets = mask(m, "targets", CPU1 | CPU2);
                    SmpCallFunc flush = work(m, "flush_tlb_func");
                    m.createTask(TaskSpec.normal("T0", 0, () -> k.onEachCpuCondMask(null, flush, null, true, targets)));
                    Task t1 = m.createTask(TaskSpec.normal("T1", 0, () -> k.onEachCpuCondMask(null, flush, null, true, targets))
                            .fifo(50).asleep());
                    m.armWakeTimer(t1, 0);
                });

        add("hotplug-target",
                "T0 on CPU0 calls on_each_cpu_cond_mask(wait) to CPUs 1-2 while CPU2 goes offline",
                Config.defaults(3),
                (m, k) -> {
                    Cpumask targets = mask(m, "targets", CPU1 | CPU2);
                    SmpCallFunc f = work(m, "do_work");
                    m.createTask(TaskSpec.normal("T0", 0, () -> k.onEachCpuCondMask(null, f, null, true, targets)));
                    m.createTask(TaskSpec.normal("cpuhp-ctl", 1, () -> m.hotplug().cpuDown(2)).pinned());
                });

        add("single-async",
                "smp_call_function_single with and without wait, smp_call_function_single_async (-EBUSY on a busy CSD), -ENXIO for a CPU that does not exist",
                Config.defaults(3),
                (m, k) -> {
                    SmpCallFunc f = work(m, "do_work");
                    Csd asyncCsd = k.initCsd(m.staticData("async_csd"), "async_csd", f, null);
                    m.createTask(TaskSpec.normal("T0", 0, () -> {
                        m.printk("smp_call_function_single(1, wait) = " + k.smpCallFunctionSingle(1, f, null, true));
                        m.printk("smp_call_function_single(2, nowait) = " + k.smpCallFunctionSingle(2, f, null, false));
                        m.printk("smp_call_function_single_async(1) = " + k.smpCallFunctionSingleAsync(1, asyncCsd));
                        m.printk("smp_call_function_single_async(1) = " + k.smpCallFunctionSingleAsync(1, asyncCsd));
                        m.printk("smp_call_function_single(3, wait) = " + k.smpCallFunctionSingle(3, f, null, true));
                    }).pinned());
                });

        add("self-calls",
                "T0 (not pinned) on CPU0 calls smp_call_function_single(wait) on CPU0 and on CPU2, then on_each_cpu(wait), which runs on its own CPU too",
                Config.defaults(3),
                (m, k) -> {
                    SmpCallFunc f = work(m, "do_work");
                    m.createTask(TaskSpec.normal("T0", 0, () -> {
                        k.smpCallFunctionSingle(0, f, null, true);
                        k.smpCallFunctionSingle(2, f, null, true);
                        k.onEachCpu(f, null, true);
                    }));
                });

        add("async-free",
                "T0 queues smp_call_function_single_async() of a CSD embedded in a kmalloc'ed object on CPU1; the callback frees the object"
                        + " (allowed: an ASYNC CSD is unlocked before its function runs)",
                Config.defaults(2),
                (m, k) -> {
                    Storage obj = m.kmalloc("work_obj");
                    SmpCallFunc free = SmpCallFunc.of("free_work_func", info -> m.kfree(obj));
                    Csd csd = k.initCsd(obj, "work_obj->csd", free, null);
                    m.createTask(TaskSpec.normal("T0", 0, () -> k.smpCallFunctionSingleAsync(1, csd)).pinned());
                });

        add("migrate-offline",
                "T0 on CPU0 waits for CPUs 1-2, is preempted by an RT task and may migrate; then CPU0 goes offline",
                Config.defaults(3),
                (m, k) -> {
                    Cpumask targets = mask(m, "targets", CPU1 | CPU2);
                    SmpCallFunc f = work(m, "do_work");
                    m.createTask(TaskSpec.normal("T0", 0, () -> k.onEachCpuCondMask(null, f, null, true, targets)));
                    Task rt = m.createTask(TaskSpec.normal("RT", 0, () -> m.delay(1000)).fifo(50).pinned().asleep());
                    m.armWakeTimer(rt, 0);
                    m.createTask(TaskSpec.normal("cpuhp-ctl", 1, () -> m.hotplug().cpuDown(0)).pinned());
                });

        add("irqs-off-crosscall",
                "CPU0 and CPU1 each call smp_call_function_single(wait) on the other with irqs disabled",
                Config.defaults(2), Set.of(Property.P7, Property.P2),
                List.of(RunSpec.Knobs.NONE),
                (m, k) -> {
                    SmpCallFunc f = work(m, "do_work");
                    for (int cpu = 0; cpu < 2; cpu++) {
                        int other = 1 - cpu;
                        m.createTask(TaskSpec.normal("T" + cpu, cpu, () -> {
                            m.localIrqDisable();
                            k.smpCallFunctionSingle(other, f, null, true);
                            m.localIrqEnable();
                        }).pinned());
                    }
                });

        add("same-cpu-callers",
                "two tasks on CPU0, each preemptible at will, call on_each_cpu_cond_mask(wait) to CPU1 (no hotplug)",
                Config.defaults(2),
                (m, k) -> {
                    Cpumask targets = mask(m, "targets", CPU1);
                    SmpCallFunc f = work(m, "do_work");
                    for (int i = 0; i < 2; i++)
                        m.createTask(TaskSpec.normal("T" + i, 0, () -> k.onEachCpuCondMask(null, f, null, true, targets)));
                });

        add("two-callers-hotplug",
                "the reference: T0 (CPU0) waits on CPUs 1-2, T1 (CPU0) on CPU 2, each preemptible and migratable once; any one CPU goes offline"
                        + " (the hotplug task moves only when pushed off that CPU)",
                Config.defaults(3),
                (m, k) -> {
                    SmpCallFunc f = work(m, "do_work");
                    Cpumask t0 = mask(m, "t0_targets", CPU1 | CPU2);
                    Cpumask t1 = mask(m, "t1_targets", CPU2);
                    m.createTask(TaskSpec.normal("T0", 0, () -> k.onEachCpuCondMask(null, f, null, true, t0)));
                    m.createTask(TaskSpec.normal("T1", 0, () -> k.onEachCpuCondMask(null, f, null, true, t1)));
                    m.createTask(TaskSpec.normal("cpuhp-ctl", 2, () -> m.hotplug().cpuDown(m.choose(3))).withoutMigration());
                });

        add("three-callers-hotplug",
                "two-callers-hotplug and a third task, T2 on CPU1, calling on all CPUs",
                Config.defaults(3),
                (m, k) -> {
                    SmpCallFunc f = work(m, "do_work");
                    Cpumask t0 = mask(m, "t0_targets", CPU1 | CPU2);
                    Cpumask t1 = mask(m, "t1_targets", CPU2);
                    Cpumask all = mask(m, "all", 1 | CPU1 | CPU2);
                    m.createTask(TaskSpec.normal("T0", 0, () -> k.onEachCpuCondMask(null, f, null, true, t0)));
                    m.createTask(TaskSpec.normal("T1", 0, () -> k.onEachCpuCondMask(null, f, null, true, t1)));
                    m.createTask(TaskSpec.normal("T2", 1, () -> k.onEachCpuCondMask(null, f, null, true, all)));
                    m.createTask(TaskSpec.normal("cpuhp-ctl", 2, () -> m.hotplug().cpuDown(m.choose(3))).withoutMigration());
                });

        add("boot-task",
                "the boot task (no fork, so no task-local mask when it is not inline) and a forked task call on_each_cpu_cond_mask(wait) from CPU0",
                Config.defaults(2).withIpiMaskInline(false), Set.of(),
                List.of(knobs(false, true), knobs(true, true), knobs(false, false), knobs(true, false)),
                (m, k) -> {
                    Cpumask targets = mask(m, "targets", CPU1);
                    SmpCallFunc f = work(m, "do_work");
                    m.createTask(TaskSpec.normal("init", 0, () -> k.onEachCpuCondMask(null, f, null, true, targets)).bootTask());
                    Task t1 = m.createTask(TaskSpec.normal("T1", 0, () -> k.onEachCpuCondMask(null, f, null, true, targets))
                            .fifo(50).asleep());
                    m.armWakeTimer(t1, 0);
                });
    }
}
