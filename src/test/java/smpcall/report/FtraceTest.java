package smpcall.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;

import org.junit.jupiter.api.Test;

import smpcall.machine.TraceEvent;

class FtraceTest {

    private static TraceEvent ev(long ns, int cpu, String comm, int pid, boolean irqsOff,
                                 boolean needResched, boolean hardirq, int depth, String name, String fields) {
        return new TraceEvent(ns, cpu, comm, pid, irqsOff, needResched, hardirq, depth, name, fields);
    }

    @Test
    void headerForThreeCpus() {
        String expected = String.join("\n",
                "# tracer: nop",
                "#",
                "# entries-in-buffer/entries-written: 17/17   #P:3",
                "#",
                "#                                _-----=> irqs-off/BH-disabled",
                "#                               / _----=> need-resched",
                "#                              | / _---=> hardirq/softirq",
                "#                              || / _--=> preempt-depth",
                "#                              ||| / _-=> migrate-disable",
                "#                              |||| /     delay",
                "#           TASK-PID     CPU#  |||||  TIMESTAMP  FUNCTION",
                "#              | |         |   |||||     |         |") + "\n";
        assertEquals(expected, Ftrace.header(17, 3));
    }

    @Test
    void lineMatchesARealKernelLine() {
        // from a 4-CPU 6.x trace posted to LKML (its two-blank mail indent removed)
        TraceEvent e = ev(480_720_312_000L, 0, "<idle>", 0, true, false, true, 4,
                "ipi_raise", "target_mask=00000000,00000004 (Function call interrupts)");
        assertEquals("          <idle>-0       [000] d.h4.   480.720312: ipi_raise: "
                + "target_mask=00000000,00000004 (Function call interrupts)", Ftrace.line(e));
        TraceEvent k = ev(480_720_763_000L, 2, "kworker/u8:1", 37, true, false, false, 3,
                "ipi_raise", "target_mask=00000000,00000008 (Function call interrupts)");
        assertEquals("    kworker/u8:1-37      [002] d..3.   480.720763: ipi_raise: "
                + "target_mask=00000000,00000008 (Function call interrupts)", Ftrace.line(k));
    }

    @Test
    void lineIrqsOffPreemptOne() {
        TraceEvent e = ev(1_234_567_000L, 1, "kworker/1:1", 42, true, false, false, 1,
                "csd_function_entry", "func=do_nothing, csd=0000000000000010");
        assertEquals("     kworker/1:1-42      [001] d..1.     1.234567: csd_function_entry: "
                + "func=do_nothing, csd=0000000000000010", Ftrace.line(e));
    }

    @Test
    void lineHardirqAndNeedResched() {
        TraceEvent e = ev(7_000_001_000L, 3, "sh", 160, true, true, true, 10, "csd_function_exit", "f");
        assertEquals("              sh-160     [003] dNha.     7.000001: csd_function_exit: f", Ftrace.line(e));
    }

    @Test
    void lineIdleTaskAllClear() {
        TraceEvent e = ev(0L, 2, "<idle>", 0, false, false, false, 0, "sched_switch", "x");
        assertEquals("          <idle>-0       [002] .....     0.000000: sched_switch: x", Ftrace.line(e));
    }

    @Test
    void timestampRoundsToNearestMicrosecondLikeNs2usecs() {
        assertEquals("     1.000000", stamp(999_999_500L));
        assertEquals("     0.999999", stamp(999_999_499L));
        assertEquals("     0.001000", stamp(1_000_499L));
        assertEquals("123456.000001", stamp(123_456_000_001_000L));
    }

    private static String stamp(long ns) {
        String l = Ftrace.line(ev(ns, 0, "a", 1, false, false, false, 0, "n", "f"));
        int end = l.indexOf(": n: f");
        return l.substring(end - 13, end);
    }

    @Test
    void writeAppendsHeaderAndLines() {
        StringBuilder sb = new StringBuilder();
        List<TraceEvent> events = List.of(
                ev(1_000L, 0, "<idle>", 0, false, false, false, 0, "a", "1"),
                ev(2_000L, 1, "t", 5, true, false, false, 1, "b", "2"));
        Ftrace.write(events, 2, sb);
        assertEquals(Ftrace.header(2, 2)
                + "          <idle>-0       [000] .....     0.000001: a: 1\n"
                + "               t-5       [001] d..1.     0.000002: b: 2\n", sb.toString());
    }

}
