package smpcall.kernel;

/** smp_cond_func_t: whether to call the function on {@code cpu}. */
@FunctionalInterface
public interface SmpCondFunc {
    boolean test(int cpu, Object info);
}
