package smpcall.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.StringWriter;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import smpcall.cli.Main;

/**
 * The HTML report as a person sees it: self-contained (nothing fetched from anywhere), and,
 * where Debian's chromium is installed, rendered in real headless Chromium, its DOM read back
 * and a screenshot taken ({@code scripts/render-report.sh} does the same by hand).
 */
class HtmlReportTest {
    static final Path CHROMIUM = Path.of("/usr/bin/chromium");

    private static int smpcall(String... args) {
        return Main.execute(args, new PrintWriter(new StringWriter(), true), new PrintWriter(new StringWriter(), true));
    }

    /** A counterexample's page: the timeline with its lanes, arrows and finding, the ftrace and log beside it, nothing external. */
    @Test
    void aCounterexamplePageIsSelfContainedAndShowsTheRun(@TempDir Path dir) throws Exception {
        assertEquals(1, smpcall("check", "--model", "v9-lock-nowait", "--scenario", "preempt-waiter", "--report", dir.toString()));
        String html = Files.readString(dir.resolve("index.html"));
        assertFalse(Pattern.compile("(src|href)=\"(https?:)?//").matcher(html).find(), "nothing is fetched");
        assertFalse(html.contains("<script"), "no script");
        assertTrue(html.contains("<svg") && html.contains("class=\"timeline\""), "the timeline");
        assertEquals(3, count(html, "<text class=\"cpu\""), "a lane per CPU");
        assertTrue(count(html, "class=\"flow\"") >= 1, "an IPI arrow");
        assertTrue(html.contains("<g class=\"finding\">"), "the finding");
        assertTrue(html.contains("<mark>"), "the ftrace lines at the finding are marked");
        assertTrue(html.contains("csd_lock() sets CSD_FLAG_LOCK with a plain store"), "the kernel log");
    }

    @Test
    void latencyAndTortureReportsToo(@TempDir Path dir) throws Exception {
        assertEquals(0, smpcall("latency", "--cpus", "4", "--duration", "20ms", "--report", dir.resolve("lat").toString()));
        String lat = Files.readString(dir.resolve("lat/index.html"));
        assertTrue(lat.contains("<svg") && lat.contains("Model figures under the cost model"), lat);
        assertEquals(1, smpcall("torture", "--model", "v9-lock-nowait", "--duration", "1ms", "holdoff=0", "--report", dir.resolve("tor").toString()));
        String tor = Files.readString(dir.resolve("tor/index.html"));
        assertTrue(tor.contains("scftorture: --- Start of test:") && tor.contains("run-id: torture:v9-lock-nowait"), tor);
    }

    /** In real Chromium: the page renders, its DOM holds the lanes and the finding, and a screenshot is taken. */
    @Test
    void chromiumRendersTheReport(@TempDir Path dir) throws Exception {
        assumeTrue(Files.isExecutable(CHROMIUM), "Debian's chromium is not installed (apt-get install chromium)");
        assertEquals(1, smpcall("check", "--model", "v9-lock-nowait", "--scenario", "preempt-waiter", "--report", dir.toString()));
        Path page = dir.resolve("index.html");
        String dom = chromium(dir, "--dump-dom", page.toUri().toString());
        assertTrue(dom.contains("<svg") && count(dom, "class=\"slice") > 3, "the rendered DOM holds the timeline's slices");
        assertTrue(dom.contains("smpcall check: v9-lock-nowait on preempt-waiter"), "the title");
        Path png = dir.resolve("shot.png");
        chromium(dir, "--screenshot=" + png, "--window-size=1400,1000", page.toUri().toString());
        byte[] b = Files.readAllBytes(png);
        assertTrue(b.length > 10_000 && b[1] == 'P' && b[2] == 'N' && b[3] == 'G', "a PNG screenshot");
    }

    private static String chromium(Path dir, String... args) throws Exception {
        List<String> cmd = new java.util.ArrayList<>(List.of(CHROMIUM.toString(), "--headless", "--no-sandbox", "--disable-gpu",
                "--hide-scrollbars", "--user-data-dir=" + dir.resolve("profile")));
        cmd.addAll(List.of(args));
        Process p = new ProcessBuilder(cmd).redirectError(ProcessBuilder.Redirect.DISCARD).start();
        String out = new String(p.getInputStream().readAllBytes());
        assertTrue(p.waitFor(60, TimeUnit.SECONDS), "chromium finished");
        return out;
    }

    private static int count(String s, String what) {
        Matcher m = Pattern.compile(Pattern.quote(what)).matcher(s);
        int n = 0;
        while (m.find()) n++;
        return n;
    }
}
