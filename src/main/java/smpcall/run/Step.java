package smpcall.run;

import java.util.List;

/** One step of a task's program in a scenario file. */
sealed interface Step {

    /** The calls of the model's API, by the name the C gives them. */
    enum Api {
        SMP_CALL_FUNCTION_SINGLE("smp_call_function_single"),
        SMP_CALL_FUNCTION_SINGLE_ASYNC("smp_call_function_single_async"),
        SMP_CALL_FUNCTION_ANY("smp_call_function_any"),
        SMP_CALL_FUNCTION_MANY("smp_call_function_many"),
        SMP_CALL_FUNCTION("smp_call_function"),
        ON_EACH_CPU_COND_MASK("on_each_cpu_cond_mask"),
        ON_EACH_CPU_MASK("on_each_cpu_mask"),
        ON_EACH_CPU("on_each_cpu");

        final String c;

        Api(String c) { this.c = c; }

        /** Whether it returns an int (which {@code printk: true} logs). */
        boolean returnsInt() {
            return this == SMP_CALL_FUNCTION_SINGLE || this == SMP_CALL_FUNCTION_SINGLE_ASYNC || this == SMP_CALL_FUNCTION_ANY;
        }

        static Api named(String c) {
            for (Api a : values()) if (a.c.equals(c)) return a;
            return null;
        }
    }

    /**
     * A call. Fields an API does not take are unused: {@code cpu} (single, single_async),
     * {@code mask} (any, many, the on_each_cpu_*mask), {@code csd} (single_async), {@code func}
     * and {@code wait} (all but single_async), {@code cond} (on_each_cpu_cond_mask: the CPUs
     * its cond_func says yes for, with {@code condAt} null for no cond_func).
     */
    record Call(Api api, Where at, int cpu, String mask, String csd, String func, boolean waits,
                long cond, Where condAt, boolean printk) implements Step {}

    /** The steps, {@code times} times over. */
    record Repeat(int times, List<Step> steps) implements Step {}

    /** local_irq_disable() ... local_irq_enable(), or preempt_disable() ... preempt_enable(). */
    record Section(boolean irqs, List<Step> steps) implements Step {}

    /** Time spent on the CPU (udelay). */
    record Delay(long ns) implements Step {}

    /** An hrtimer sleep; in checking, the timer may fire at any moment. */
    record Sleep(long ns) implements Step {}

    /** cond_resched(), at {@code at}: the __FILE__:__LINE__ its might-sleep check names. */
    record CondResched(Where at) implements Step {}

    /** cpu_down() or cpu_up() of {@code cpu}, or of one the machine chooses ({@code cpu} -1). */
    record Hotplug(boolean down, int cpu, Where at, boolean printk) implements Step {}
}
