package smpcall.run;

import java.util.List;
import java.util.Set;

import smpcall.machine.Config;
import smpcall.machine.Machine;
import smpcall.kernel.Property;
import smpcall.kernel.Mainline;

/**
 * A scenario: a machine configuration and the tasks that run on it, each calling the model's
 * API. Every nondeterministic part (when a timer fires, which CPU goes offline) is left to
 * the machine's chooser, so one scenario stands for all its interleavings.
 */
public interface Scenario {
    String name();

    /**
     * How a run-id names the scenario: its name for a built-in one; for one loaded from a
     * file, the path and a hash of its content ({@code my.yaml@1a2b3c4d5e6f}), so that a
     * changed file is refused on replay.
     */
    default String ref() { return name(); }

    /** One line: what the scenario exercises. */
    String description();

    /** The configuration the scenario runs under unless the user overrides a knob. */
    Config config();

    /**
     * The properties this scenario is built to violate under every model (a negative
     * scenario, showing the machine catches it); empty for the rest.
     */
    default Set<Property> expectedViolations() { return Set.of(); }

    /**
     * The knob settings the scenario is meant to be run under (verify runs each as its own
     * row); by default just its own configuration.
     */
    default List<RunSpec.Knobs> variants() { return List.of(RunSpec.Knobs.NONE); }

    /**
     * The properties a run of this scenario is checked against; by default all of them.
     * (Not yet filtered on by the checker.)
     */
    default Set<Property> checked() { return java.util.EnumSet.allOf(Property.class); }

    /**
     * Whether the scenario can run on a machine of {@code config} (which may differ from
     * {@link #config()} by the user's knobs): throws IllegalArgumentException with one line
     * naming what does not fit (a task on a CPU the machine lacks, a hotplug of its last
     * online CPU). Call it before every run; by default everything fits.
     */
    default void check(Config config) {}

    /** Creates the scenario's tasks (and storage) on a booted machine. */
    void setUp(Machine m, Mainline k);
}
