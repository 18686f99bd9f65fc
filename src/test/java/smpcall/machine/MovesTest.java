package smpcall.machine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** The dependence relation the reductions rely on: what may not commute. */
class MovesTest {
    private static final int NONE = -1;

    private static int step(int cpu) { return Moves.encode(Moves.Kind.STEP, cpu, 0); }

    private static int irq(int cpu) { return Moves.encode(Moves.Kind.IRQ, cpu, 0); }

    private static int migrate(int task, int to) { return Moves.encode(Moves.Kind.MIGRATE, to, task); }

    /** An IPI from {@code cpu} to the CPUs of {@code targets}, as Enabled writes its footprint. */
    private static boolean ipiDependent(int cpu, int targets, int other, int loc, int flags) {
        boolean ab = Moves.dependent(step(cpu), targets, Moves.CPUS, other, loc, flags);
        boolean ba = Moves.dependent(other, loc, flags, step(cpu), targets, Moves.CPUS);
        assertEquals(ab, ba, "dependence is symmetric");
        return ab;
    }

    @Test
    void stepsDependOnOneLocationWithAWrite() {
        assertTrue(Moves.dependent(step(0), 7, Moves.WRITE, step(1), 7, 0));
        assertFalse(Moves.dependent(step(0), 7, 0, step(1), 7, 0), "two reads commute");
        assertFalse(Moves.dependent(step(0), 7, Moves.WRITE, step(1), 8, Moves.WRITE), "two locations commute");
        assertTrue(Moves.dependent(step(0), 7, 0, irq(0), NONE, 0), "one CPU's moves never commute");
        assertTrue(Moves.dependent(step(0), NONE, Moves.GLOBAL, step(2), 9, 0), "a global move depends on every move");
    }

    @Test
    void anIpiDependsOnMovesOnItsTargetsAndItsSender() {
        int toCpus12 = 0b110;
        assertTrue(ipiDependent(0, toCpus12, irq(1), NONE, 0), "the target takes the interrupt");
        assertTrue(ipiDependent(0, toCpus12, step(2), 5, 0), "any move on a target");
        assertTrue(ipiDependent(0, toCpus12, step(0), 5, 0), "the sender's own moves");
        assertFalse(ipiDependent(0, 0b010, step(2), 5, Moves.WRITE), "a CPU it does not go to");
        assertFalse(ipiDependent(0, 0b010, Moves.encode(Moves.Kind.STEP, 2, 0), 1, Moves.CPUS), "two IPIs only set pending bits");
        assertTrue(ipiDependent(0, 0b010, Moves.encode(Moves.Kind.STEP, 0, 0), 0b100, Moves.CPUS), "two IPIs from one CPU");
        assertTrue(ipiDependent(0, toCpus12, step(3), NONE, Moves.GLOBAL), "a global move");
    }

    @Test
    void anIpiDependsOnAMigrationToOrFromATargetOrTheSender() {
        assertTrue(ipiDependent(0, 0b010, migrate(5, 1), 3, 0), "into a target");
        assertTrue(ipiDependent(0, 0b010, migrate(5, 3), 1, 0), "out of a target (its location is the source)");
        assertTrue(ipiDependent(0, 0b010, migrate(5, 3), 0, 0), "out of the sender");
        assertFalse(ipiDependent(0, 0b010, migrate(5, 3), 2, 0), "between CPUs it does not touch");
    }
}
