package smpcall.cli;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.Callable;

import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;
import smpcall.check.Check;
import smpcall.check.SearchResult;
import smpcall.check.Verdict;
import smpcall.report.Json;
import smpcall.report.RunReport;
import smpcall.report.SearchJson;
import smpcall.report.Timeline;
import smpcall.run.RunSpec;
import smpcall.run.Scenario;

/** Search a model on a scenario for a violation, within a budget. */
@Command(name = "check", description = {"Search one model and scenario for a property violation: exhaustive "
        + "depth-first search (dfs, with a state cache and sleep sets, or source-DPOR), PCT, or random walk.",
        "Exit status: 0 verified (exhaustive), 1 violation, 2 bad input, 3 no violation within the budget "
                + "(or interrupted), 4 the model code failed."})
final class CheckCommand implements Callable<Integer> {
    @Spec CommandSpec spec;

    @Mixin ModelScenarioOptions target;

    @Option(names = "--strategy", defaultValue = "dfs", description = "dfs, pct or random (default ${DEFAULT-VALUE}).")
    String strategy;

    @Option(names = "--bound", paramLabel = "K", description = "dfs: at most K preemptions at will per run (default: no bound).")
    Integer bound;

    @Option(names = "--reduction", description = "dfs: states (default: prune states seen before, "
            + "by a 64-bit hash, with sleep sets; migrations wait for a move that can tell, stop_machine's private "
            + "acks go alone: docs/checker.md), dpor (stateless source-DPOR with sleep sets: best when few tasks "
            + "share a CPU), sleep (the same without the table) or none (every interleaving).")
    String reduction;

    @Option(names = "--depth", paramLabel = "D", description = "pct: bug depth D, 1..64 (default 3).")
    Integer depth;

    @Option(names = "--runs", paramLabel = "N", defaultValue = "100000", description = "Budget: executions, 1.."
            + MAX_RUNS + " (default ${DEFAULT-VALUE}).")
    long runs;

    @Option(names = "--time", paramLabel = "DURATION", defaultValue = "10s", converter = Inputs.Duration.class,
            description = "Budget: wall time, such as 10s, 500ms, 5m (a bare number is seconds; default ${DEFAULT-VALUE}).")
    Duration time;

    @Option(names = "--jobs", paramLabel = "N", description = "pct and random: runs side by side (default: the number of "
            + "cores); the result does not depend on it. dfs with the state cache: workers sharing the table of seen "
            + "states (default: one); the verdict does not depend on it, the counts and the counterexample found first may. 1.."
            + MAX_JOBS + ".")
    Integer jobs;

    @Option(names = "--replay", description = "dfs with the state cache: start every branch by replaying it from the "
            + "boot state, as the checker did before it restored saved states (slower; the same branches, verdict and counts).")
    boolean replay;

    @Option(names = "--json", paramLabel = "FILE", converter = Inputs.OutputPath.class,
            description = "Also write the verdict, the counts and the counterexample's run-id as JSON (docs/json.md).")
    Path json;

    @Option(names = "--trace", paramLabel = "FILE", converter = Inputs.OutputPath.class,
            description = "Also write the counterexample's run as Chrome/Perfetto trace-event JSON (ui.perfetto.dev "
                    + "opens it; docs/pictures.md), or as ftrace text if FILE ends in .txt.")
    Path trace;

    @Option(names = "--report", paramLabel = "DIR", converter = Inputs.OutputPath.class,
            description = "Also write a self-contained HTML report: the verdict and the counterexample's timeline (SVG), "
                    + "ftrace lines and kernel log.")
    Path report;

    @Mixin KnobOptions knobs;

    static final long MAX_RUNS = 1_000_000_000_000L;
    static final int MAX_JOBS = 256;

    @Override
    public Integer call() throws Exception {
        String model = target.modelName();
        Scenario scenario = target.scenario();
        RunSpec.Knobs k = knobs.knobs();
        target.checkMachine(scenario, k);
        Check.Options o = options();
        Inputs.outputFile("--json", json);
        Inputs.outputFile("--trace", trace);
        Inputs.outputDir("--report", report);
        PrintWriter out = spec.commandLine().getOut();
        Interruptible.Stop stop = new Interruptible.Stop(new Progress("check"), "executions");
        SearchResult r = Interruptible.run(stop, () -> Check.run(model, scenario, k, o, stop));
        if (r.executions() == 0 && r.verdict() != Verdict.INTERRUPTED)
            throw new IllegalArgumentException("the budget (--time " + Inputs.show(time.toNanos()) + ", --jobs " + o.jobs()
                    + ") ended before one execution completed: nothing was checked");
        String verdictLine = print(out, r, scenario);
        Memory.sayIfHeapFull(spec.commandLine().getErr());
        if (json != null) Json.write(json, SearchJson.of(r));
        if (trace != null) writeTrace(out, r);
        if (report != null) {
            smpcall.report.HtmlReport.check(report, "smpcall check: " + model + " on " + scenario.name(), r, verdictLine);
            out.println("report: " + report.resolve("index.html"));
            out.flush();
        }
        stop.printed();
        return r.verdict().exitStatus();
    }

    /** The search options, each checked, and refused where the strategy does not take it. */
    private Check.Options options() {
        Check.Strategy s = switch (strategy) {
            case "dfs" -> Check.Strategy.DFS;
            case "pct" -> Check.Strategy.PCT;
            case "random" -> Check.Strategy.RANDOM;
            default -> throw new IllegalArgumentException("--strategy must be dfs, pct or random, not '" + strategy + "'");
        };
        if (s != Check.Strategy.DFS && (reduction != null || bound != null))
            throw new IllegalArgumentException((reduction != null ? "--reduction" : "--bound") + " applies to --strategy dfs only");
        if (s != Check.Strategy.PCT && depth != null) throw new IllegalArgumentException("--depth applies to --strategy pct only");
        Check.Reduction red = reduction == null ? Check.Reduction.STATES : switch (reduction) {
            case "states" -> Check.Reduction.STATES;
            case "dpor" -> Check.Reduction.DPOR;
            case "sleep" -> Check.Reduction.SLEEP;
            case "none" -> Check.Reduction.NONE;
            default -> throw new IllegalArgumentException("--reduction must be states, dpor, sleep or none, not '" + reduction + "'");
        };
        if (bound != null) Inputs.range("--bound", bound, 0, 1000, "preemptions");
        if (depth != null) Inputs.range("--depth", depth, 1, 64, "change points");
        Inputs.range("--runs", runs, 1, MAX_RUNS, "executions");
        Inputs.range("--time", time, 1_000_000L, Inputs.MAX_NS);
        int j = jobs != null ? jobs : s == Check.Strategy.DFS ? 1 : Runtime.getRuntime().availableProcessors();
        Inputs.range("--jobs", j, 1, MAX_JOBS, "jobs");
        if (j > 1 && s == Check.Strategy.DFS && red != Check.Reduction.STATES)
            throw new IllegalArgumentException("--jobs above 1 with --strategy dfs needs --reduction states");
        if (replay && (s != Check.Strategy.DFS || red != Check.Reduction.STATES))
            throw new IllegalArgumentException("--replay applies to --strategy dfs with --reduction states only");
        return new Check.Options(s, red, bound == null ? -1 : bound, depth == null ? 3 : depth, runs, time.toNanos() / 1e9, j,
                replay);
    }

    /** Prints the counterexample and the counts; returns the counts line. */
    private String print(PrintWriter out, SearchResult r, Scenario scenario) {
        var cx = r.counterexample();
        if (cx != null) {
            int cpus = cx.spec().config().nrCpus();
            out.println((r.verdict() == Verdict.MODEL_ERROR ? "model error: " : "violation of ") + cx.finding().summary());
            out.println();
            out.print(Timeline.text(cx.result().trace(), cx.result().findings(), cpus));
            out.println();
            out.print(RunReport.text(cx.result(), cpus, cx.runId()));
        }
        String verdict = switch (r.verdict()) {
            case VIOLATION -> "violation of " + cx.finding().property().name();
            case VERIFIED -> "verified (exhaustive" + (bound != null ? ", at most " + bound + " preemptions at will" : "")
                    + only(scenario, ", ") + ")";
            case WITHIN_BUDGET -> (r.stepLimited() > 0
                    ? "no violation within budget (" + r.stepLimited() + " executions hit the step limit)" : r.verdict().text())
                    + only(scenario, " ");
            default -> r.verdict().text();
        };
        String states = r.reduction() != null && r.reduction().equals("states") ? "  states: " + r.states() : "";
        String line = String.format("executions: %d%s  steps: %d  seconds: %.2f  steps/s: %.0f  verdict: %s",
                r.executions(), states, r.steps(), r.seconds(), r.steps() / Math.max(1e-9, r.seconds()), verdict);
        out.println(line);
        out.flush();
        return line;
    }

    /** --trace: the counterexample as the trace command writes it; no counterexample, no file. */
    private void writeTrace(PrintWriter out, SearchResult r) throws java.io.IOException {
        var cx = r.counterexample();
        if (cx == null) {
            out.println("trace: no counterexample, " + trace + " not written");
        } else {
            String format = trace.toString().endsWith(".txt") ? "ftrace" : "perfetto";
            java.nio.file.Files.writeString(trace, TraceCommand.text(cx.result(), cx.spec().config().nrCpus(), cx.runId(), format));
            out.println("trace: " + trace + " (" + format + ")");
        }
        out.flush();
    }

    /** What a verdict covers when the scenario's {@code check:} list names only some properties. */
    private static String only(Scenario scenario, String sep) {
        var checked = new java.util.TreeSet<>(scenario.checked());
        checked.remove(smpcall.kernel.Property.MODEL);
        if (checked.size() == smpcall.kernel.Property.values().length - 1) return "";
        return sep + (sep.equals(" ") ? "(" : "") + "checked against "
                + String.join(", ", checked.stream().map(Enum::name).toList()) + " only" + (sep.equals(" ") ? ")" : "");
    }
}
