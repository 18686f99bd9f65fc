package smpcall.cli;

import picocli.CommandLine.Option;
import smpcall.run.Models;
import smpcall.run.RunSpec;
import smpcall.run.Scenario;
import smpcall.run.Scenarios;

/** The model and the scenario, as options, checked before anything runs. */
final class ModelScenarioOptions {
    @Option(names = "--model", required = true, paramLabel = "MODEL",
            description = "A model ('smpcall models'), or your own: a .patch against the shipped model sources or a .java "
                    + "class extending one (docs/user-models.md).")
    String model;

    @Option(names = "--scenario", required = true, paramLabel = "SCENARIO",
            description = "A built-in scenario ('smpcall scenarios'), or a scenario file, .yaml (docs/scenarios.md).")
    String scenario;

    /** The model's registered name (a user's file: {@code path@hash}); loads a file, throws if unknown. */
    String modelName() { return Models.resolve(model); }

    /** The scenario (a file is loaded); throws, with the known names, if unknown. */
    Scenario scenario() { return Scenarios.resolve(scenario); }

    /** The scenario fits the machine the knobs make (its CPUs exist, a hotplug leaves one online). */
    void checkMachine(Scenario s, RunSpec.Knobs knobs) {
        s.check(knobs.apply(s.config()));
    }
}
