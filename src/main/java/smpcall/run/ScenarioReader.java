package smpcall.run;

import java.util.ArrayList;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

import smpcall.kernel.SmpParams;
import smpcall.machine.Config;
import smpcall.kernel.Property;

/**
 * Reads a composed scenario file into {@link Parsed}: every field's type, range and
 * reference, and the rules that hold whatever the machine (see docs/scenarios.md). The
 * checks against the machine are {@link FileScenario#check}'s.
 */
final class ScenarioReader {
    /** The mask a program may name without declaring it. */
    static final String ONLINE_MASK = "cpu_online_mask";

    static final Pattern SCENARIO_NAME = Pattern.compile("[a-z0-9][a-z0-9._-]{0,47}");
    static final Pattern IDENTIFIER = Pattern.compile("[A-Za-z_][A-Za-z0-9_]{0,30}");
    /** A comm: TASK_COMM_LEN is 16 with the NUL. */
    static final Pattern COMM = Pattern.compile("[A-Za-z0-9_][A-Za-z0-9_./+-]{0,14}");
    static final int MAX_REPEAT = 10_000;

    private static final List<String> TOP = List.of("name", "description", "cpus", "config", "budgets", "masks", "csds",
            "tasks", "expect", "check", "variants");
    private static final List<String> CONFIG = List.of("preempt", "debug_preempt", "csdlock_debug", "csd_lock_timeout", "inline_mask");
    private static final List<String> BUDGETS = List.of("preemptions", "migrations");
    private static final List<String> VARIANT = List.of("cpus", "preempt", "inline_mask", "csdlock_debug", "csd_lock_timeout");
    private static final List<String> TASK = List.of("name", "cpu", "policy", "priority", "affinity", "pinned", "migrate",
            "boot", "asleep", "wake_at", "preemptions", "migrations", "program");
    private static final List<String> CSD = List.of("func", "cost", "in", "frees");
    private static final List<String> REPEAT = List.of("times", "steps");
    private static final List<String> HOTPLUG = List.of("cpu", "printk");
    private static final List<String> STEPS;

    static {
        List<String> s = new ArrayList<>();
        for (Step.Api a : Step.Api.values()) s.add(a.c);
        s.addAll(List.of("repeat", "irqs_off", "preempt_off", "delay", "sleep", "cond_resched", "cpu_down", "cpu_up"));
        STEPS = List.copyOf(s);
    }

    private final String fileName;
    private final Map<String, Long> funcs = new LinkedHashMap<>();
    private final Map<String, Where> funcAt = new HashMap<>();
    private final Map<String, Parsed.Mask> masks = new LinkedHashMap<>();
    private final Map<String, Parsed.CsdDecl> csds = new LinkedHashMap<>();

    private ScenarioReader(String fileName) { this.fileName = fileName; }

    static Parsed read(Field root, String fileName) { return new ScenarioReader(fileName).doc(root); }

    private Parsed doc(Field root) {
        if (root.isNull()) throw root.error("the file is empty (a scenario needs at least cpus: and tasks:)");
        Map<String, Field> top = root.map(TOP);
        String name = top.containsKey("name") ? top.get("name").text(SCENARIO_NAME, "a scenario name (a-z, 0-9, '.', '_', '-'; at most 48)")
                : defaultName(root);
        String description = "";
        if (top.containsKey("description")) {
            Field d = top.get("description");
            description = d.text().strip();
            if (description.contains("\n")) throw d.error("must be one line");
            if (description.length() > 300) throw d.error("is longer than 300 characters");
        }
        Field cpus = need(top, "cpus", root);
        Config config = Config.defaults(cpus.integer(1, 64));
        if (top.containsKey("config")) config = config(top.get("config"), config);
        if (top.containsKey("budgets")) {
            Map<String, Field> b = top.get("budgets").map(BUDGETS);
            int p = b.containsKey("preemptions") ? b.get("preemptions").integer(0, 64) : config.maxPreemptions();
            int mg = b.containsKey("migrations") ? b.get("migrations").integer(0, 64) : config.maxMigrations();
            config = config.withBudgets(p, mg);
        }
        if (top.containsKey("masks"))
            top.get("masks").namedEntries(IDENTIFIER, "mask name").forEach((n, f) -> {
                if (n.equals(ONLINE_MASK)) throw f.error("cpu_online_mask is the machine's own; name yours otherwise");
                masks.put(n, new Parsed.Mask(n, f.cpuList(), f.where()));
            });
        if (top.containsKey("csds"))
            top.get("csds").namedEntries(IDENTIFIER, "CSD name").forEach((n, f) -> {
                Map<String, Field> c = f.map(CSD);
                String in = c.containsKey("in") ? c.get("in").text(IDENTIFIER, "object name") : null;
                boolean frees = c.containsKey("frees") && c.get("frees").bool();
                if (frees && in == null) throw c.get("frees").error("frees: needs the CSD to be 'in' an object");
                csds.put(n, new Parsed.CsdDecl(n, func(need(c, "func", f), c.get("cost")), in, frees));
            });
        List<Parsed.TaskDecl> tasks = new ArrayList<>();
        Field tl = need(top, "tasks", root);
        for (Field t : tl.list()) tasks.add(task(t, tasks));
        if (tasks.isEmpty()) throw tl.error("needs at least one task");
        Set<Property> check = top.containsKey("check") ? properties(top.get("check")) : EnumSet.range(Property.P1, Property.P9);
        Set<Property> expect = top.containsKey("expect") ? properties(top.get("expect")) : Set.of();
        for (Property p : expect)
            if (!check.contains(p)) throw top.get("expect").error(p + " is expected but not in check:");
        Set<Property> checked = EnumSet.copyOf(check);
        checked.add(Property.MODEL);
        List<RunSpec.Knobs> variants = new ArrayList<>();
        List<Where> variantsAt = new ArrayList<>();
        if (top.containsKey("variants")) {
            for (Field v : top.get("variants").list()) {
                variants.add(variant(v));
                variantsAt.add(v.where());
            }
            if (variants.isEmpty()) throw top.get("variants").error("needs at least one variant (leave it out for the file's own configuration)");
        } else {
            variants.add(RunSpec.Knobs.NONE);
            variantsAt.add(root.where());
        }
        return new Parsed(name, description, config, cpus.where(), List.copyOf(masks.values()), List.copyOf(csds.values()),
                java.util.Collections.unmodifiableMap(funcs), List.copyOf(tasks), Set.copyOf(expect), Set.copyOf(checked),
                List.copyOf(variants), List.copyOf(variantsAt));
    }

    private String defaultName(Field root) {
        String stem = fileName.replaceAll(".*[/\\\\]", "").replaceAll("\\.(yaml|yml)$", "");
        if (!SCENARIO_NAME.matcher(stem).matches())
            throw root.error("the file name '" + Field.abbreviate(stem) + "' is not a scenario name: give one with name:");
        return stem;
    }

    private static Field need(Map<String, Field> map, String key, Field parent) {
        Field f = map.get(key);
        if (f == null) throw parent.error("missing key '" + key + "'");
        return f;
    }

    private static Config config(Field f, Config c) {
        Map<String, Field> m = f.map(CONFIG);
        if (m.containsKey("preempt")) c = c.withPreemption(m.get("preempt").bool());
        if (m.containsKey("debug_preempt")) c = c.withDebugPreempt(m.get("debug_preempt").bool());
        if (m.containsKey("csdlock_debug")) c = SmpParams.withCsdlockDebug(c, m.get("csdlock_debug").bool());
        if (m.containsKey("csd_lock_timeout")) c = SmpParams.withCsdLockTimeoutMs(c, m.get("csd_lock_timeout").integer(0, 3_600_000));
        if (m.containsKey("inline_mask")) c = SmpParams.withIpiMaskInline(c, m.get("inline_mask").bool());
        return c;
    }

    private static RunSpec.Knobs variant(Field f) {
        Map<String, Field> m = f.map(VARIANT);
        return new RunSpec.Knobs(
                m.containsKey("cpus") ? m.get("cpus").integer(1, 64) : null,
                m.containsKey("preempt") ? m.get("preempt").bool() : null,
                m.containsKey("inline_mask") ? m.get("inline_mask").bool() : null,
                m.containsKey("csdlock_debug") ? m.get("csdlock_debug").bool() : null,
                m.containsKey("csd_lock_timeout") ? m.get("csd_lock_timeout").integer(0L, 3_600_000L) : null);
    }

    private static Set<Property> properties(Field f) {
        Set<Property> out = EnumSet.noneOf(Property.class);
        for (Field p : f.list()) {
            String s = p.text(Pattern.compile("P[1-9]"), "a property (P1..P9)");
            if (!out.add(Property.valueOf(s))) throw p.error(s + " is listed twice");
        }
        return out;
    }

    /** A callback by name, and its cost (null: the cost model's callbackNs at the time of the call). */
    private String func(Field name, Field cost) {
        String n = name.text(IDENTIFIER, "a function name (a C identifier)");
        Long ns = cost == null ? null : cost.duration();
        if (funcs.containsKey(n) && !java.util.Objects.equals(funcs.get(n), ns)) {
            Where w = funcAt.get(n);
            throw (cost != null ? cost : name).error(n + " has another cost at " + w.line() + ":" + w.column()
                    + " (one function, one cost: " + (funcs.get(n) == null ? "the default" : funcs.get(n) + " ns") + ")");
        }
        if (!funcs.containsKey(n)) {
            funcs.put(n, ns);
            funcAt.put(n, (cost != null ? cost : name).where());
        }
        return n;
    }

    private Parsed.TaskDecl task(Field f, List<Parsed.TaskDecl> before) {
        Map<String, Field> m = f.map(TASK);
        String name = need(m, "name", f).text(COMM, "a comm (letters, digits, _ . / + -; at most 15)");
        for (Parsed.TaskDecl t : before) if (t.name().equals(name)) throw m.get("name").error("another task is named " + name);
        Field cpuF = m.get("cpu");
        int cpu = cpuF == null ? 0 : cpuF.integer(0, 63);
        Integer fifo = null;
        String policy = m.containsKey("policy") ? m.get("policy").text(Pattern.compile("normal|fifo"), "a policy (normal or fifo)") : "normal";
        if (policy.equals("fifo")) fifo = need(m, "priority", f).integer(1, 99);
        else if (m.containsKey("priority")) throw m.get("priority").error("only a fifo task has a priority (nice levels are not modelled)");
        long affinity = -1L;
        if (m.containsKey("affinity")) affinity = m.get("affinity").cpuList();
        boolean pinned = m.containsKey("pinned") && m.get("pinned").bool();
        if (pinned && m.containsKey("affinity")) throw m.get("pinned").error("give affinity: or pinned: true, not both");
        boolean stays = false;
        if (m.containsKey("migrate"))
            stays = m.get("migrate").text(Pattern.compile("free|pushed"), "free or pushed").equals("pushed");
        boolean boot = m.containsKey("boot") && m.get("boot").bool();
        if (boot) for (Parsed.TaskDecl t : before) if (t.boot()) throw m.get("boot").error("there is one boot task, and it is " + t.name());
        boolean asleep = m.containsKey("asleep") && m.get("asleep").bool();
        long wakeAt = 0;
        if (m.containsKey("wake_at")) {
            if (!asleep) throw m.get("wake_at").error("only an asleep: true task is woken");
            wakeAt = m.get("wake_at").duration();
        }
        int preemptions = m.containsKey("preemptions") ? m.get("preemptions").integer(0, 64) : -1;
        int migrations = m.containsKey("migrations") ? m.get("migrations").integer(0, 64) : -1;
        Field pf = need(m, "program", f);
        List<Step> program = steps(pf, false, false);
        Where affinityAt = m.containsKey("affinity") ? m.get("affinity").where() : m.containsKey("pinned") ? m.get("pinned").where() : f.where();
        return new Parsed.TaskDecl(name, f.where(), cpu, cpuF == null ? f.where() : cpuF.where(), fifo, affinity, affinityAt,
                pinned, stays, boot, asleep, wakeAt, preemptions, migrations, program);
    }

    private List<Step> steps(Field f, boolean irqsOff, boolean preemptOff) {
        List<Step> out = new ArrayList<>();
        for (Field s : f.list()) out.add(step(s, irqsOff, preemptOff));
        if (out.isEmpty()) throw f.error("needs at least one step");
        return List.copyOf(out);
    }

    private Step step(Field f, boolean irqsOff, boolean preemptOff) {
        if (!f.isMapping() && !f.isSequence() && !f.isNull() && f.text().equals("cond_resched")) {
            if (irqsOff || preemptOff)
                throw f.error("cond_resched() may sleep: not with " + (irqsOff ? "irqs" : "preemption") + " disabled");
            return new Step.CondResched(f.where());
        }
        Map<String, Field> m = f.map(STEPS);
        if (m.size() != 1) throw f.error("a step is one of " + String.join(", ", STEPS) + " (give " + m.size() + " keys in separate steps)");
        String key = m.keySet().iterator().next();
        Field v = m.get(key);
        boolean atomic = irqsOff || preemptOff;
        switch (key) {
            case "repeat" -> {
                Map<String, Field> r = v.map(REPEAT);
                int times = need(r, "times", v).integer(1, MAX_REPEAT);
                return new Step.Repeat(times, steps(need(r, "steps", v), irqsOff, preemptOff));
            }
            case "irqs_off" -> { return new Step.Section(true, steps(v, true, preemptOff)); }
            case "preempt_off" -> { return new Step.Section(false, steps(v, irqsOff, true)); }
            case "delay" -> { return new Step.Delay(v.duration()); }
            case "sleep" -> {
                if (atomic) throw v.error("a task cannot sleep with " + (irqsOff ? "irqs" : "preemption") + " disabled");
                return new Step.Sleep(v.duration());
            }
            case "cond_resched" -> throw v.error("cond_resched takes no value: write the step as - cond_resched");
            case "cpu_down", "cpu_up" -> {
                if (atomic) throw v.error(key + "() sleeps: not with " + (irqsOff ? "irqs" : "preemption") + " disabled");
                Field cpu = v;
                boolean printk = false;
                if (v.isMapping()) {
                    Map<String, Field> h = v.map(HOTPLUG);
                    cpu = need(h, "cpu", v);
                    printk = h.containsKey("printk") && h.get("printk").bool();
                }
                int n = cpu.text().equals("any") ? -1 : cpu.integer(0, 63);
                return new Step.Hotplug(key.equals("cpu_down"), n, cpu.where(), printk);
            }
            default -> { return call(Step.Api.named(key), v, irqsOff || preemptOff); }
        }
    }

    private Step call(Step.Api api, Field f, boolean preemptOff) {
        List<String> allowed = new ArrayList<>();
        switch (api) {
            case SMP_CALL_FUNCTION_SINGLE -> allowed.addAll(List.of("cpu", "func", "cost", "wait", "printk"));
            case SMP_CALL_FUNCTION_SINGLE_ASYNC -> allowed.addAll(List.of("cpu", "csd", "printk"));
            case SMP_CALL_FUNCTION_ANY -> allowed.addAll(List.of("mask", "func", "cost", "wait", "printk"));
            case SMP_CALL_FUNCTION_MANY, ON_EACH_CPU_MASK -> allowed.addAll(List.of("mask", "func", "cost", "wait"));
            case ON_EACH_CPU_COND_MASK -> allowed.addAll(List.of("mask", "func", "cost", "wait", "cond"));
            case SMP_CALL_FUNCTION, ON_EACH_CPU -> allowed.addAll(List.of("func", "cost", "wait"));
        }
        Map<String, Field> m = f.map(allowed);
        if (api == Step.Api.SMP_CALL_FUNCTION_MANY && !preemptOff)
            throw f.error("smp_call_function_many() needs preemption disabled: put it in a preempt_off: (or irqs_off:) section");
        // smp_call_function_single() may name a CPU the machine lacks: it returns -ENXIO.
        int cpu = allowed.contains("cpu") ? need(m, "cpu", f).integer(0, 4095) : 0;
        String mask = null;
        if (allowed.contains("mask")) {
            Field mf = need(m, "mask", f);
            mask = mf.text(IDENTIFIER, "a mask name");
            if (!mask.equals(ONLINE_MASK) && !masks.containsKey(mask))
                throw mf.error("no mask " + mask + " under masks:" + (masks.isEmpty() ? "" : " (there are " + String.join(", ", masks.keySet()) + ")"));
        }
        String csd = null;
        if (allowed.contains("csd")) {
            Field cf = need(m, "csd", f);
            csd = cf.text(IDENTIFIER, "a CSD name");
            if (!csds.containsKey(csd))
                throw cf.error("no CSD " + csd + " under csds:" + (csds.isEmpty() ? "" : " (there are " + String.join(", ", csds.keySet()) + ")"));
        }
        String func = allowed.contains("func") ? func(need(m, "func", f), m.get("cost")) : null;
        boolean wait = !m.containsKey("wait") || m.get("wait").bool();
        long cond = 0;
        Where condAt = null;
        if (m.containsKey("cond")) {
            cond = m.get("cond").cpuList();
            condAt = m.get("cond").where();
        }
        boolean printk = m.containsKey("printk") && m.get("printk").bool();
        return new Step.Call(api, f.where(), cpu, mask, csd, func, wait, cond, condAt, printk);
    }
}
