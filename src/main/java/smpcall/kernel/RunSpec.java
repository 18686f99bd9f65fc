package smpcall.kernel;

import java.io.ByteArrayOutputStream;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.zip.DataFormatException;
import java.util.zip.Deflater;
import java.util.zip.Inflater;

import smpcall.machine.Chooser;
import smpcall.machine.Config;
import smpcall.machine.RandomChooser;
import smpcall.machine.ReplayChooser;

/**
 * Names one run: model, scenario, the knobs that differ from the scenario's configuration,
 * and either a seed (a random run) or a recorded choice string. Its id is what a run prints
 * and what {@code smpcall replay} takes:
 * {@code series-v9:preempt-waiter:-:s42} or {@code mainline:boot-task:preempt=0,inline=1:zeJzj...}.
 */
public record RunSpec(String model, String scenario, Knobs knobs, long seed, int[] choices) {

    /** Configuration knobs a user may override (DESIGN §4), each null when not given. */
    public record Knobs(Integer cpus, Boolean preempt, Boolean inlineMask, Boolean csdlockDebug, Long csdLockTimeoutMs,
                        Long panicOnIpistallMs) {
        public static final Knobs NONE = new Knobs(null, null, null, null, null, null);

        /** Without panic_on_ipistall. */
        public Knobs(Integer cpus, Boolean preempt, Boolean inlineMask, Boolean csdlockDebug, Long csdLockTimeoutMs) {
            this(cpus, preempt, inlineMask, csdlockDebug, csdLockTimeoutMs, null);
        }

        public Config apply(Config c) {
            if (cpus != null) c = c.withNrCpus(cpus);
            if (preempt != null) c = c.withPreemption(preempt);
            if (inlineMask != null) c = c.withIpiMaskInline(inlineMask);
            if (csdlockDebug != null) c = c.withCsdlockDebug(csdlockDebug);
            if (csdLockTimeoutMs != null) c = c.withCsdLockTimeoutNs(csdLockTimeoutMs * 1_000_000L);
            if (panicOnIpistallMs != null) c = c.withPanicOnIpistallMs(panicOnIpistallMs);
            return c;
        }

        /** {@code cpus=4,preempt=0} in a fixed order, or {@code -} when nothing is overridden. */
        public String format() {
            Map<String, String> kv = new LinkedHashMap<>();
            if (cpus != null) kv.put("cpus", cpus.toString());
            if (preempt != null) kv.put("preempt", preempt ? "1" : "0");
            if (inlineMask != null) kv.put("inline", inlineMask ? "1" : "0");
            if (csdlockDebug != null) kv.put("csdlock_debug", csdlockDebug ? "1" : "0");
            if (csdLockTimeoutMs != null) kv.put("csd_lock_timeout", csdLockTimeoutMs.toString());
            if (panicOnIpistallMs != null) kv.put("panic_on_ipistall", panicOnIpistallMs.toString());
            if (kv.isEmpty()) return "-";
            List<String> parts = new ArrayList<>();
            kv.forEach((k, v) -> parts.add(k + "=" + v));
            return String.join(",", parts);
        }

        public static Knobs parse(String s) {
            if (s.equals("-")) return NONE;
            Integer cpus = null;
            Boolean preempt = null, inline = null, debug = null;
            Long timeout = null, panic = null;
            for (String part : s.split(",")) {
                String[] kv = part.split("=", 2);
                if (kv.length != 2) throw new IllegalArgumentException("knob '" + part + "' is not key=value");
                switch (kv[0]) {
                    case "cpus" -> cpus = Integer.valueOf(kv[1]);
                    case "preempt" -> preempt = bool(kv);
                    case "inline" -> inline = bool(kv);
                    case "csdlock_debug" -> debug = bool(kv);
                    case "csd_lock_timeout" -> timeout = Long.valueOf(kv[1]);
                    case "panic_on_ipistall" -> panic = Long.valueOf(kv[1]);
                    default -> throw new IllegalArgumentException("unknown knob '" + kv[0] + "'");
                }
            }
            return new Knobs(cpus, preempt, inline, debug, timeout, panic);
        }

        private static boolean bool(String[] kv) {
            return switch (kv[1]) {
                case "0" -> false;
                case "1" -> true;
                default -> throw new IllegalArgumentException("knob " + kv[0] + " must be 0 or 1, not '" + kv[1] + "'");
            };
        }
    }

    public static RunSpec seeded(String model, String scenario, Knobs knobs, long seed) {
        return new RunSpec(model, scenario, knobs, seed, null);
    }

    public static RunSpec recorded(String model, String scenario, Knobs knobs, int[] choices) {
        return new RunSpec(model, scenario, knobs, 0, choices.clone());
    }

    public Config config() { return knobs.apply(Scenarios.get(scenario).config()); }

    public Chooser chooser() { return choices == null ? new RandomChooser(seed) : new ReplayChooser(choices); }

    public String id() {
        return model + ":" + scenario + ":" + knobs.format() + ":" + (choices == null ? "s" + seed : "z" + encode(choices));
    }

    /** Parses an id; the message of the exception names what is wrong. */
    public static RunSpec parse(String id) {
        String[] p = id.split(":", -1);
        if (p.length != 4) throw new IllegalArgumentException("run-id '" + id + "' is not model:scenario:knobs:run");
        if (!Models.exists(p[0])) Models.create(p[0]);        // throws with the list of models
        if (!Scenarios.exists(p[1])) Scenarios.get(p[1]);
        Knobs knobs = Knobs.parse(p[2]);
        String run = p[3];
        if (run.startsWith("s")) {
            try {
                return seeded(p[0], p[1], knobs, Long.parseLong(run.substring(1)));
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("run-id seed '" + run.substring(1) + "' is not a number");
            }
        }
        if (run.startsWith("z")) return recorded(p[0], p[1], knobs, decode(run.substring(1)));
        throw new IllegalArgumentException("run-id part '" + run + "' is neither s<seed> nor z<choices>");
    }

    /** Choices as unsigned varints, deflated, in URL-safe base64. */
    static String encode(int[] choices) {
        ByteArrayOutputStream raw = new ByteArrayOutputStream();
        for (int c : choices) {
            while ((c & ~0x7f) != 0) {
                raw.write((c & 0x7f) | 0x80);
                c >>>= 7;
            }
            raw.write(c);
        }
        Deflater d = new Deflater(Deflater.BEST_COMPRESSION);
        d.setInput(raw.toByteArray());
        d.finish();
        byte[] buf = new byte[raw.size() + 64];
        int n = d.deflate(buf);
        d.end();
        return Base64.getUrlEncoder().withoutPadding().encodeToString(java.util.Arrays.copyOf(buf, n));
    }

    static int[] decode(String s) {
        try {
            byte[] packed = Base64.getUrlDecoder().decode(s);
            Inflater inf = new Inflater();
            inf.setInput(packed);
            ByteArrayOutputStream raw = new ByteArrayOutputStream();
            byte[] buf = new byte[4096];
            while (!inf.finished()) {
                int n = inf.inflate(buf);
                if (n == 0 && (inf.needsInput() || inf.needsDictionary())) throw new DataFormatException("truncated");
                raw.write(buf, 0, n);
            }
            inf.end();
            byte[] b = raw.toByteArray();
            List<Integer> out = new ArrayList<>();
            for (int i = 0; i < b.length; ) {
                int v = 0, shift = 0;
                while (true) {
                    int x = b[i++] & 0xff;
                    v |= (x & 0x7f) << shift;
                    if ((x & 0x80) == 0) break;
                    shift += 7;
                }
                out.add(v);
            }
            return out.stream().mapToInt(Integer::intValue).toArray();
        } catch (IllegalArgumentException | DataFormatException | ArrayIndexOutOfBoundsException e) {
            throw new IllegalArgumentException("run-id choice string is corrupt");
        }
    }
}
