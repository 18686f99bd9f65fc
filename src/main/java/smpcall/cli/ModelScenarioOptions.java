package smpcall.cli;

import picocli.CommandLine.Option;
import smpcall.run.Models;
import smpcall.run.RunSpec;
import smpcall.run.Scenario;
import smpcall.run.Scenarios;

/** The model and the scenario, as options, checked before anything runs. */
final class ModelScenarioOptions {
    @Option(names = "--model", required = true, description = "The model (see 'smpcall models').")
    String model;

    @Option(names = "--scenario", required = true, description = "The scenario (see 'smpcall scenarios').")
    String scenario;

    /** The scenario; throws, with the known names, if the model or the scenario is unknown. */
    Scenario scenario() {
        if (!Models.exists(model)) Models.create(model);
        return Scenarios.get(scenario);
    }

    /** The scenario fits the machine the knobs make (its CPUs exist, a hotplug leaves one online). */
    void checkMachine(Scenario s, RunSpec.Knobs knobs) {
        s.check(knobs.apply(s.config()));
    }
}
