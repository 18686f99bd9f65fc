package smpcall.run;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import com.github.difflib.DiffUtils;
import com.github.difflib.UnifiedDiffUtils;

/**
 * User models for the tests, written the way a user would: patches against the shipped model
 * sources (made here from the current sources, in the forms git writes), and classes.
 */
final class Variants {
    private Variants() {}

    /** series-v9 with put_cpu() moved before the queueing loop: the shipped v9-put-before-queue, as three changed lines. */
    static String putBeforeQueue() {
        String s = ShippedSources.source("SeriesV9.java");
        s = replaceOnce(s, "        boolean runRemote = false;\n\n        int thisCpu = m.getCpu();",
                "        boolean runRemote = false, unpinned = false;\n\n        int thisCpu = m.getCpu();");
        s = replaceOnce(s, "            ghost.scratchBegin(ipi);\n            Queued q",
                "            ghost.scratchBegin(ipi);\n            m.putCpu(); unpinned = true;     // my change: unpin before the queueing\n            Queued q");
        s = replaceOnce(s, "        m.putCpu();\n\n        if (runRemote && wait)", "        if (!unpinned) m.putCpu();\n\n        if (runRemote && wait)");
        return s;
    }

    static String replaceOnce(String s, String from, String to) {
        int i = s.indexOf(from);
        if (i < 0 || s.indexOf(from, i + 1) >= 0) throw new IllegalStateException("not exactly once: " + from);
        return s.substring(0, i) + to + s.substring(i + from.length());
    }

    /** The hunks of a unified diff of {@code file} from the shipped source to {@code changed}, with the given path labels. */
    static List<String> hunks(String file, String changed, String from, String to) {
        List<String> a = lines(ShippedSources.source(file));
        List<String> b = lines(changed);
        return UnifiedDiffUtils.generateUnifiedDiff(from, to, a, DiffUtils.diff(a, b), 3);
    }

    private static List<String> lines(String s) {
        return new ArrayList<>(Arrays.asList(s.substring(0, s.length() - 1).split("\n", -1)));
    }

    /** {@code git diff} output for changes to shipped model files (pairs: file name, changed text). */
    static String gitDiff(String... fileAndText) {
        StringBuilder b = new StringBuilder();
        for (int i = 0; i < fileAndText.length; i += 2) {
            String path = "src/main/java/smpcall/kernel/" + fileAndText[i];
            b.append("diff --git a/").append(path).append(" b/").append(path).append('\n');
            b.append("index 1234567..89abcde 100644\n");
            for (String line : hunks(fileAndText[i], fileAndText[i + 1], "a/" + path, "b/" + path)) b.append(line).append('\n');
        }
        return b.toString();
    }

    /** {@code git format-patch} output: the mail header, the diffstat after "---", the diff, the signature. */
    static String formatPatch(String subject, String... fileAndText) {
        return "From 0123456789abcdef0123456789abcdef01234567 Mon Sep 17 00:00:00 2001\n"
                + "From: A Developer <dev@example.org>\n"
                + "Date: Tue, 1 Dec 2026 21:37:37 +0000\n"
                + "Subject: [PATCH] " + subject + "\n"
                + "\n"
                + "Why the change is safe, in the commit message.\n"
                + "---\n"
                + " src/main/java/smpcall/kernel/" + fileAndText[0] + " | 5 +++--\n"
                + " 1 file changed, 3 insertions(+), 2 deletions(-)\n"
                + "\n"
                + gitDiff(fileAndText)
                + "-- \n"
                + "2.39.5\n"
                + "\n";
    }

    /** {@code diff -u} of two bare files: no a/ and b/ prefixes, no git header. */
    static String plainDiff(String file, String changed) {
        StringBuilder b = new StringBuilder();
        for (String line : hunks(file, changed, file + ".orig", file)) b.append(line).append('\n');
        return b.toString();
    }

    /** A test resource under usermodels/. */
    static String resource(String name) {
        try (InputStream in = Variants.class.getResourceAsStream("/usermodels/" + name)) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static Path write(Path dir, String name, String text) {
        try {
            Path p = dir.resolve(name);
            Files.createDirectories(p.getParent());
            Files.writeString(p, text);
            return p;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
