package smpcall.run;

import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import smpcall.kernel.Csd;
import smpcall.kernel.Mainline;
import smpcall.kernel.SmpCallFunc;
import smpcall.machine.Storage;
import smpcall.machine.Config;
import smpcall.machine.Cpumask;
import smpcall.machine.Machine;
import smpcall.kernel.Property;
import smpcall.machine.Task;
import smpcall.machine.TaskSpec;

/** A scenario read from a YAML file (docs/scenarios.md). Immutable; each run builds its own objects. */
public final class FileScenario implements Scenario {
    private final Parsed p;
    private final String hash;
    private final Path path;
    private final String text;

    FileScenario(Parsed p, String hash, Path path, String text) {
        this.p = p;
        this.hash = hash;
        this.path = path;
        this.text = text;
    }

    @Override public String name() { return p.name(); }
    @Override public String description() { return p.description(); }
    @Override public Config config() { return p.config(); }
    @Override public Set<Property> expectedViolations() { return p.expect(); }
    @Override public Set<Property> checked() { return p.check(); }
    @Override public List<RunSpec.Knobs> variants() { return p.variants(); }

    /** The first 12 hex digits of the SHA-256 of the file's bytes (for run-ids). */
    public String hash() { return hash; }

    /** A built-in's name; a loaded file's {@code path@hash}, as run-ids name it. */
    @Override
    public String ref() { return path == null ? name() : FileRef.name(path.toString(), hash); }

    /** The file it was loaded from; null for text given as a string (a built-in from the jar). */
    public Path path() { return path; }

    /** The file's text, as read. */
    public String text() { return text; }

    /**
     * Masks, functions and CSDs in the order the file declares them (masks, then CSDs: their
     * storage addresses follow that order), then the tasks in file order, each asleep one
     * with its wake timer armed as it is created.
     */
    @Override
    public void setUp(Machine m, Mainline k) {
        Map<String, Cpumask> masks = new HashMap<>();
        for (Parsed.Mask mask : p.masks()) {
            Cpumask c = m.cpumask(m.staticData(mask.name()), mask.name());
            c.assign(mask.bits());      // before the run: no step
            masks.put(mask.name(), c);
        }
        Map<String, SmpCallFunc> funcs = new HashMap<>();
        p.funcs().forEach((name, cost) -> funcs.put(name, SmpCallFunc.of(name,
                info -> m.delay(cost != null ? cost : m.config().costs().callbackNs()))));
        Map<String, Csd> csds = new HashMap<>();
        for (Parsed.CsdDecl c : p.csds()) {
            if (c.in() == null) {
                csds.put(c.name(), k.initCsd(m.staticData(c.name()), c.name(), funcs.get(c.func()), null));
                continue;
            }
            Storage obj = m.kmalloc(c.in());
            SmpCallFunc f = c.frees() ? SmpCallFunc.of(c.func(), info -> m.kfree(obj)) : funcs.get(c.func());
            csds.put(c.name(), k.initCsd(obj, c.in() + "->" + c.name(), f, null));
        }
        Program program = new Program(m, k, new Program.Objects(masks, csds, funcs));
        for (Parsed.TaskDecl t : p.tasks()) {
            TaskSpec spec = TaskSpec.normal(t.name(), t.cpu(), () -> program.run(t.program()));
            if (t.fifo() != null) spec = spec.fifo(t.fifo());
            if (t.pinned()) spec = spec.pinned();
            else if (t.affinity() != -1L) spec = spec.allowed(t.affinity());
            if (t.boot()) spec = spec.bootTask();
            if (t.asleep()) spec = spec.asleep();
            if (t.stays()) spec = spec.withoutMigration();
            if (t.preemptions() >= 0 || t.migrations() >= 0) spec = spec.withBudgets(t.preemptions(), t.migrations());
            Task task = m.createTask(spec);
            if (t.asleep()) m.armWakeTimer(task, t.wakeAt());
        }
    }

    /**
     * Everything the file names fits a machine of {@code config.nrCpus()} CPUs: the task
     * CPUs and affinities, the masks and cond CPU lists, the hotplug CPUs; the boot task is on
     * CPU 0; the hotplug steps cannot take every CPU down.
     */
    @Override
    public void check(Config config) { MachineCheck.check(p, config.nrCpus(), ""); }
}
