package smpcall.cli;

import java.io.PrintWriter;

import smpcall.report.RunReport;
import smpcall.run.Driver;
import smpcall.run.Outcome;
import smpcall.run.RunSpec;

/** Runs a spec with tracing and prints its report; the exit status is the outcome's. */
final class RunPrinter {
    private RunPrinter() {}

    static int print(RunSpec spec, PrintWriter out) {
        Outcome o = Driver.outcome(spec);
        if (o instanceof Outcome.Diverged d) throw new IllegalArgumentException("run-id does not replay: " + d.why());
        out.print(RunReport.text(o.result(), spec.config().nrCpus(), spec.checked(o.result()).id()));
        out.flush();
        return o.exitStatus();
    }
}
