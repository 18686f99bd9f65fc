package smpcall.kernel;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

/** The ipi and csd tracepoints' fields, as the kernel's TP_printk formats print them. */
class SmpTracepointsTest {

    @Test
    void ipiFields() {
        assertEquals("cpu=0 callsite=ttwu_queue_wakelist+0x40/0x290 "
                        + "callback=generic_smp_call_function_single_interrupt+0x0/0x180",
                SmpTracepoints.ipiSendCpu(0, "ttwu_queue_wakelist", "generic_smp_call_function_single_interrupt"));
        assertEquals("cpumask=00000000,00000006 callsite=smp_call_function_many_cond+0x138/0x2f0 "
                        + "callback=generic_smp_call_function_single_interrupt+0x0/0x180",
                SmpTracepoints.ipiSendCpumask(0x6L, 4, "smp_call_function_many_cond",
                        "generic_smp_call_function_single_interrupt"));
    }

    @Test
    void csdFields() {
        assertEquals("cpu=3 callsite=smp_call_function_single+0x1ac/0x2b0 func=do_nothing "
                        + "csd=00000000b1c2d3e4",
                SmpTracepoints.csdQueueCpu(3, "smp_call_function_single", "do_nothing", 0xb1c2d3e4L));
        assertEquals("func=do_nothing, csd=000000000000002a", SmpTracepoints.csdFunctionEntry("do_nothing", 42L));
        assertEquals("func=do_nothing, csd=000000000000002a", SmpTracepoints.csdFunctionExit("do_nothing", 42L));
    }
}
