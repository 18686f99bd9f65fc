package smpcall.cli;

import java.io.PrintWriter;

import smpcall.kernel.RunSpec;
import smpcall.kernel.Runs;
import smpcall.machine.ReplayChooser;
import smpcall.machine.RunResult;
import smpcall.report.RunReport;

/** Runs a spec with tracing and prints its report; the exit status says whether it found anything. */
final class RunPrinter {
    private RunPrinter() {}

    static int print(RunSpec spec, PrintWriter out) {
        RunResult r;
        try {
            r = Runs.run(spec, true, false);
        } catch (ReplayChooser.Divergence e) {
            throw new IllegalArgumentException("run-id does not replay on this model and scenario: " + e.getMessage());
        }
        if (r.end() == RunResult.End.MODEL_ERROR && !r.findings().isEmpty()
                && r.findings().get(r.findings().size() - 1).headline().contains("threw Divergence"))
            throw new IllegalArgumentException("run-id does not replay on this model and scenario: "
                    + r.findings().get(r.findings().size() - 1).headline().replaceFirst(".*Divergence: ", ""));
        out.print(RunReport.text(r, spec.config().nrCpus(), spec.id()));
        out.flush();
        return r.findings().isEmpty() ? 0 : 1;
    }
}
