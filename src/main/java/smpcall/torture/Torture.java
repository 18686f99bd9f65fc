package smpcall.torture;

import java.util.ArrayList;
import java.util.List;

import smpcall.kernel.Mainline;
import smpcall.kernel.SmpParams;
import smpcall.lab.LatencyLab;
import smpcall.lab.TimeOrderedChooser;
import smpcall.machine.Clock;
import smpcall.machine.Config;
import smpcall.machine.Finding;
import smpcall.machine.RunResult;
import smpcall.run.Driver;
import smpcall.run.Models;

/**
 * {@code smpcall torture}: scftorture on a model, in virtual time (every CPU its own clock,
 * moves in time order, a scheduler tick at HZ=1000), with every property of the checker
 * checked as it runs. The run stops at its first finding, so the counters are those up to
 * it. The same model, parameters and seed give the same bytes, so a run-id of those
 * reproduces a failure.
 */
public final class Torture {
    private Torture() {}

    /** What one test run printed and how it ended. */
    public record Result(Run run, RunResult machine, boolean finished, boolean interrupted, String verdict, long invoked, long wallNs) {
        public List<String> console() { return machine.console(); }
        public List<Finding> findings() { return machine.findings(); }
        /** scftorture's verdict, or FAILURE when the kernel log has a finding (as parse-console.sh would see it). */
        public boolean failed() { return verdict.equals("FAILURE"); }
    }

    /** One test: a model (a registered name), its invoker, the parameters. */
    public record Run(String model, Invoker invoker, TortureParams params, boolean csdlockDebug) {
        /** The run-id: {@code torture:MODEL:KNOBS:sSEED}, the knobs those that differ from the defaults. */
        public String id() {
            List<String> knobs = new ArrayList<>();
            TortureParams d = TortureParams.defaults();
            if (params.cpus() != d.cpus()) knobs.add("cpus=" + params.cpus());
            if (params.durationNs() != d.durationNs()) knobs.add("duration=" + params.durationNs() + "ns");
            if (invoker != null) knobs.add("invoker=" + invoker.label);
            if (csdlockDebug) knobs.add("csdlock_debug=1");
            if (!params.changed().equals("-")) knobs.add(params.changed());
            return "torture:" + model + ":" + (knobs.isEmpty() ? "-" : String.join(",", knobs)) + ":s" + params.seed();
        }

        /** A run-id of {@link #id()} back into the run; a malformed one is an IllegalArgumentException naming the part. */
        public static Run parse(String id) {
            String[] parts = id.split(":", -1);
            if (parts.length != 4 || !parts[0].equals("torture") || !parts[3].matches("s-?[0-9]+"))
                throw new IllegalArgumentException("run-id '" + id + "' is not a torture run-id (torture:MODEL:KNOBS:sSEED)");
            String model = Models.resolve(parts[1]);
            TortureParams p = TortureParams.defaults();
            Invoker invoker = null;
            boolean debug = false;
            int cpus = p.cpus();
            long duration = p.durationNs();
            if (!parts[2].equals("-")) {
                for (String kv : parts[2].split(",")) {
                    int eq = kv.indexOf('=');
                    if (eq < 0) throw new IllegalArgumentException("run-id '" + id + "': knob '" + kv + "' has no value");
                    String name = kv.substring(0, eq), value = kv.substring(eq + 1);
                    switch (name) {
                        case "cpus" -> cpus = integer(id, kv, value);
                        case "duration" -> {
                            if (!value.endsWith("ns")) throw new IllegalArgumentException("run-id '" + id + "': " + kv + " is not in ns");
                            duration = integer(id, kv, value.substring(0, value.length() - 2));
                        }
                        case "invoker" -> invoker = Invoker.parse(value);
                        case "csdlock_debug" -> debug = value.equals("1");
                        default -> p = p.with(name, value);
                    }
                }
            }
            long seed;
            try {
                seed = Long.parseLong(parts[3].substring(1));
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("run-id '" + id + "': bad seed " + parts[3]);
            }
            return new Run(model, invoker, p.withMachine(cpus, duration, seed), debug);
        }

        private static int integer(String id, String kv, String value) {
            try {
                return Integer.parseInt(value);
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("run-id '" + id + "': " + kv + " is not a number");
            }
        }
    }

    /** Checks what the machine cannot run; throws IllegalArgumentException with one line. */
    public static void check(Run r) {
        TortureParams p = r.params();
        if (p.cpus() < 2 || p.cpus() > 64) throw new IllegalArgumentException("--cpus must be 2 to 64, not " + p.cpus());
        new Selector(p, p.cpus());      // all zero weights
    }

    /** Runs one test; call it on a virtual thread. With {@code tracing}, the machine's trace events come back too. */
    public static Result run(Run r, boolean tracing) { return run(r, tracing, () -> false); }

    /**
     * Runs one test, asking {@code stop} once per call an invoker makes: it may show progress,
     * and true ends the test early (the invokers stop, the test cleans up and prints its end
     * as at its shutdown time).
     */
    public static Result run(Run r, boolean tracing, java.util.function.BooleanSupplier stop) {
        check(r);
        long wall0 = System.nanoTime();
        TortureParams p = r.params();
        Mainline probe = Models.create(r.model());
        Invoker invoker = r.invoker() != null ? r.invoker() : Invoker.of(probe);
        Config config = SmpParams.withCsdlockDebug(Config.defaults(p.cpus()), r.csdlockDebug()).withBudgets(0, 0)
                .withMaxSteps(Long.MAX_VALUE).withTickNs(LatencyLab.TICK_NS);
        TortureWorkload w = new TortureWorkload(p, invoker, config, stop);
        RunResult rr = Driver.run(() -> Models.create(r.model()), w, config, new TimeOrderedChooser(p.seed()),
                Clock.Mode.PER_CPU, tracing, true);
        Counters c = w.counters;
        String verdict = c.failed() || !rr.findings().isEmpty() ? "FAILURE" : !c.finished ? "INCOMPLETE" : c.verdict();
        return new Result(r, rr, c.finished, w.interrupted, verdict, c.invokedCount(), System.nanoTime() - wall0);
    }
}
