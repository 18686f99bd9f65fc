package smpcall.machine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;

import org.junit.jupiter.api.Test;

class TracepointsTest {

    @Test
    void cpumaskList() {
        assertEquals("", Tracepoints.cpumaskList(0L));
        assertEquals("3", Tracepoints.cpumaskList(0b1000L));
        assertEquals("0-2", Tracepoints.cpumaskList(0b111L));
        assertEquals("0-2,5", Tracepoints.cpumaskList(0b100111L));
        assertEquals("1,3,5-6", Tracepoints.cpumaskList(0b1101010L));
        assertEquals("0,63", Tracepoints.cpumaskList(1L | (1L << 63)));
        assertEquals("0-63", Tracepoints.cpumaskList(-1L));
    }

    @Test
    void cpumaskHexIsWholeLongsInThirtyTwoBitChunks() {
        assertEquals("00000000,00000004", Tracepoints.cpumaskHex(0x4L, 4));
        assertEquals("00000000,00000006", Tracepoints.cpumaskHex(0x6L, 3));
        assertEquals("80000000,00000001", Tracepoints.cpumaskHex(1L | (1L << 63), 64));
        assertEquals("00000000,00000000", Tracepoints.cpumaskHex(0L, 8));
        assertThrows(IllegalArgumentException.class, () -> Tracepoints.cpumaskHex(1L, 65));
        assertThrows(IllegalArgumentException.class, () -> Tracepoints.cpumaskHex(1L, 0));
    }

    @Test
    void symbolsAreStableAndWellFormed() {
        // goldens computed independently (FNV-1a 32-bit over UTF-8, see Tracepoints.symbol)
        assertEquals("smp_call_function_single+0x1ac/0x2b0", Tracepoints.symbol("smp_call_function_single"));
        assertEquals("ttwu_queue_wakelist+0x40/0x290", Tracepoints.symbol("ttwu_queue_wakelist"));
        assertEquals("do_nothing+0x5c/0x160", Tracepoints.symbol("do_nothing"));
        assertEquals("do_nothing+0x0/0x160", Tracepoints.functionSymbol("do_nothing"));
        assertEquals(Tracepoints.symbol("smp_call_function_many_cond"), Tracepoints.symbol("smp_call_function_many_cond"));
        assertNotEquals(Tracepoints.symbol("do_nothing"), Tracepoints.symbol("do_nothinh"));
        assertEquals("do_nothing", Tracepoints.symbolNoOffset("do_nothing"));
        for (String n : List.of("a", "__smp_call_single_queue", "generic_exec_single", "flush_tlb_func", "ä")) {
            String s = Tracepoints.symbol(n);
            assertTrue(s.matches("\\Q" + n + "\\E\\+0x[0-9a-f]+/0x[0-9a-f]+"), s);
            int off = Integer.parseInt(s.substring(s.indexOf("+0x") + 3, s.indexOf('/')), 16);
            int len = Integer.parseInt(s.substring(s.indexOf("/0x") + 3), 16);
            assertTrue(len >= 0x40 && len <= 0x3f0 && len % 0x10 == 0, s);
            assertTrue(off >= 4 && off < len && off % 4 == 0, s);
        }
    }

    @Test
    void schedFields() {
        assertEquals("prev_comm=swapper/12 prev_pid=0 prev_prio=120 prev_state=R ==> "
                        + "next_comm=kworker/u32:1 next_pid=21084 next_prio=120",
                Tracepoints.schedSwitch("swapper/12", 0, 120, "R", "kworker/u32:1", 21084, 120));
        assertEquals("prev_comm=t prev_pid=5 prev_prio=98 prev_state=R+ ==> next_comm=u next_pid=6 next_prio=120",
                Tracepoints.schedSwitch("t", 5, 98, "R+", "u", 6, 120));
        assertEquals("comm=rt-app pid=957 prio=120 target_cpu=002", Tracepoints.schedWakeup("rt-app", 957, 120, 2));
        assertEquals("comm=ksoftirqd/1 pid=22 prio=120 orig_cpu=1 dest_cpu=0",
                Tracepoints.schedMigrateTask("ksoftirqd/1", 22, 120, 1, 0));
    }

    @Test
    void cpuhpFields() {
        assertEquals("cpu: 0001 target: 232 step:  95 (sched_cpu_deactivate)",
                Tracepoints.cpuhpEnter(1, 232, 95, "sched_cpu_deactivate"));
        assertEquals(" cpu: 0001  state:  95 step:  95 ret: 0", Tracepoints.cpuhpExit(1, 95, 95, 0));
        assertEquals(" cpu: 0012  state:   7 step: 123 ret: -22", Tracepoints.cpuhpExit(12, 7, 123, -22));
    }
}
