package smpcall.kernel;

import static smpcall.machine.Tracepoints.cpumaskHex;
import static smpcall.machine.Tracepoints.functionSymbol;
import static smpcall.machine.Tracepoints.pointer;
import static smpcall.machine.Tracepoints.symbol;
import static smpcall.machine.Tracepoints.symbolNoOffset;

/**
 * The TP_printk formats of the tracepoints kernel/smp.c fires: {@code include/trace/events/ipi.h}
 * (ipi_send_cpu, ipi_send_cpumask) and {@code csd.h} (csd_queue_cpu, the csd_function class),
 * with the printf forms of {@link smpcall.machine.Tracepoints}.
 */
public final class SmpTracepoints {
    private SmpTracepoints() {}

    /** ipi_send_cpu: {@code "cpu=%u callsite=%pS callback=%pS"}. */
    public static String ipiSendCpu(int cpu, String callsite, String callback) {
        return "cpu=" + Integer.toUnsignedString(cpu) + " callsite=" + symbol(callsite)
                + " callback=" + functionSymbol(callback);
    }

    /** ipi_send_cpumask: {@code "cpumask=%s callsite=%pS callback=%pS"}, the mask via __get_cpumask. */
    public static String ipiSendCpumask(long mask, int nrCpus, String callsite, String callback) {
        return "cpumask=" + cpumaskHex(mask, nrCpus) + " callsite=" + symbol(callsite)
                + " callback=" + functionSymbol(callback);
    }

    /** csd_queue_cpu: {@code "cpu=%u callsite=%pS func=%ps csd=%p"}. */
    public static String csdQueueCpu(int cpu, String callsite, String func, long csd) {
        return "cpu=" + Integer.toUnsignedString(cpu) + " callsite=" + symbol(callsite)
                + " func=" + symbolNoOffset(func) + " csd=" + pointer(csd);
    }

    /** csd_function_entry: {@code "func=%ps, csd=%p"}. */
    public static String csdFunctionEntry(String func, long csd) {
        return "func=" + symbolNoOffset(func) + ", csd=" + pointer(csd);
    }

    /** csd_function_exit: {@code "func=%ps, csd=%p"} (same class as the entry event). */
    public static String csdFunctionExit(String func, long csd) {
        return csdFunctionEntry(func, csd);
    }
}
