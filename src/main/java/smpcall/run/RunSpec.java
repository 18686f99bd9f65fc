package smpcall.run;

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
import smpcall.kernel.SmpParams;
import smpcall.machine.Config;
import smpcall.machine.RandomChooser;
import smpcall.machine.ReplayChooser;
import smpcall.machine.RunResult;

/**
 * Names one run: model, scenario, the knobs that differ from the scenario's configuration,
 * and either a seed (a random run) or the recorded moves (their tokens, {@link RunResult#moves}). Its id is what a run prints
 * and what {@code smpcall replay} takes:
 * {@code series-v9:preempt-waiter:-:s42} or {@code mainline:boot-task:preempt=0,inline=1:zeJzj...}.
 */
public record RunSpec(String model, String scenario, Knobs knobs, long seed, int[] moves, String check) {

    /**
     * Configuration knobs a user may override (kernel config and boot options, and the
     * machine's step budget), each null when not given.
     */
    public record Knobs(Integer cpus, Boolean preempt, Boolean inlineMask, Boolean csdlockDebug, Long csdLockTimeoutMs,
                        Long panicOnIpistallMs, Long maxSteps, Boolean debugPreempt) {
        public static final Knobs NONE = new Knobs(null, null, null, null, null, null, null, null);

        /** The largest csd_lock_timeout a run takes, in ms (an hour: the model's clock is in ns). */
        public static final long MAX_CSD_LOCK_TIMEOUT_MS = 3_600_000L;
        /** The largest step budget a run takes. */
        public static final long MAX_STEPS = 1_000_000_000L;

        public Knobs(Integer cpus, Boolean preempt, Boolean inlineMask, Boolean csdlockDebug, Long csdLockTimeoutMs) {
            this(cpus, preempt, inlineMask, csdlockDebug, csdLockTimeoutMs, null, null, null);
        }

        public Knobs(Integer cpus, Boolean preempt, Boolean inlineMask, Boolean csdlockDebug, Long csdLockTimeoutMs,
                     Long panicOnIpistallMs) {
            this(cpus, preempt, inlineMask, csdlockDebug, csdLockTimeoutMs, panicOnIpistallMs, null, null);
        }

        public Knobs {
            if (cpus != null && (cpus < 1 || cpus > 64))
                throw new IllegalArgumentException("cpus must be 1..64 CPUs, not " + cpus);
            if (csdLockTimeoutMs != null && (csdLockTimeoutMs < 0 || csdLockTimeoutMs > MAX_CSD_LOCK_TIMEOUT_MS))
                throw new IllegalArgumentException("csd_lock_timeout must be 0.." + MAX_CSD_LOCK_TIMEOUT_MS + " ms, not " + csdLockTimeoutMs);
            if (panicOnIpistallMs != null && (panicOnIpistallMs < 0 || panicOnIpistallMs > MAX_CSD_LOCK_TIMEOUT_MS))
                throw new IllegalArgumentException("panic_on_ipistall must be 0.." + MAX_CSD_LOCK_TIMEOUT_MS + " ms, not " + panicOnIpistallMs);
            if (maxSteps != null && (maxSteps < 1 || maxSteps > MAX_STEPS))
                throw new IllegalArgumentException("steps must be 1.." + MAX_STEPS + " steps, not " + maxSteps);
        }

        public Knobs withMaxSteps(long steps) {
            return new Knobs(cpus, preempt, inlineMask, csdlockDebug, csdLockTimeoutMs, panicOnIpistallMs, steps, debugPreempt);
        }

        /** CONFIG_DEBUG_PREEMPT on or off (null: the scenario's, on unless it says otherwise). */
        public Knobs withDebugPreempt(Boolean on) {
            return new Knobs(cpus, preempt, inlineMask, csdlockDebug, csdLockTimeoutMs, panicOnIpistallMs, maxSteps, on);
        }

        public Config apply(Config c) {
            if (cpus != null) c = c.withNrCpus(cpus);
            if (preempt != null) c = c.withPreemption(preempt);
            if (debugPreempt != null) c = c.withDebugPreempt(debugPreempt);
            if (inlineMask != null) c = SmpParams.withIpiMaskInline(c, inlineMask);
            if (csdlockDebug != null) c = SmpParams.withCsdlockDebug(c, csdlockDebug);
            if (csdLockTimeoutMs != null) c = SmpParams.withCsdLockTimeoutMs(c, csdLockTimeoutMs);
            if (panicOnIpistallMs != null) c = SmpParams.withPanicOnIpistallMs(c, panicOnIpistallMs);
            if (maxSteps != null) c = c.withMaxSteps(maxSteps);
            return c;
        }

        /** {@code cpus=4,preempt=0} in a fixed order, or {@code -} when nothing is overridden. */
        public String format() {
            Map<String, String> kv = new LinkedHashMap<>();
            if (cpus != null) kv.put("cpus", cpus.toString());
            if (preempt != null) kv.put("preempt", preempt ? "1" : "0");
            if (debugPreempt != null) kv.put("debug_preempt", debugPreempt ? "1" : "0");
            if (inlineMask != null) kv.put("inline", inlineMask ? "1" : "0");
            if (csdlockDebug != null) kv.put("csdlock_debug", csdlockDebug ? "1" : "0");
            if (csdLockTimeoutMs != null) kv.put("csd_lock_timeout", csdLockTimeoutMs.toString());
            if (panicOnIpistallMs != null) kv.put("panic_on_ipistall", panicOnIpistallMs.toString());
            if (maxSteps != null) kv.put("steps", maxSteps.toString());
            if (kv.isEmpty()) return "-";
            List<String> parts = new ArrayList<>();
            kv.forEach((k, v) -> parts.add(k + "=" + v));
            return String.join(",", parts);
        }

        /** Parses {@link #format()}'s form; the message names the knob that is wrong. */
        public static Knobs parse(String s) {
            if (s.equals("-")) return NONE;
            Map<String, String> kv = new LinkedHashMap<>();
            for (String part : s.split(",", -1)) {
                String[] p = part.split("=", 2);
                if (p.length != 2) throw new IllegalArgumentException("knob '" + part + "' is not key=value");
                if (kv.put(p[0], p[1]) != null) throw new IllegalArgumentException("knob " + p[0] + " is given twice");
            }
            Integer cpus = null;
            Boolean preempt = null, debugPreempt = null, inline = null, debug = null;
            Long timeout = null, panic = null, steps = null;
            for (var e : kv.entrySet()) {
                String k = e.getKey(), v = e.getValue();
                switch (k) {
                    case "cpus" -> cpus = (int) number(k, v, 1, 64);
                    case "preempt" -> preempt = bool(k, v);
                    case "debug_preempt" -> debugPreempt = bool(k, v);
                    case "inline" -> inline = bool(k, v);
                    case "csdlock_debug" -> debug = bool(k, v);
                    case "csd_lock_timeout" -> timeout = number(k, v, 0, MAX_CSD_LOCK_TIMEOUT_MS);
                    case "panic_on_ipistall" -> panic = number(k, v, 0, MAX_CSD_LOCK_TIMEOUT_MS);
                    case "steps" -> steps = number(k, v, 1, MAX_STEPS);
                    default -> throw new IllegalArgumentException("unknown knob '" + k
                            + "' (known: cpus, preempt, debug_preempt, inline, csdlock_debug, csd_lock_timeout, panic_on_ipistall, steps)");
                }
            }
            return new Knobs(cpus, preempt, inline, debug, timeout, panic, steps, debugPreempt);
        }

        private static long number(String knob, String v, long min, long max) {
            long n;
            try {
                n = Long.parseLong(v);
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("knob " + knob + "=" + v + " is not a number");
            }
            if (n < min || n > max) throw new IllegalArgumentException("knob " + knob + "=" + v + " is out of range " + min + ".." + max);
            return n;
        }

        private static boolean bool(String knob, String v) {
            return switch (v) {
                case "0" -> false;
                case "1" -> true;
                default -> throw new IllegalArgumentException("knob " + knob + " must be 0 or 1, not '" + v + "'");
            };
        }
    }

    public static RunSpec seeded(String model, String scenario, Knobs knobs, long seed) {
        return new RunSpec(model, scenario, knobs, seed, null, null);
    }

    /** A recorded run: {@code moves} are the tokens of its chosen moves ({@link RunResult#moves}). */
    public static RunSpec recorded(String model, String scenario, Knobs knobs, int[] moves) {
        return new RunSpec(model, scenario, knobs, 0, moves.clone(), null);
    }

    public Scenario resolveScenario() { return Scenarios.resolve(scenario); }

    public Config config() { return knobs.apply(resolveScenario().config()); }

    public Chooser chooser() { return moves == null ? new RandomChooser(seed) : new ReplayChooser(moves); }

    /** The run-id: {@code model:scenario:knobs:run}, the run part followed by its check when it has one. */
    public String id() {
        return base() + (check == null ? "" : "~" + check);
    }

    private String base() {
        return model + ":" + scenario + ":" + knobs.format() + ":" + (moves == null ? "s" + seed : "z" + encode(moves));
    }

    /**
     * This spec with the check of {@code r}, the run it made: 8 hex digits of a hash over the
     * id and every move the run made. Replay recomputes it, so an edited id (another seed,
     * knob or scenario) or a changed model that still happens to fit the moves is refused.
     */
    public RunSpec checked(RunResult r) {
        return new RunSpec(model, scenario, knobs, seed, moves, checkOf(r));
    }

    /** Null if {@code r} is the run this id names (or the id has no check), else why not. */
    public String mismatch(RunResult r) {
        if (check == null) return null;
        String actual = checkOf(r);
        return check.equals(actual) ? null
                : "the run-id's check ~" + check + " does not match the run it makes (~" + actual
                  + "): the id was edited, or the model or scenario changed";
    }

    private String checkOf(RunResult r) {
        try {
            java.security.MessageDigest md = java.security.MessageDigest.getInstance("SHA-256");
            md.update(base().getBytes(java.nio.charset.StandardCharsets.UTF_8));
            for (int t : r.moves()) {
                md.update((byte) (t >>> 24));
                md.update((byte) (t >>> 16));
                md.update((byte) (t >>> 8));
                md.update((byte) t);
            }
            return java.util.HexFormat.of().formatHex(md.digest(), 0, 4);
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);     // every JDK has SHA-256
        }
    }

    /** Parses an id; the message of the exception names the run-id and what is wrong. */
    public static RunSpec parse(String id) {
        try {
            return parseParts(id);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("run-id '" + abbreviate(id) + "': " + e.getMessage());
        }
    }

    private static String abbreviate(String id) {
        return id.length() <= 80 ? id : id.substring(0, 60) + "..." + id.substring(id.length() - 12);
    }

    private static RunSpec parseParts(String id) {
        String[] p = id.split(":", -1);
        if (p.length != 4) throw new IllegalArgumentException("not model:scenario:knobs:run");
        p[0] = Models.resolve(p[0]);          // a user's file is loaded, its hash checked
        Scenarios.resolve(p[1]);
        Knobs knobs = Knobs.parse(p[2]);
        String run = p[3], check = null;
        int tilde = run.indexOf('~');
        if (tilde >= 0) {
            check = run.substring(tilde + 1);
            run = run.substring(0, tilde);
            if (!check.matches("[0-9a-f]{8}")) throw new IllegalArgumentException("check '~" + check + "' is not 8 hex digits");
        }
        RunSpec spec = runPart(p, knobs, run);
        return new RunSpec(spec.model, spec.scenario, spec.knobs, spec.seed, spec.moves, check);
    }

    private static RunSpec runPart(String[] p, Knobs knobs, String run) {
        if (run.startsWith("s")) {
            try {
                return seeded(p[0], p[1], knobs, Long.parseLong(run.substring(1)));
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("seed '" + run.substring(1) + "' is not a number");
            }
        }
        if (run.startsWith("z")) return recorded(p[0], p[1], knobs, decode(run.substring(1)));
        throw new IllegalArgumentException("run part '" + run + "' is neither s<seed> nor z<moves>");
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
            throw new IllegalArgumentException("the recorded moves are corrupt");
        }
    }
}
