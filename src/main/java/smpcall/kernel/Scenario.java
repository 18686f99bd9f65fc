package smpcall.kernel;

import smpcall.machine.Config;
import smpcall.machine.Machine;

/**
 * A scenario: a machine configuration and the tasks that run on it, each calling the model's
 * API. Every nondeterministic part (when a timer fires, which CPU goes offline) is left to
 * the machine's chooser, so one scenario stands for all its interleavings.
 */
public interface Scenario {
    String name();

    /** One line: what the scenario exercises. */
    String description();

    /** The configuration the scenario runs under unless the user overrides a knob. */
    Config config();

    /** Creates the scenario's tasks (and storage) on a booted machine. */
    void setUp(Machine m, Mainline k);
}
