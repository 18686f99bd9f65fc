package smpcall.lab;

import java.util.SplittableRandom;

import org.HdrHistogram.Histogram;

import smpcall.kernel.Mainline;
import smpcall.kernel.SmpCallFunc;
import smpcall.kernel.SmpParams;
import smpcall.machine.Clock;
import smpcall.machine.Config;
import smpcall.machine.Cpumask;
import smpcall.machine.Machine;
import smpcall.machine.RunResult;
import smpcall.machine.TaskSpec;
import smpcall.run.Driver;
import smpcall.run.Models;
import smpcall.run.Scenario;

/**
 * The latency lab: the situation the series was written for, in virtual time. On CPU0 a
 * normal task issues TLB-shootdown-like on_each_cpu_cond_mask(wait) calls to every other CPU
 * in a loop; every other CPU now and then runs with irqs disabled, mostly briefly, sometimes
 * for milliseconds; on every CPU a cyclictest-like SCHED_FIFO 99 task wakes up periodically
 * and records how late it runs; on CPU0 a CPU-bound background task takes turns with the
 * caller at each scheduler tick. Under mainline the caller waits for a slow CPU with
 * preemption disabled, and the measuring task on CPU0 waits with it.
 */
public final class LatencyLab {
    /** The scheduler tick: HZ=1000. */
    public static final long TICK_NS = 1_000_000L;

    private LatencyLab() {}

    /**
     * Runs the workload on one model under {@code c}, through the one driver of every run
     * (in the lab's timing: every CPU its own clock, moves in time order); call it on a
     * virtual thread.
     */
    public static LabResult run(LabConfig c, LabModel model) {
        long wall0 = System.nanoTime();
        Workload w = new Workload(c, model.csdlockDebug());
        RunResult r = Driver.run(() -> Models.create(model.model()), w, w.config(), new TimeOrderedChooser(c.seed()),
                Clock.Mode.PER_CPU, false, true);     // a model that breaks a property is not measured on
        return new LabResult(model.label(), w.wakeup, w.offMax, w.calls, r.steps(), c.durationNs(),
                System.nanoTime() - wall0, r.end(), r.findings());
    }

    /** The lab's workload as a scenario; what it measures stays in its fields. */
    private static final class Workload implements Scenario {
        private final LabConfig c;
        private final Config config;
        final Histogram[] wakeup;
        final long[] offMax;
        long calls;

        Workload(LabConfig c, boolean csdlockDebug) {
            this.c = c;
            this.config = SmpParams.withCsdlockDebug(Config.defaults(c.cpus()), csdlockDebug).withCosts(c.costs())
                    .withBudgets(0, 0).withMaxSteps(Long.MAX_VALUE).withTickNs(TICK_NS);
            this.wakeup = new Histogram[c.cpus()];
            for (int cpu = 0; cpu < c.cpus(); cpu++) wakeup[cpu] = new Histogram(1, 1_000_000_000_000L, 3);
            this.offMax = new long[(int) Math.max(1, (c.durationNs() + c.windowNs() - 1) / c.windowNs())];
        }

        @Override public String name() { return "latency-lab"; }

        @Override public String description() {
            return "CPU0 cross-calls every other CPU in a loop while they run with irqs off now and then; a cyclictest-like task on every CPU";
        }

        @Override public Config config() { return config; }

        @Override
        public void setUp(Machine m, Mainline k) {
            int windows = offMax.length;
            m.onPreemptOff((cpu, comm, start, end) -> {
                if (cpu != 0) return;
                int w = (int) Math.min(windows - 1, end / c.windowNs());
                offMax[w] = Math.max(offMax[w], end - start);
            });

            Cpumask others = m.cpumask(m.staticData("mm_cpumask"), "mm_cpumask");
            others.assign(c.cpus() == 64 ? -2L : (1L << c.cpus()) - 2);     // every CPU but CPU0
            SmpCallFunc flush = SmpCallFunc.of("flush_tlb_func", info -> m.delay(c.costs().callbackNs()));
            m.createTask(TaskSpec.normal("caller", 0, () -> {
                while (m.clock().now(0) < c.durationNs()) {
                    k.onEachCpuCondMask(null, flush, null, true, others);
                    calls++;
                    m.delay(c.thinkNs());
                }
            }).pinned());

            for (int cpu = 0; cpu < c.cpus(); cpu++) {
                int me = cpu;
                m.createTask(TaskSpec.normal("cyclictest/" + cpu, cpu, () -> {
                    for (long next = c.intervalNs(); next < c.durationNs(); next += c.intervalNs()) {
                        m.sleepUntil(next);
                        wakeup[me].recordValue(Math.max(0, m.clock().now(me) - next));
                    }
                }).fifo(99).pinned());
            }

            // Background on CPU0: a CPU-bound normal task; the tick makes it take turns with the caller.
            m.createTask(TaskSpec.normal("background/0", 0, () -> {
                while (m.clock().now(0) < c.durationNs()) m.delay(c.thinkNs());
            }).pinned());

            for (int cpu = 1; cpu < c.cpus(); cpu++) {
                int me = cpu;
                SplittableRandom rnd = new SplittableRandom(c.seed() * 1_000_003L + cpu);
                m.createTask(TaskSpec.normal("irqoff/" + cpu, cpu, () -> {
                    while (m.clock().now(me) < c.durationNs()) {
                        m.delay(exponential(rnd, c.irqoffGapNs()));
                        long window = rnd.nextInt(1000) < c.irqoffLongPermille()
                                ? pareto(rnd, c.irqoffLongNs()) : exponential(rnd, c.irqoffShortNs());
                        m.localIrqDisable();
                        m.delay(window);
                        m.localIrqEnable();
                    }
                }).pinned());
            }
        }
    }

    private static long exponential(SplittableRandom rnd, long mean) {
        return Math.max(1, (long) (-Math.log(1 - rnd.nextDouble()) * mean));
    }

    /** Pareto with shape 1.5 and scale {@code xm}, capped at 20 xm: mostly near xm, now and then far more. */
    private static long pareto(SplittableRandom rnd, long xm) {
        double x = xm / Math.pow(1 - rnd.nextDouble(), 1 / 1.5);
        return (long) Math.min(x, 20.0 * xm);
    }
}
