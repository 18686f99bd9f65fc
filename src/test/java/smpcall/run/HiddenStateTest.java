package smpcall.run;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.api.Test;
import smpcall.kernel.Mainline;
import smpcall.kernel.SeriesV9;
import smpcall.machine.Cell;

/** A model may keep state only where the machine sees it: a search that restores states saves nothing else. */
class HiddenStateTest {
    static Stream<String> models() {
        List<String> all = new ArrayList<>(Models.names());
        Models.mutants().forEach(m -> all.add(m.name()));
        return all.stream();
    }

    @ParameterizedTest
    @MethodSource("models")
    void theShippedModelsKeepTheirStateInTheMachine(String model) {
        assertNull(HiddenState.of(Models.create(model).getClass()));
    }

    /** A flag in a Java field: set once, it stays set across a restore (the flush warning was one). */
    static class WarnsInAField extends SeriesV9 {
        private boolean warned;
    }

    static class CountsInAList extends Mainline {
        final List<Integer> seen = new ArrayList<>();
    }

    /** The hidden field is one level down, in a kernel object the model holds. */
    static class Pending {
        final Cell flags = null;
        int retries;
    }

    static class HoldsAnObjectWithAField extends Mainline {
        final Pending pending = new Pending();
    }

    @Test
    void aFieldOfItsOwnIsNamed() {
        assertEquals("WarnsInAField.warned is a Java boolean that is not final: the machine does not see it change",
                HiddenState.of(WarnsInAField.class));
        assertEquals("CountsInAList.seen is a Java List: the machine does not see it change", HiddenState.of(CountsInAList.class));
        assertEquals("Pending.retries is a Java int that is not final: the machine does not see it change",
                HiddenState.of(HoldsAnObjectWithAField.class));
    }
}
