package smpcall.run;

import java.util.List;

/** Whether what a scenario file names fits a machine of a given number of CPUs. */
final class MachineCheck {
    private final int n;
    private final String why;
    private long downCpus;        // the CPUs named by a cpu_down step
    private long anyDowns;        // how many times a cpu_down of any CPU may run
    private boolean ups;
    private Where lastDown;

    private MachineCheck(int n, String why) {
        this.n = n;
        this.why = why;
    }

    /** Throws the one-line error for the first thing that does not fit; {@code why} ends its message. */
    static void check(Parsed p, int nrCpus, String why) { new MachineCheck(nrCpus, why).all(p); }

    private IllegalArgumentException error(Where at, String what) { return at.error(what + why); }

    private String machine() { return "a " + n + "-CPU machine"; }

    /** The lowest CPU of {@code bits} the machine lacks, or -1. */
    private int beyond(long bits) {
        long extra = n == 64 ? 0 : bits & -(1L << n);
        return extra == 0 ? -1 : Long.numberOfTrailingZeros(extra);
    }

    private void all(Parsed p) {
        for (Parsed.Mask m : p.masks()) {
            int c = beyond(m.bits());
            if (c >= 0) throw error(m.at(), "CPU " + c + " does not exist on " + machine());
        }
        for (Parsed.TaskDecl t : p.tasks()) {
            if (t.cpu() >= n) throw error(t.cpuAt(), "CPU " + t.cpu() + " does not exist on " + machine());
            if (t.boot() && t.cpu() != 0) throw error(t.cpuAt(), "the boot task (init_task) runs on CPU 0, not " + t.cpu());
            if (t.affinity() != -1L) {
                int c = beyond(t.affinity());
                if (c >= 0) throw error(t.affinityAt(), "CPU " + c + " does not exist on " + machine());
                if ((t.affinity() >>> t.cpu() & 1) == 0)
                    throw error(t.affinityAt(), "does not include the task's CPU " + t.cpu());
            }
            steps(t.program(), 1);
        }
        if (!ups && lastDown != null && Long.bitCount(downCpus) + anyDowns >= n)
            throw error(lastDown, n == 1 ? "would take down the only CPU" : "would take down the last online CPU ("
                    + "the steps take down up to " + Math.min(Long.bitCount(downCpus) + anyDowns, 64) + " CPUs of " + n + ", none comes up)");
    }

    private void steps(List<Step> steps, long times) {
        for (Step s : steps) {
            switch (s) {
                case Step.Call c -> {
                    if (c.condAt() != null) {
                        int cpu = beyond(c.cond());
                        if (cpu >= 0) throw error(c.condAt(), "CPU " + cpu + " does not exist on " + machine());
                    }
                }
                case Step.Repeat r -> steps(r.steps(), Math.min(times * r.times(), 1L << 20));
                case Step.Section sec -> steps(sec.steps(), times);
                case Step.Hotplug h -> {
                    if (h.cpu() >= n) throw error(h.at(), "CPU " + h.cpu() + " does not exist on " + machine());
                    if (h.down()) {
                        if (h.cpu() >= 0) downCpus |= 1L << h.cpu();
                        else anyDowns += times;
                        lastDown = h.at();
                    } else {
                        ups = true;
                    }
                }
                case Step.Delay d -> { }
                case Step.Sleep d -> { }
                case Step.CondResched d -> { }
            }
        }
    }
}
