package smpcall.check;

import smpcall.run.RunSpec;
import smpcall.machine.Finding;
import smpcall.machine.RunResult;

/**
 * A run that violates a property: the recorded run that replays it, the finding, and how
 * long the run is.
 *
 * @param spec    names the run (a recorded choice string), for {@code smpcall replay}
 * @param finding the first finding of the property looked for
 * @param result  the run itself
 */
public record Counterexample(RunSpec spec, Finding finding, RunResult result) {
    public String runId() { return spec.id(); }
}
