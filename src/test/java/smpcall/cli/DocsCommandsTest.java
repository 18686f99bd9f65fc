package smpcall.cli;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;

import picocli.CommandLine;

/**
 * Every {@code ./smpcall} command in the README and the docs runs as written, in the order a
 * reader meets it: the files a page has the reader make (its patch, its class, a scenario
 * file written with {@code > mine.yaml}) are made in a scratch directory, and a
 * {@code <run-id>} is the run-id the page's previous command printed. A command ends with a
 * status other than bad input (2) or model error (4). The long ones (verify, the latency
 * lab, bench, and searches given minutes in the figures table) are only parsed here: their
 * options and values must be ones the command takes.
 */
class DocsCommandsTest {
    private static final Pattern COMMAND = Pattern.compile("^(?:SMPCALL_JAVA_OPTS=\\S+ )?\\./smpcall (.*)$");
    private static final Pattern TABLE = Pattern.compile("`(?:SMPCALL_JAVA_OPTS=\\S+ )?\\./smpcall ([^`]*)`");
    private static final Set<String> LONG = Set.of("verify", "latency", "bench");

    @TempDir Path dir;

    static List<String> pages() throws Exception {
        List<String> pages = new ArrayList<>(List.of("README.md"));
        try (var docs = Files.list(Path.of("docs"))) {
            docs.map(Path::toString).filter(p -> p.endsWith(".md")).sorted().forEach(pages::add);
        }
        return pages;
    }

    @ParameterizedTest
    @org.junit.jupiter.params.provider.MethodSource("pages")
    void everyCommandRunsAsWritten(String page) throws Exception {
        String text = Files.readString(Path.of(page));
        makeTheFilesThePageHasTheReaderMake(text);
        String lastRunId = null;
        int ran = 0;
        boolean inCode = false;
        for (String line : text.split("\n")) {
            if (line.startsWith("```")) {
                inCode = !inCode;
                continue;
            }
            List<String> commands = new ArrayList<>();
            Matcher m = COMMAND.matcher(line.strip());
            if (inCode && m.matches()) commands.add(m.group(1));
            else if (line.startsWith("|")) for (Matcher t = TABLE.matcher(line); t.find(); ) commands.add(t.group(1) + " #table");
            for (String c : commands) {
                String id = run(page, c, lastRunId);
                if (id != null) lastRunId = id;
                ran++;
            }
        }
        if (page.equals("README.md") || page.endsWith("user-models.md") || page.endsWith("scenarios.md"))
            assertTrue(ran >= 3, page + ": only " + ran + " commands found");
    }

    /** Runs (or parses) one command; returns the run-id it printed, if any. */
    private String run(String page, String command, String lastRunId) throws Exception {
        boolean table = command.endsWith(" #table");
        String c = command.replaceAll("\\s+#.*$", "").strip();
        if (c.contains("<")) {
            if (lastRunId == null) return null;             // a placeholder with no run before it on the page
            c = c.replaceAll("<[^>]*>", lastRunId);
        }
        String redirect = null;
        int gt = c.indexOf(" > ");
        if (gt >= 0) {
            redirect = c.substring(gt + 3).strip();
            c = c.substring(0, gt);
        }
        List<String> args = new ArrayList<>();
        for (String a : c.split("\\s+")) {
            boolean output = a.matches("[\\w.-]+\\.(yaml|patch|java|json|svg)")
                    || !args.isEmpty() && args.get(args.size() - 1).equals("--report");      // a report directory
            args.add(output ? dir.resolve(a).toString() : a);
        }
        String what = page + ": ./smpcall " + command;
        if (table || LONG.contains(args.get(0))) {
            new CommandLine(new Main()).parseArgs(args.toArray(String[]::new));     // throws if an option or value is not taken
            return null;
        }
        StringWriter out = new StringWriter(), err = new StringWriter();
        int status = Main.execute(args.toArray(String[]::new), new PrintWriter(out, true), new PrintWriter(err, true));
        assertFalse(status == 2 || status == 4, what + "\nstatus " + status + ": " + err);
        if (redirect != null) Files.writeString(dir.resolve(redirect), out.toString());
        Matcher id = Pattern.compile("(?m)^run-id: (\\S+)$").matcher(out.toString());
        return id.find() ? id.group(1) : null;
    }

    /** The patch (of docs/user-models.md) and the class (a {@code java} block) the page has the reader write. */
    private void makeTheFilesThePageHasTheReaderMake(String text) throws Exception {
        // the README's my-change.patch is the one docs/user-models.md writes
        Matcher diff = Pattern.compile("```diff\n(.*?)```", Pattern.DOTALL).matcher(Files.readString(Path.of("docs/user-models.md")));
        if (diff.find()) Files.writeString(dir.resolve("my-change.patch"), diff.group(1));
        Matcher java = Pattern.compile("```java\n(.*?)```", Pattern.DOTALL).matcher(text);
        while (java.find()) {
            Matcher cls = Pattern.compile("public class (\\w+)").matcher(java.group(1));
            if (cls.find()) Files.writeString(dir.resolve(cls.group(1) + ".java"), java.group(1));
        }
    }
}
