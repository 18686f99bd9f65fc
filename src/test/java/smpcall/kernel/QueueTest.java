package smpcall.kernel;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static smpcall.kernel.KernelTestSupport.bit;
import static smpcall.kernel.KernelTestSupport.describe;
import static smpcall.kernel.KernelTestSupport.events;
import static smpcall.kernel.KernelTestSupport.funcField;
import static smpcall.kernel.KernelTestSupport.ipisTo;
import static smpcall.kernel.KernelTestSupport.queuesTo;
import static smpcall.kernel.KernelTestSupport.rig;

import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import smpcall.kernel.KernelTestSupport.Call;
import smpcall.kernel.KernelTestSupport.Rig;
import smpcall.machine.Cell;
import smpcall.machine.Cpumask;
import smpcall.machine.Machine;
import smpcall.machine.RunResult;
import smpcall.machine.TaskSpec;
import smpcall.machine.TraceEvent;
import smpcall.run.Models;

/**
 * call_single_queue: an IPI only for the enqueue that made the list non-empty (the others
 * ride on it), nothing queued is lost, and a flush runs the SYNC entries before the ASYNC ones.
 */
class QueueTest {
    static List<String> models() { return Models.names(); }

    /**
     * CPU0 (smp_call_function_single) and CPU1 (smp_call_function_many) both queue to CPU2,
     * twice each. Per run: IPIs to CPU2 never outnumber the enqueues, at least one IPI is
     * sent, every queued callback runs on CPU2; across seeds, some enqueue finds the list
     * non-empty and sends nothing.
     */
    @ParameterizedTest
    @MethodSource("models")
    void ipiOnlyWhenEnqueueMakesListNonEmpty(String model) {
        int sharedIpi = 0, runs = 0;
        for (long seed = 0; seed < 400; seed++) {
            Rig rig = rig(model, 3, seed);
            Machine m = rig.m();
            Cpumask to2 = rig.mask("to2", bit(2));
            List<Call> calls = new ArrayList<>();
            SmpCallFunc f0 = rig.recording("from_cpu0", calls);
            SmpCallFunc f1 = rig.recording("from_cpu1", calls);
            boolean wait = seed % 2 == 0;
            m.createTask(TaskSpec.normal("T0", 0, () -> {
                rig.k().smpCallFunctionSingle(2, f0, null, wait);
                rig.k().smpCallFunctionSingle(2, f0, null, wait);
            }).pinned());
            m.createTask(TaskSpec.normal("T1", 1, () -> {
                for (int i = 0; i < 2; i++) {
                    m.preemptDisable();
                    rig.k().smpCallFunctionMany(to2, f1, null, wait);
                    m.preemptEnable();
                }
            }).pinned());
            RunResult r = m.run();
            String what = model + " seed " + seed;
            assertEquals(RunResult.End.COMPLETED, r.end(), what + ": " + describe(r));
            assertTrue(r.findings().isEmpty(), what + ": " + describe(r));
            int queues = queuesTo(r, 2), ipis = ipisTo(r, 2);
            assertEquals(4, queues, what + ": csd_queue_cpu events to CPU2");
            assertTrue(ipis >= 1, what + ": work queued but no IPI");
            assertTrue(ipis <= queues, what + ": " + ipis + " IPIs for " + queues + " enqueues");
            assertEquals(queues, eventsOnCpu(r, "csd_function_entry", 2).size(), what + ": queued callbacks that never ran");
            assertEquals(4, calls.size(), what);
            for (Call c : calls) assertTrue(c.cpu() == 2 && c.irqsOff() && !c.inTask(), what + ": " + c);
            for (TraceEvent e : events(r, "csd_function_entry")) assertEquals(2, e.cpu(), what + ": " + e);
            if (ipis < queues) sharedIpi++;
            runs++;
        }
        assertTrue(sharedIpi > 0, model + ": in none of " + runs + " runs did an enqueue find CPU2's list non-empty");
    }

    /**
     * CPU2 holds its irqs off while an ASYNC CSD (smp_call_function_single_async from CPU0)
     * and then a SYNC one (smp_call_function_single(wait) from CPU1) are queued to it; when it
     * enables irqs, one interrupt runs both, the SYNC callback first.
     */
    @ParameterizedTest
    @MethodSource("models")
    void syncCallbacksRunBeforeAsyncOnesInOneFlush(String model) {
        for (long seed = 0; seed < 300; seed++) {
            Rig rig = rig(model, 3, seed);
            Machine m = rig.m();
            Mainline k = rig.k();
            Cell ready = m.cell(m.staticData("ready"), "ready", 0);
            Cell asyncQueued = m.cell(m.staticData("async_queued"), "async_queued", 0);
            List<Call> calls = new ArrayList<>();
            SmpCallFunc asyncFunc = rig.recording("async_func", calls);
            SmpCallFunc syncFunc = rig.recording("sync_func", calls);
            Csd csd = k.initCsd(m.staticData("async_csd"), "async_csd", asyncFunc, null);
            int[] ret = {Integer.MIN_VALUE, Integer.MIN_VALUE};
            m.createTask(TaskSpec.normal("target", 2, () -> {
                m.localIrqDisable();
                ready.set(1);
                // Until two entries are queued (ghost read of the list in the predicate).
                k.callSingleQueue.on(2).condLoadAcquire(head -> head != null && head.next.peek() != null);
                m.localIrqEnable();
                m.delay(100);
            }).pinned());
            m.createTask(TaskSpec.normal("T0", 0, () -> {
                ready.condLoadAcquire(v -> v == 1);
                ret[0] = k.smpCallFunctionSingleAsync(2, csd);
                asyncQueued.set(1);
            }).pinned());
            m.createTask(TaskSpec.normal("T1", 1, () -> {
                asyncQueued.condLoadAcquire(v -> v == 1);
                ret[1] = k.smpCallFunctionSingle(2, syncFunc, null, true);
            }).pinned());
            RunResult r = m.run();
            String what = model + " seed " + seed;
            assertEquals(RunResult.End.COMPLETED, r.end(), what + ": " + describe(r));
            assertTrue(r.findings().isEmpty(), what + ": " + describe(r));
            assertEquals(0, ret[0], what);
            assertEquals(0, ret[1], what);

            List<TraceEvent> queued = events(r, "csd_queue_cpu");
            assertEquals(List.of("async_func", "sync_func"), queued.stream().map(KernelTestSupport::funcField).toList(),
                    what + ": queue order");
            assertEquals(1, ipisTo(r, 2), what + ": the SYNC enqueue found the list non-empty");

            // The CSD callbacks on CPU2, and whether they ran inside one interrupt: nothing
            // but the first one's exit lies between them in CPU2's part of the trace.
            List<TraceEvent> cpu2 = new ArrayList<>();
            for (TraceEvent e : r.trace()) if (e.cpu() == 2) cpu2.add(e);
            List<String> entries = new ArrayList<>();
            int firstEntry = -1, secondEntry = -1;
            for (int i = 0; i < cpu2.size(); i++) {
                if (!cpu2.get(i).name().equals("csd_function_entry")) continue;
                entries.add(funcField(cpu2.get(i)));
                if (firstEntry < 0) firstEntry = i;
                else if (secondEntry < 0) secondEntry = i;
            }
            assertEquals(List.of("sync_func", "async_func"), entries, what + ": SYNC before ASYNC");
            assertEquals(firstEntry + 2, secondEntry, what + ": both callbacks in one flush: " + cpu2);
            assertEquals("csd_function_exit", cpu2.get(firstEntry + 1).name(), what);
            assertTrue(cpu2.get(firstEntry).hardirq() && cpu2.get(secondEntry).hardirq(), what + ": from the IPI");
            assertEquals(2, calls.size(), what + ": " + calls);
        }
    }

    private static List<TraceEvent> eventsOnCpu(RunResult r, String name, int cpu) {
        List<TraceEvent> out = new ArrayList<>();
        for (TraceEvent e : events(r, name)) if (e.cpu() == cpu) out.add(e);
        return out;
    }
}
