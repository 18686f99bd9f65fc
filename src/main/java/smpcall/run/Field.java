package smpcall.run;

import java.math.BigInteger;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.snakeyaml.engine.v2.exceptions.Mark;
import org.snakeyaml.engine.v2.nodes.MappingNode;
import org.snakeyaml.engine.v2.nodes.Node;
import org.snakeyaml.engine.v2.nodes.NodeTuple;
import org.snakeyaml.engine.v2.nodes.ScalarNode;
import org.snakeyaml.engine.v2.nodes.SequenceNode;
import org.snakeyaml.engine.v2.nodes.Tag;

/**
 * A YAML node at a field path of a scenario file, with typed reads that fail with the
 * one-line error of {@link Where}. Every read counts against a budget of nodes and a depth,
 * so that aliases cannot make the walk large or endless.
 */
final class Field {
    static final int MAX_DEPTH = 48;
    static final int MAX_NODES = 100_000;

    /** How many nodes one file's walk has read. */
    static final class Budget {
        int nodes;
    }

    private final String file;
    private final Node node;
    final String path;
    private final int depth;
    private final Budget budget;

    private Field(String file, Node node, String path, int depth, Budget budget) {
        this.file = file;
        this.node = node;
        this.path = path;
        this.depth = depth;
        this.budget = budget;
        if (depth > MAX_DEPTH) throw where().error("nested more than " + MAX_DEPTH + " levels deep");
        if (++budget.nodes > MAX_NODES) throw where().error("more than " + MAX_NODES + " nodes (aliases expanded)");
    }

    static Field root(String file, Node node) { return new Field(file, node, "", 0, new Budget()); }

    private Field child(Node n, String p) { return new Field(file, n, p, depth + 1, budget); }

    Where where() {
        Mark m = node.getStartMark().orElse(null);
        return m == null ? new Where(file, 1, 1, path) : new Where(file, m.getLine() + 1, m.getColumn() + 1, path);
    }

    IllegalArgumentException error(String what) { return where().error(what); }

    boolean isMapping() { return node instanceof MappingNode; }
    boolean isSequence() { return node instanceof SequenceNode; }
    boolean isNull() { return node instanceof ScalarNode s && s.getTag().equals(Tag.NULL); }

    private String kind() {
        if (node instanceof MappingNode) return "a mapping";
        if (node instanceof SequenceNode) return "a list";
        return isNull() ? "empty" : "'" + abbreviate(((ScalarNode) node).getValue()) + "'";
    }

    static String abbreviate(String s) {
        String one = s.replaceAll("[\\r\\n\\t]+", " ");
        return one.length() <= 40 ? one : one.substring(0, 37) + "...";
    }

    /**
     * The entries of a mapping in file order. A key not in {@code allowed}, a duplicate key
     * or a key that is not a plain string is an error.
     */
    Map<String, Field> map(List<String> allowed) {
        if (!(node instanceof MappingNode mapping)) throw error("must be a mapping, not " + kind());
        Map<String, Field> out = new LinkedHashMap<>();
        for (NodeTuple t : mapping.getValue()) {
            Field key = child(t.getKeyNode(), path);
            if (!(t.getKeyNode() instanceof ScalarNode k) || key.isNull())
                throw key.error("a key must be a name, not " + key.kind());
            String name = k.getValue();
            String p = path.isEmpty() ? name : path + "." + name;
            if (!allowed.contains(name))
                throw new Field(file, t.getKeyNode(), p, depth + 1, budget)
                        .error("unknown key '" + abbreviate(name) + "' (allowed here: " + String.join(", ", allowed) + ")");
            if (out.containsKey(name)) throw new Field(file, t.getKeyNode(), p, depth + 1, budget).error("duplicate key");
            out.put(name, child(t.getValueNode(), p));
        }
        return out;
    }

    /** The entries of a mapping whose keys are names the file chooses (checked by {@code name}). */
    Map<String, Field> namedEntries(Pattern name, String what) {
        if (!(node instanceof MappingNode mapping)) throw error("must be a mapping, not " + kind());
        Map<String, Field> out = new LinkedHashMap<>();
        for (NodeTuple t : mapping.getValue()) {
            Field key = child(t.getKeyNode(), path);
            String k = t.getKeyNode() instanceof ScalarNode s && !key.isNull() ? s.getValue() : null;
            if (k == null || !name.matcher(k).matches())
                throw key.error(what + " " + (k == null ? key.kind() : "'" + abbreviate(k) + "'") + " is not a C identifier (at most 31 characters)");
            String p = path.isEmpty() ? k : path + "." + k;
            if (out.containsKey(k)) throw new Field(file, t.getKeyNode(), p, depth + 1, budget).error("duplicate " + what + " '" + k + "'");
            out.put(k, child(t.getValueNode(), p));
        }
        return out;
    }

    /** The items of a list ({@code path[i]}). */
    List<Field> list() {
        if (!(node instanceof SequenceNode seq)) throw error("must be a list, not " + kind());
        List<Field> out = new ArrayList<>();
        for (Node n : seq.getValue()) out.add(child(n, path + "[" + out.size() + "]"));
        return out;
    }

    /** A scalar's text; empty and collections are errors. */
    String text() {
        if (!(node instanceof ScalarNode s)) throw error("must be a single value, not " + kind());
        if (isNull()) throw error("needs a value");
        return s.getValue();
    }

    /** A string matching {@code shape}, described by {@code what} in the error. */
    String text(Pattern shape, String what) {
        String s = text();
        if (!shape.matcher(s).matches()) throw error("'" + abbreviate(s) + "' is not " + what);
        return s;
    }

    private static final Pattern INT = Pattern.compile("[-+]?[0-9]+|0o[0-7]+|0x[0-9a-fA-F]+");

    /** An integer in {@code lo..hi}. */
    long integer(long lo, long hi) {
        String s = text();
        if (!INT.matcher(s).matches() || !((ScalarNode) node).getTag().equals(Tag.INT))
            throw error("'" + abbreviate(s) + "' is not a whole number");
        BigInteger v = s.startsWith("0x") ? new BigInteger(s.substring(2), 16)
                : s.startsWith("0o") ? new BigInteger(s.substring(2), 8) : new BigInteger(s.startsWith("+") ? s.substring(1) : s);
        if (v.compareTo(BigInteger.valueOf(lo)) < 0 || v.compareTo(BigInteger.valueOf(hi)) > 0)
            throw error(abbreviate(s) + " is out of range " + lo + ".." + hi);
        return v.longValueExact();
    }

    int integer(int lo, int hi) { return (int) integer((long) lo, (long) hi); }

    boolean bool() {
        String s = text();
        if (!((ScalarNode) node).getTag().equals(Tag.BOOL)) throw error("'" + abbreviate(s) + "' is not true or false");
        return s.equalsIgnoreCase("true");
    }

    private static final Pattern DURATION = Pattern.compile("([0-9]{1,19})\\s*(ns|us|ms|s)");
    static final long MAX_DURATION_NS = 3600L * 1_000_000_000L;

    /** A duration: a whole number of ns, or one with a unit ({@code 500ns 10us 2ms 1s}). */
    long duration() {
        String s = text();
        if (((ScalarNode) node).getTag().equals(Tag.INT)) return integer(0, MAX_DURATION_NS);
        Matcher m = DURATION.matcher(s);
        if (!m.matches()) throw error("'" + abbreviate(s) + "' is not a duration (a whole number of ns, or with a unit: 500ns, 10us, 2ms, 1s)");
        long unit = switch (m.group(2)) {
            case "ns" -> 1;
            case "us" -> 1_000;
            case "ms" -> 1_000_000;
            default -> 1_000_000_000;
        };
        BigInteger ns = new BigInteger(m.group(1)).multiply(BigInteger.valueOf(unit));
        if (ns.compareTo(BigInteger.valueOf(MAX_DURATION_NS)) > 0) throw error(abbreviate(s) + " is longer than 1 hour");
        return ns.longValueExact();
    }

    private static final Pattern CPU_RANGE = Pattern.compile("([0-9]{1,3})(?:-([0-9]{1,3}))?");

    /** A CPU list as the kernel writes one ({@code 0-2,5}; a single number too), as a mask. */
    long cpuList() {
        String s = text().strip();
        long bits = 0;
        for (String part : s.split(",", -1)) {
            Matcher m = CPU_RANGE.matcher(part.strip());
            if (!m.matches()) throw error("'" + abbreviate(s) + "' is not a CPU list (such as 0-2,5)");
            int a = Integer.parseInt(m.group(1)), b = m.group(2) == null ? a : Integer.parseInt(m.group(2));
            if (b < a) throw error("range " + part.strip() + " goes down");
            if (b > 63) throw error("CPU " + b + " is beyond the 64 CPUs a machine may have");
            for (int c = a; c <= b; c++) bits |= 1L << c;
        }
        return bits;
    }
}
