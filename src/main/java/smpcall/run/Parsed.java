package smpcall.run;

import java.util.List;
import java.util.Map;
import java.util.Set;

import smpcall.machine.Config;
import smpcall.kernel.Property;

/** A scenario file as read: what {@link FileScenario} builds runs from and checks machines against. */
record Parsed(String name, String description, Config config, Where cpusAt,
              List<Mask> masks, List<CsdDecl> csds, Map<String, Long> funcs, List<TaskDecl> tasks,
              Set<Property> expect, Set<Property> check, List<RunSpec.Knobs> variants, List<Where> variantsAt) {

    /** A constant cpumask in static storage of its own name. */
    record Mask(String name, long bits, Where at) {}

    /**
     * A caller-owned CSD for smp_call_function_single_async(): in static storage of its name,
     * or ({@code in}) embedded in a kmalloc'ed object of that name, which its function kfree()s
     * when {@code frees}.
     */
    record CsdDecl(String name, String func, String in, boolean frees) {}

    /**
     * A task. {@code affinity} is -1 for every CPU; {@code preemptions}/{@code migrations}
     * -1 for the configuration's budgets; {@code wakeAt} only when {@code asleep}.
     */
    record TaskDecl(String name, Where at, int cpu, Where cpuAt, Integer fifo, long affinity, Where affinityAt,
                    boolean pinned, boolean stays, boolean boot, boolean asleep, long wakeAt,
                    int preemptions, int migrations, List<Step> program) {}
}
