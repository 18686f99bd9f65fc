package smpcall.cli;

import picocli.CommandLine.Option;
import smpcall.run.RunSpec;

/** The configuration knobs (README, "Configuration knobs"), as options; unset ones keep the scenario's value. */
final class KnobOptions {
    @Option(names = "--cpus", paramLabel = "N", description = "Number of CPUs (1..64).")
    Integer cpus;

    @Option(names = "--preempt", paramLabel = "0|1", description = "CONFIG_PREEMPTION.")
    String preempt;

    @Option(names = "--debug-preempt", paramLabel = "0|1",
            description = "CONFIG_DEBUG_PREEMPT: report per-CPU use in preemptible code and preempt-count underflow (default 1).")
    String debugPreempt;

    @Option(names = "--inline-mask", paramLabel = "0|1",
            description = "NR_CPUS <= BITS_PER_LONG: the task IPI mask is inline (0: allocated, CPUMASK_OFFSTACK).")
    String inlineMask;

    @Option(names = "--csdlock-debug", paramLabel = "0|1", description = "The csdlock_debug= boot option.")
    String csdlockDebug;

    @Option(names = "--csd-lock-timeout", paramLabel = "MS", description = "csd_lock_timeout in ms (default 5000).")
    Long csdLockTimeoutMs;

    @Option(names = "--panic-on-ipistall", paramLabel = "MS",
            description = "panic_on_ipistall in ms: with csdlock_debug, a CSD lock stuck longer is a BUG() (default 0: never).")
    Long panicOnIpistallMs;

    RunSpec.Knobs knobs() {
        if (cpus != null) Inputs.range("--cpus", cpus, 1, 64, "CPUs");
        if (csdLockTimeoutMs != null) Inputs.range("--csd-lock-timeout", csdLockTimeoutMs, 0, RunSpec.Knobs.MAX_CSD_LOCK_TIMEOUT_MS, "ms");
        if (panicOnIpistallMs != null) Inputs.range("--panic-on-ipistall", panicOnIpistallMs, 0, RunSpec.Knobs.MAX_CSD_LOCK_TIMEOUT_MS, "ms");
        return new RunSpec.Knobs(cpus, bit("--preempt", preempt), bit("--inline-mask", inlineMask),
                bit("--csdlock-debug", csdlockDebug), csdLockTimeoutMs, panicOnIpistallMs)
                .withDebugPreempt(bit("--debug-preempt", debugPreempt));
    }

    private static Boolean bit(String option, String v) {
        if (v == null) return null;
        return switch (v) {
            case "0" -> false;
            case "1" -> true;
            default -> throw new IllegalArgumentException("Invalid value for option '" + option + "': '" + v + "' is not 0 or 1");
        };
    }
}
