package smpcall.kernel;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import smpcall.machine.Clock;
import smpcall.machine.Config;
import smpcall.machine.Cpumask;
import smpcall.machine.Machine;
import smpcall.machine.RandomChooser;
import smpcall.machine.RunResult;
import smpcall.machine.TraceEvent;
import smpcall.run.Models;

/** Helpers shared by the kernel tests: a booted machine, recording callbacks, trace queries. */
final class KernelTestSupport {
    private KernelTestSupport() {}

    /** A machine with {@code nrCpus} CPUs, a random chooser and tracing on, and the model booted on it. */
    static Rig rig(String model, int nrCpus, long seed) {
        return rig(model, Config.defaults(nrCpus), seed);
    }

    static Rig rig(String model, Config config, long seed) {
        Machine m = new Machine(config, new RandomChooser(seed), Clock.Mode.GLOBAL, true);
        m.nameChecks(Property::of);
        Mainline k = Models.create(model);
        k.boot(m);
        return new Rig(m, k);
    }

    record Rig(Machine m, Mainline k) {
        /** A constant mask, assigned before the run (no step). */
        Cpumask mask(String name, long bits) {
            Cpumask c = m.cpumask(m.staticData(name), name);
            c.assign(bits);
            return c;
        }

        /**
         * A callback that does some work (one step, so that other CPUs may act while it runs)
         * and then records where and how it ran: a waiter that returns before the record
         * returned before the callback finished.
         */
        SmpCallFunc recording(String name, List<Call> into) {
            return SmpCallFunc.of(name, info -> {
                m.delay(100);
                into.add(new Call(name, m.rawSmpProcessorId(), m.irqsDisabled(), m.inTask(), info));
            });
        }
    }

    /** One execution of a callback: which, on which CPU, irqs off?, task context?, its info. */
    record Call(String func, int cpu, boolean irqsOff, boolean inTask, Object info) {}

    static long bit(int cpu) { return 1L << cpu; }

    /** The CPUs the calls ran on, as a mask; fails the caller's count check if a CPU appears twice. */
    static long cpusOf(List<Call> calls) {
        long bits = 0;
        for (Call c : calls) bits |= bit(c.cpu());
        return bits;
    }

    static List<TraceEvent> events(RunResult r, String name) {
        List<TraceEvent> out = new ArrayList<>();
        for (TraceEvent e : r.trace()) if (e.name().equals(name)) out.add(e);
        return out;
    }

    static List<TraceEvent> eventsWith(RunResult r, String name, String fieldFragment) {
        List<TraceEvent> out = new ArrayList<>();
        for (TraceEvent e : r.trace()) if (e.name().equals(name) && e.fields().contains(fieldFragment)) out.add(e);
        return out;
    }

    /** The integer after {@code key=} in a trace event's fields, or -1. */
    static long intField(TraceEvent e, String key) {
        Matcher mt = Pattern.compile("(?:^|\\s)" + Pattern.quote(key) + "=(\\d+)").matcher(e.fields());
        return mt.find() ? Long.parseLong(mt.group(1)) : -1;
    }

    /** The mask of an ipi_send_cpumask event ({@code cpumask=00000000,00000006}). */
    static long cpumaskField(TraceEvent e) {
        Matcher mt = Pattern.compile("cpumask=([0-9a-f]{8}),([0-9a-f]{8})").matcher(e.fields());
        if (!mt.find()) throw new AssertionError("no cpumask in " + e);
        return Long.parseLong(mt.group(1), 16) << 32 | Long.parseLong(mt.group(2), 16);
    }

    /** How many IPIs (single or in a mask) the trace shows going to {@code cpu}. */
    static int ipisTo(RunResult r, int cpu) {
        int n = 0;
        for (TraceEvent e : r.trace()) {
            if (e.name().equals("ipi_send_cpu") && intField(e, "cpu") == cpu) n++;
            else if (e.name().equals("ipi_send_cpumask") && (cpumaskField(e) >>> cpu & 1) != 0) n++;
        }
        return n;
    }

    /** How many csd_queue_cpu events target {@code cpu}. */
    static int queuesTo(RunResult r, int cpu) {
        int n = 0;
        for (TraceEvent e : events(r, "csd_queue_cpu")) if (intField(e, "cpu") == cpu) n++;
        return n;
    }

    /** The callback name of a csd_queue_cpu ({@code func=x}) or csd_function_entry ({@code func=x,}) event. */
    static String funcField(TraceEvent e) {
        Matcher mt = Pattern.compile("func=([^,\\s]+)").matcher(e.fields());
        if (!mt.find()) throw new AssertionError("no func in " + e);
        return mt.group(1);
    }

    static String describe(RunResult r) {
        return r.end() + " " + r.findings().stream().map(f -> f.summary()).toList();
    }
}
