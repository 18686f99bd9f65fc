package smpcall.machine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.function.Function;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Regression: a task spinning (an await: smp_cond_load_acquire, a timed READ_ONCE spin) with
 * irqs enabled takes an interrupt whose handler makes machine accesses of its own. The
 * handler's steps must not clobber the spinner's pending await: the spin may return only
 * once its condition really holds. (The bug: after the handler, the spinner's next access
 * was taken to be a plain one, so the spin returned with the flag still 0.)
 */
class IrqDuringSpinTest {
    private static final int SEEDS = 500;

    enum Spin { COND_LOAD_ACQUIRE, REF_COND_LOAD_ACQUIRE, READ_ONCE_UNTIL }

    @ParameterizedTest
    @EnumSource(Spin.class)
    void spinReturnsOnlyWhenItsConditionHolds(Spin kind) {
        for (long seed = 0; seed < SEEDS; seed++) {
            Machine m = new Machine(Config.defaults(2), new RandomChooser(seed), Clock.Mode.GLOBAL, true);
            Storage s = m.staticData("test");
            Cell flag = m.cell(s, "flag", 0);
            RefCell<String> ptr = m.ref(s, "ptr", null);
            Cell spinning = m.cell(s, "spinning", 0);
            Cell handled = m.cell(s, "handled", 0);
            Cell scratch = m.cell(s, "scratch", 0);
            long[] returned = {-1};
            long[] flagAtReturn = {-1};
            int[] handlerCpu = {-1};
            boolean[] inSpin = {false};
            int[] handlerDuringSpin = {0};
            m.requestIrq(Vector.CALL_FUNCTION_SINGLE, () -> {
                handlerCpu[0] = m.rawSmpProcessorId();
                if (inSpin[0] && flag.peek() == 0 && ptr.peek() == null) handlerDuringSpin[0]++;
                // The handler's own accesses: loads, stores, an RMW, a delay.
                scratch.set(scratch.get() + 1);
                m.delay(50);
                scratch.fetchAdd(1);
                handled.storeRelease(1);
            });
            Function<Machine, Long> spin = switch (kind) {
                case COND_LOAD_ACQUIRE -> mm -> flag.condLoadAcquire(v -> v == 1);
                case REF_COND_LOAD_ACQUIRE -> mm -> ptr.condLoadAcquire(p -> p != null) == null ? 0L : 1L;
                case READ_ONCE_UNTIL -> mm -> flag.readOnceUntil(v -> v == 1, 3_600 * Config.NSEC_PER_SEC);
            };
            m.createTask(TaskSpec.normal("spinner", 0, () -> {
                spinning.set(1);
                inSpin[0] = true;
                returned[0] = spin.apply(m);
                inSpin[0] = false;
                flagAtReturn[0] = kind == Spin.REF_COND_LOAD_ACQUIRE ? (ptr.peek() == null ? 0 : 1) : flag.peek();
            }).pinned());
            m.createTask(TaskSpec.normal("kicker", 1, () -> {
                spinning.condLoadAcquire(v -> v == 1);
                m.sendIpi(0, Vector.CALL_FUNCTION_SINGLE);
                handled.condLoadAcquire(v -> v == 1);
                for (int i = 0; i < 5; i++) m.delay(100);
                if (kind == Spin.REF_COND_LOAD_ACQUIRE) ptr.writeOnce("set");
                else flag.storeRelease(1);
            }).pinned());
            RunResult r = m.run();
            String what = kind + " seed " + seed + ": " + r.end() + " " + r.findings();
            assertEquals(RunResult.End.COMPLETED, r.end(), what);
            assertTrue(r.findings().isEmpty(), what);
            assertEquals(0, handlerCpu[0], what);
            assertEquals(1, handlerDuringSpin[0], what + ": the interrupt did not arrive during the spin");
            assertEquals(2, scratch.peek(), what);
            assertEquals(1, returned[0], what + ": the spin returned before its condition held");
            assertEquals(1, flagAtReturn[0], what);
        }
    }
}
