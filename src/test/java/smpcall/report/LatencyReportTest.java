package smpcall.report;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import javax.xml.parsers.DocumentBuilderFactory;

import org.HdrHistogram.Histogram;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.w3c.dom.Document;
import org.w3c.dom.NodeList;

import smpcall.lab.LabConfig;
import smpcall.lab.LabResult;
import smpcall.machine.Costs;

/** The lab's outputs from hand-built results whose statistics are known exactly. */
class LatencyReportTest {

    /** Values under 2048 ns are exact in a 3-digit HdrHistogram, so every figure below is exact. */
    private static Histogram hist(long... ns) {
        Histogram h = new Histogram(3);
        for (long v : ns) h.recordValue(v);
        return h;
    }

    private static final LabConfig CONFIG = new LabConfig(2, 10_000_000_000L, 1_000_000L, 1_000_000_000L, 7,
            100_000L, 200_000L, 5_000L, 1_000_000L, 10, Costs.DEFAULT);

    private static List<LabResult> results() {
        return List.of(
                new LabResult("mainline", new Histogram[] {hist(1000, 1500, 2000), hist()},
                        new long[] {4000, 1000, 3000, 2000}, 100, 5000, 10_000_000_000L, 123_456_789L),
                new LabResult("series-v9", new Histogram[] {hist(500, 1000), hist(700)},
                        new long[] {100}, 101, 5100, 10_000_000_000L, 23_456_789L),
                new LabResult("series-v9+csdlock_debug", new Histogram[] {hist(1900, 1800), hist()},
                        new long[] {}, 99, 4900, 10_000_000_000L, 3_456_789L));
    }

    @Test
    void rowsAreRtlaShaped() {
        String t = LatencyReport.table(results(), CONFIG);
        List<String> lines = t.lines().toList();
        assertEquals("model mainline: wakeup latency (us), timer expiry to task running", lines.get(0));
        assertEquals("CPU COUNT      |      min       avg       p50       p99     p99.9       max", lines.get(1));
        assertEquals("  0 #3         |    1.000     1.500     1.500     2.000     2.000     2.000", lines.get(2));
        assertEquals("  1 #0         |        -         -         -         -         -         -", lines.get(3));
        assertEquals("---------------|" + "-".repeat(59), lines.get(4));
        assertEquals("ALL #3      e0 |    1.000     1.500     1.500     2.000     2.000     2.000", lines.get(5));
        assertEquals("preempt-off max per window (CPU0): p50 2.000 us  p99 4.000 us  max 4.000 us"
                + "  (4 windows of 1 s)", lines.get(6));
        assertEquals("", lines.get(7));
        // Same column widths on every row, as rtla's fixed-width layout.
        assertEquals(lines.get(1).length(), lines.get(2).length());
        assertEquals(lines.get(1).length(), lines.get(3).length());
    }

    @Test
    void emptyWindowsAndRatios() {
        String t = LatencyReport.table(results(), CONFIG);
        assertTrue(t.contains("preempt-off max per window (CPU0): p50 -  p99 -  max -  (0 windows of 1 s)\n"), t);
        assertTrue(t.contains("p50 0.100 us  p99 0.100 us  max 0.100 us  (1 window of 1 s)\n"), t);
        assertTrue(t.endsWith("ratio vs mainline (CPU0 wakeup max): series-v9 0.50x, series-v9+csdlock_debug 0.95x\n"
                + "ratio vs mainline (CPU0 wakeup p99): series-v9 0.50x, series-v9+csdlock_debug 0.95x\n"), t);
    }

    @Test
    void ratioAgainstAnEmptyBaselineIsNotADivisionByZero() {
        List<LabResult> rs = List.of(
                new LabResult("mainline", new Histogram[] {hist()}, new long[0], 0, 0, 0, 0),
                new LabResult("series-v9", new Histogram[] {hist(1000)}, new long[0], 0, 0, 0, 0));
        String t = LatencyReport.table(rs, CONFIG);
        assertTrue(t.contains("ratio vs mainline (CPU0 wakeup max): series-v9 n/a\n"), t);
    }

    @Test
    void configurationNamesEveryFieldWithUnits() {
        String c = LatencyReport.configuration(CONFIG);
        assertTrue(c.startsWith("# smpcall latency lab\n# model figures under a cost model (virtual time), "
                + "not measurements of a real machine\n"), c);
        for (String want : List.of("cpus: 2 ", "duration: 10 s ", "interval: 1 ms ", "window: 1 s ", "seed: 7\n",
                "think: 100 us ", "irqoff-gap: 200 us ", "irqoff-short: 5 us ", "irqoff-long: 1 ms ",
                "capped at 20x = 20 ms", "irqoff-long-permille: 10 ", "cost.access: 2 ns ", "cost.atomic: 20 ns ",
                "cost.ipi-send: 300 ns ", "cost.ipi-latency: 1 us ", "cost.irq-entry: 400 ns\n",
                "cost.irq-exit: 300 ns\n", "cost.context-switch: 1.5 us\n", "cost.callback: 500 ns "))
            assertTrue(c.contains(want), want + " in\n" + c);
        for (String l : c.lines().toList()) assertTrue(l.startsWith("#") || l.matches("[a-z.-]+: .+"), l);
    }

    @Test
    void durationsAndMicroseconds() {
        assertEquals("2 ns", LatencyReport.dur(2));
        assertEquals("1.5 us", LatencyReport.dur(1500));
        assertEquals("1.234567 ms", LatencyReport.dur(1_234_567));
        assertEquals("16 ms", LatencyReport.dur(16_000_000));
        assertEquals("0.007", LatencyReport.us(7));
        assertEquals("16000.000", LatencyReport.us(16_000_000));
        assertEquals("0.98x", LatencyReport.times(0.98));
        assertEquals("12.35x", LatencyReport.times(12.345678));
        assertEquals("0.00x", LatencyReport.times(0));
        assertEquals("0.00014x", LatencyReport.times(2.641 / 19365.887));
    }

    @Test
    void jsonHasTheSchemaAndTheNumbers() {
        String j = LatencyReport.json(results(), CONFIG);
        assertTrue(j.startsWith("{\n  \"config\": {\"cpus\": 2, \"duration_ns\": 10000000000, \"interval_ns\": 1000000, "
                + "\"window_ns\": 1000000000, \"seed\": 7, \"think_ns\": 100000, \"irqoff_gap_ns\": 200000, "
                + "\"irqoff_short_ns\": 5000, \"irqoff_long_ns\": 1000000, \"irqoff_long_permille\": 10,\n"
                + "    \"costs\": {\"access_ns\": 2, \"atomic_ns\": 20, \"ipi_send_ns\": 300, \"ipi_latency_ns\": 1000, "
                + "\"irq_entry_ns\": 400, \"irq_exit_ns\": 300, \"context_switch_ns\": 1500, \"callback_ns\": 500}},\n"
                + "  \"models\": ["), j);
        // mainline: merged over CPUs = CPU0 (CPU1 is empty); per-CPU entries in order; empty histogram all zero.
        assertTrue(j.contains("{\"model\": \"mainline\",\n     \"wakeup\": {\"count\": 3, \"min_ns\": 1000, "
                + "\"avg_ns\": 1500, \"p50_ns\": 1500, \"p99_ns\": 2000, \"p999_ns\": 2000, \"max_ns\": 2000}"), j);
        assertTrue(j.contains("{\"cpu\": 1, \"count\": 0, \"min_ns\": 0, \"avg_ns\": 0, \"p50_ns\": 0, \"p99_ns\": 0, "
                + "\"p999_ns\": 0, \"max_ns\": 0}"), j);
        assertTrue(j.contains("\"preempt_off_window_max\": {\"p50_ns\": 2000, \"p99_ns\": 4000, \"max_ns\": 4000, "
                + "\"windows\": 4},\n     \"calls\": 100, \"steps\": 5000, \"simulated_ns\": 10000000000,\n"), j);
        // series-v9: merged over two CPUs, avg rounded to an integer ns.
        assertTrue(j.contains("\"wakeup\": {\"count\": 3, \"min_ns\": 500, \"avg_ns\": 733, \"p50_ns\": 700,"), j);
        assertTrue(j.contains("\"windows\": 0}"), j);
        assertEquals(3, count(j, "\"model\": "));
        assertEquals(6, count(j, "{\"cpu\": "));
        assertTrue(j.contains("\"wakeup_cpu0_buckets\": [{\"lo_ns\": 0, \"hi_ns\": 1259, \"count\": 1}, "), j);
        assertTrue(j.contains("\"wakeup_other_cpus_buckets\": []"), j);
        assertTrue(j.matches("(?s).*\n  \\],\n  \"ratios\": \\{\"baseline\": \"mainline\", \"cpu0_wakeup_max\": \\{\"series-v9\": [0-9.]+, "
                + "\"series-v9\\+csdlock_debug\": [0-9.]+\\}, \"cpu0_wakeup_p99\": \\{.*\\}\\}\n\\}\n"), j);
        assertBalanced(j);
    }

    @Test
    void jsonEscapesStrings() {
        assertEquals("\"a\\\"b\\\\c\\nd\\u0001\"", LatencyReport.quote("a\"b\\c\nd\u0001"));
        String j = LatencyReport.json(List.of(new LabResult("odd \"name\"", new Histogram[0], new long[0], 0, 0, 0, 0)),
                CONFIG);
        assertTrue(j.contains("{\"model\": \"odd \\\"name\\\"\",\n     \"wakeup\": {\"count\": 0,"), j);
        assertTrue(j.contains("\"wakeup_per_cpu\": [],"), j);
        assertBalanced(j);
        assertTrue(LatencyReport.json(List.of(), CONFIG).endsWith("\"models\": []\n}\n"), LatencyReport.json(List.of(), CONFIG));
    }

    /**
     * The plot reads at a glance: CPU0's panel and the other CPUs' below it, one line per model
     * in each with its own colour, dash and width (the first widest, so none hides another),
     * each model's p99 and max marked and in the legend, the configuration and the caveat on it.
     */
    @Test
    void svgIsWellFormedWithOneLinePerModelPerPanelAndALegend() throws Exception {
        String s = LatencyReport.svg(results(), CONFIG);
        DocumentBuilderFactory f = DocumentBuilderFactory.newInstance();
        f.setNamespaceAware(true);
        Document d = f.newDocumentBuilder().parse(new ByteArrayInputStream(s.getBytes(StandardCharsets.UTF_8)));
        assertEquals("svg", d.getDocumentElement().getLocalName());
        NodeList lines = d.getElementsByTagNameNS("http://www.w3.org/2000/svg", "polyline");
        assertEquals(6, lines.getLength());
        List<String> names = new ArrayList<>();
        List<String> looks = new ArrayList<>();
        List<Double> widths = new ArrayList<>();
        for (int i = 0; i < lines.getLength(); i++) {
            var e = (org.w3c.dom.Element) lines.item(i);
            if (!e.getAttribute("class").equals("model cpu0")) continue;
            names.add(e.getAttribute("data-model"));
            looks.add(e.getAttribute("stroke") + " " + e.getAttribute("stroke-dasharray"));
            widths.add(Double.parseDouble(e.getAttribute("stroke-width")));
        }
        assertEquals(List.of("mainline", "series-v9", "series-v9+csdlock_debug"), names);
        assertEquals(3, looks.stream().distinct().count(), "a colour and dash each");
        assertTrue(widths.get(0) > widths.get(1) && widths.get(1) > widths.get(2), "each drawn wider than the next: " + widths);
        List<String> legend = new ArrayList<>();
        List<String> marks = new ArrayList<>();
        NodeList texts = d.getElementsByTagNameNS("http://www.w3.org/2000/svg", "text");
        for (int i = 0; i < texts.getLength(); i++) {
            var e = (org.w3c.dom.Element) texts.item(i);
            if (e.getAttribute("class").equals("legend")) legend.add(e.getTextContent());
            if (e.getAttribute("class").equals("marks")) marks.add(e.getTextContent());
        }
        List<String> both = new ArrayList<>(names);
        both.addAll(names);
        assertEquals(both, legend, "a legend in each panel");
        assertTrue(marks.get(0).matches("p99 .+, max .+"), marks.toString());
        assertTrue(d.getElementsByTagNameNS("http://www.w3.org/2000/svg", "path").getLength() >= 3, "a max triangle per model with samples");
        assertTrue(s.contains(">CPU0 wakeup latency</text>"));
        assertTrue(s.contains("wakeup latency (merged)</text>"), "the other CPUs' panel");
        assertTrue(s.contains("wakeup latency on CPU0 (µs"));
        assertTrue(s.contains("count (log scale)"));
        assertTrue(s.contains("model figures under the cost model"), "the caveat");
        assertTrue(s.contains("<text class=\"config\""), "the configuration");
        assertFalse(s.contains(","  + "NaN") || s.contains("Infinity"), s);
    }

    @Test
    void svgEscapesNamesAndCopesWithNoSamples() throws Exception {
        String s = LatencyReport.svg(List.of(new LabResult("a<b&c", new Histogram[] {hist()}, new long[0], 0, 0, 0, 0)), CONFIG);
        Document d = DocumentBuilderFactory.newInstance().newDocumentBuilder()
                .parse(new ByteArrayInputStream(s.getBytes(StandardCharsets.UTF_8)));
        assertEquals("a<b&c", ((org.w3c.dom.Element) d.getElementsByTagName("polyline").item(0))
                .getAttribute("data-model"));
    }

    @Test
    void outputsAreDeterministic(@TempDir Path dir) throws Exception {
        LatencyReport.writeJson(results(), CONFIG, dir.resolve("a.json"));
        LatencyReport.writeJson(results(), CONFIG, dir.resolve("b.json"));
        LatencyReport.writeSvg(results(), CONFIG, dir.resolve("a.svg"));
        LatencyReport.writeSvg(results(), CONFIG, dir.resolve("b.svg"));
        assertArrayEquals(Files.readAllBytes(dir.resolve("a.json")), Files.readAllBytes(dir.resolve("b.json")));
        assertArrayEquals(Files.readAllBytes(dir.resolve("a.svg")), Files.readAllBytes(dir.resolve("b.svg")));
        assertEquals(LatencyReport.table(results(), CONFIG), LatencyReport.table(results(), CONFIG));
        assertEquals(LatencyReport.json(results(), CONFIG), Files.readString(dir.resolve("a.json")));
    }

    private static int count(String s, String what) {
        Matcher m = Pattern.compile(Pattern.quote(what)).matcher(s);
        int n = 0;
        while (m.find()) n++;
        return n;
    }

    /** A tiny structural check: brackets balance outside strings and strings are closed. */
    private static void assertBalanced(String j) {
        StringBuilder stack = new StringBuilder();
        boolean inString = false;
        for (int i = 0; i < j.length(); i++) {
            char c = j.charAt(i);
            if (inString) {
                if (c == '\\') i++;
                else if (c == '"') inString = false;
                else assertTrue(c >= 0x20, "control character in a string at " + i);
            } else if (c == '"') inString = true;
            else if (c == '{' || c == '[') stack.append(c);
            else if (c == '}' || c == ']') {
                assertTrue(stack.length() > 0, "unbalanced at " + i);
                char open = stack.charAt(stack.length() - 1);
                assertEquals(c == '}' ? '{' : '[', open, "mismatched at " + i);
                stack.setLength(stack.length() - 1);
            }
        }
        assertFalse(inString, "unclosed string");
        assertEquals(0, stack.length(), "unclosed brackets");
    }
}
