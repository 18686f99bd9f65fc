package smpcall.kernel;

import smpcall.machine.Chooser;
import smpcall.machine.Clock;
import smpcall.machine.Config;
import smpcall.machine.Machine;
import smpcall.machine.RunResult;

/** Builds machine, model and scenario for one run, and runs it. */
public final class Runs {
    private Runs() {}

    /**
     * Runs {@code work} on one virtual thread and waits for it. Drivers that make many runs
     * call {@link #run} from inside it: a machine started from a platform thread pays a
     * platform-to-virtual hand-off (tens of microseconds) per run.
     */
    public static <T> T onVirtualThread(java.util.concurrent.Callable<T> work) {
        Object[] out = new Object[1];
        Throwable[] failure = new Throwable[1];
        Thread t = Thread.ofVirtual().name("smpcall-driver").start(() -> {
            try {
                out[0] = work.call();
            } catch (Throwable e) {
                failure[0] = e;
            }
        });
        try {
            t.join();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
        if (failure[0] instanceof RuntimeException re) throw re;
        if (failure[0] instanceof Error err) throw err;
        if (failure[0] != null) throw new IllegalStateException(failure[0]);
        @SuppressWarnings("unchecked") T result = (T) out[0];
        return result;
    }

    /** Runs what {@code spec} names. */
    public static RunResult run(RunSpec spec, boolean tracing, boolean stopOnFinding) {
        return run(spec.model(), Scenarios.get(spec.scenario()), spec.config(), spec.chooser(), tracing, stopOnFinding);
    }

    public static RunResult run(String model, Scenario scenario, Config config, Chooser chooser,
                                boolean tracing, boolean stopOnFinding) {
        Machine m = new Machine(config, chooser, Clock.Mode.GLOBAL, tracing);
        m.stopOnFirstFinding(stopOnFinding);
        Mainline k = Models.create(model);
        k.boot(m);
        scenario.setUp(m, k);
        return m.run();
    }
}
