package smpcall.report;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;

import smpcall.check.VerifySuite;
import smpcall.kernel.Property;

/**
 * The matrix {@code verify} prints: a row per scenario variant, a column per model, each
 * entry {@code verified}, {@code OK} (no violation, not exhaustive), {@code caught P..}
 * (the expected violations) or {@code FOUND P..}, with its executions, states and seconds;
 * then the run-ids of the unexpected findings. A row or entry not finished (Ctrl-C) says so.
 */
public final class VerifyMatrix {
    private VerifyMatrix() {}

    public static String text(List<VerifySuite.Row> rows, List<String> models, List<VerifySuite.Entry> entries) {
        StringBuilder out = new StringBuilder();
        out.append(String.format(Locale.ROOT, "%-34s", "scenario"));
        for (String m : models) out.append(String.format(Locale.ROOT, "  %-46s", m));
        out.append("  expected\n");
        List<String> ids = new ArrayList<>();
        for (VerifySuite.Row r : rows) {
            List<VerifySuite.Entry> row = entries.stream().filter(e -> e.row().name().equals(r.name())).toList();
            if (row.isEmpty()) continue;
            out.append(String.format(Locale.ROOT, "%-34s", r.name()));
            for (String model : models) {
                VerifySuite.Entry e = row.stream().filter(x -> x.model().equals(model)).findFirst().orElse(null);
                out.append(String.format(Locale.ROOT, "  %-46s", e == null ? "(not finished)" : entry(e)));
                if (e != null && e.firstId() != null) ids.add(e.model() + " " + r.name() + ": " + e.firstId());
            }
            Set<Property> expected = r.scenario().expectedViolations();
            out.append("  ").append(expected.isEmpty() ? "OK" : join(expected)).append('\n');
        }
        if (!ids.isEmpty()) {
            out.append("\nunexpected findings (replay with 'smpcall replay <run-id>'):\n");
            for (String id : ids) out.append("  ").append(id).append('\n');
        }
        return out.toString();
    }

    private static String entry(VerifySuite.Entry e) {
        String text = e.found().isEmpty() ? (e.exhaustive() ? "verified" : "OK")
                : (e.asExpected() ? "caught " : "FOUND ") + join(e.found());
        String states = e.states() > 0 ? " " + count(e.states()) + " states" : "";
        return text + " " + count(e.executions()) + " executions" + states + " " + String.format(Locale.ROOT, "%.1fs", e.seconds());
    }

    /** 812, 79k, 1.2M: executions, short. */
    static String count(long n) {
        if (n < 10_000) return Long.toString(n);
        if (n < 10_000_000) return (n / 1000) + "k";
        return String.format(Locale.ROOT, "%.1fM", n / 1e6);
    }

    private static String join(Set<Property> ps) {
        return String.join(",", ps.stream().sorted().map(Enum::name).toList());
    }
}
