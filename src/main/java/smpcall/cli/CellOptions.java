package smpcall.cli;

import picocli.CommandLine.Option;
import smpcall.run.Models;
import smpcall.run.Scenarios;

/** The model and scenario of one cell, as options, checked before anything runs. */
final class CellOptions {
    @Option(names = "--model", required = true, description = "The model (see 'smpcall models').")
    String model;

    @Option(names = "--scenario", required = true, description = "The scenario (see 'smpcall scenarios').")
    String scenario;

    /** Throws, with the known names, if either is unknown. */
    void validate() {
        if (!Models.exists(model)) Models.create(model);
        if (!Scenarios.exists(scenario)) Scenarios.get(scenario);
    }
}
