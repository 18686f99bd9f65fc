package smpcall.report;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * Checks a trace-event JSON text against the trace-event format as Perfetto's importer reads
 * it (FORMATS §B): the required fields of each phase, pid and tid >= 1, X slices with a
 * non-negative dur, timestamps that do not go back within a lane, slices on a lane that nest
 * (none partially overlaps another), flows whose start and end lie inside a slice of their
 * lane and pair up by id, a name for every process and thread used. Returns the problems.
 */
final class TraceEventFormat {
    private TraceEventFormat() {}

    record X(long ts, long end, String name) {}

    static List<String> problems(String json) throws Exception {
        List<String> out = new ArrayList<>();
        JsonNode root = new ObjectMapper().readTree(json);
        if (!json.startsWith("{\"")) out.add("does not start with {\" (Perfetto would not sniff it as JSON)");
        JsonNode events = root.get("traceEvents");
        if (events == null || !events.isArray() || events.isEmpty()) return List.of("no traceEvents array");
        Map<String, List<X>> lanes = new HashMap<>();
        Map<String, Long> lastTs = new HashMap<>();
        Set<Integer> namedPids = new HashSet<>(), usedPids = new HashSet<>();
        Set<String> namedTids = new HashSet<>(), usedTids = new HashSet<>();
        List<JsonNode> flows = new ArrayList<>();
        int i = 0;
        for (JsonNode e : events) {
            String at = "event " + i++ + " " + e;
            String ph = e.path("ph").asText("");
            if (ph.isEmpty()) { out.add(at + ": no ph"); continue; }
            if (!e.has("pid") || e.get("pid").asInt() < 1) out.add(at + ": pid missing or < 1");
            int pid = e.path("pid").asInt();
            if (ph.equals("M")) {
                String name = e.path("name").asText();
                switch (name) {
                    case "process_name" -> { namedPids.add(pid); need(out, at, e.path("args"), "name"); }
                    case "thread_name" -> { namedTids.add(pid + "/" + e.path("tid").asInt()); need(out, at, e.path("args"), "name"); }
                    case "process_sort_index", "thread_sort_index" -> need(out, at, e.path("args"), "sort_index");
                    default -> out.add(at + ": metadata " + name + " is ignored by Perfetto");
                }
                continue;
            }
            if (!e.has("tid") || e.get("tid").asInt() < 1) out.add(at + ": tid missing or < 1");
            if (!e.has("ts") || !e.get("ts").isNumber()) { out.add(at + ": no numeric ts"); continue; }
            if (!e.has("name") || e.get("name").asText().isEmpty()) out.add(at + ": no name");
            long ts = ns(e.get("ts"));
            String lane = pid + "/" + e.path("tid").asInt();
            usedPids.add(pid);
            usedTids.add(lane);
            switch (ph) {
                case "X" -> {
                    if (!e.has("dur") || !e.get("dur").isNumber()) { out.add(at + ": X without dur"); continue; }
                    long dur = ns(e.get("dur"));
                    if (dur < 0) out.add(at + ": negative dur");
                    Long last = lastTs.put(lane, ts);
                    if (last != null && ts < last) out.add(at + ": ts goes back on lane " + lane);
                    lanes.computeIfAbsent(lane, k -> new ArrayList<>()).add(new X(ts, ts + dur, e.get("name").asText()));
                }
                case "i", "I" -> {
                    String s = e.path("s").asText("t");
                    if (!Set.of("t", "p", "g").contains(s)) out.add(at + ": instant scope " + s);
                }
                case "s", "f", "t" -> {
                    if (!e.has("id")) out.add(at + ": flow without id");
                    flows.add(e);
                }
                default -> out.add(at + ": phase " + ph + " is not one smpcall writes");
            }
        }
        for (var l : lanes.entrySet()) nesting(out, l.getKey(), l.getValue());
        Map<String, Integer> starts = new HashMap<>(), ends = new HashMap<>();
        for (JsonNode f : flows) {
            String lane = f.path("pid").asInt() + "/" + f.path("tid").asInt();
            long ts = ns(f.get("ts"));
            String id = f.path("id").asText();
            String ph = f.path("ph").asText();
            if (ph.equals("f") && !f.path("bp").asText().equals("e")) out.add("flow " + id + ": f without bp=e binds to the next slice");
            boolean inside = lanes.getOrDefault(lane, List.of()).stream().anyMatch(x -> x.ts() <= ts && ts < x.end());
            if (!inside) out.add("flow " + id + " " + ph + " at " + ts + " ns on " + lane + ": no slice encloses it");
            (ph.equals("s") ? starts : ends).merge(id, 1, Integer::sum);
        }
        for (var s : starts.entrySet()) {
            if (s.getValue() != 1) out.add("flow id " + s.getKey() + " starts " + s.getValue() + " times");
            if (!ends.containsKey(s.getKey())) out.add("flow id " + s.getKey() + " has no end");
        }
        for (String id : ends.keySet()) if (!starts.containsKey(id)) out.add("flow id " + id + " ends without a start");
        for (int p : usedPids) if (!namedPids.contains(p)) out.add("pid " + p + " has no process_name");
        for (String t : usedTids) if (!namedTids.contains(t)) out.add("thread " + t + " has no thread_name");
        return out;
    }

    /** Slices of one lane, in the order a viewer nests them (start, longest first), form a tree. */
    private static void nesting(List<String> out, String lane, List<X> xs) {
        List<X> sorted = new ArrayList<>(xs);
        sorted.sort(Comparator.comparingLong(X::ts).thenComparing(Comparator.comparingLong((X x) -> x.end() - x.ts()).reversed()));
        List<X> stack = new ArrayList<>();
        for (X x : sorted) {
            while (!stack.isEmpty() && stack.get(stack.size() - 1).end() <= x.ts()) stack.remove(stack.size() - 1);
            if (!stack.isEmpty() && x.end() > stack.get(stack.size() - 1).end())
                out.add("lane " + lane + ": " + x + " partially overlaps " + stack.get(stack.size() - 1));
            stack.add(x);
        }
    }

    private static void need(List<String> out, String at, JsonNode args, String key) {
        if (!args.has(key)) out.add(at + ": args." + key + " missing");
    }

    /** Microseconds (a JSON number) to nanoseconds, as Perfetto rounds them. */
    static long ns(JsonNode us) {
        return Math.round(us.decimalValue().doubleValue() * 1000);
    }
}
