package smpcall.run;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import com.github.difflib.patch.AbstractDelta;
import com.github.difflib.patch.Chunk;
import com.github.difflib.patch.PatchFailedException;
import com.github.difflib.unifieddiff.UnifiedDiff;
import com.github.difflib.unifieddiff.UnifiedDiffFile;
import com.github.difflib.unifieddiff.UnifiedDiffReader;

/**
 * A unified diff (as {@code git diff}, {@code git format-patch} or {@code diff -u} write it)
 * against the shipped model sources, applied exactly: every hunk's old lines must be where
 * its header says, with no offset and no fuzz. java-diff-utils reads the diff and applies it;
 * this class names the files and the hunk that does not apply.
 */
final class ModelPatch {
    private ModelPatch() {}

    /**
     * The patched sources by file name (e.g. SeriesV9.java), in the order of the patch.
     * @param shown the patch as messages name it
     */
    static Map<String, String> apply(String shown, byte[] bytes) {
        String text = new String(bytes, StandardCharsets.UTF_8).replace("\r\n", "\n");
        UnifiedDiff diff;
        try {
            diff = UnifiedDiffReader.parseUnifiedDiff(new ByteArrayInputStream(text.getBytes(StandardCharsets.UTF_8)));
        } catch (IOException | RuntimeException e) {
            throw new IllegalArgumentException(shown + ": not a unified diff (" + e.getMessage() + ")");
        }
        if (diff.getFiles().isEmpty())
            throw new IllegalArgumentException(shown + ": no file changes in it (expected a unified diff, as git diff writes it)");
        List<int[]> headers = hunkHeaders(text);
        int hunk = 0;
        Map<String, String> patched = new LinkedHashMap<>();
        for (UnifiedDiffFile f : diff.getFiles()) {
            String name = modelFile(shown, f);
            if (patched.containsKey(name)) throw new IllegalArgumentException(shown + ": changes " + name + " twice");
            List<AbstractDelta<String>> deltas = f.getPatch().getDeltas();
            for (int h = 0; h < deltas.size(); h++, hunk++) {
                int[] counts = hunk < headers.size() ? headers.get(hunk) : null;
                AbstractDelta<String> d = deltas.get(h);
                if (counts == null || counts[0] != d.getSource().size() || counts[1] != d.getTarget().size())
                    throw new IllegalArgumentException(shown + ": hunk " + (h + 1) + " of " + name + " is cut short or garbled"
                            + (counts == null ? "" : " (its @@ line counts " + counts[0] + " old and " + counts[1] + " new lines, it has "
                            + d.getSource().size() + " and " + d.getTarget().size() + ")"));
            }
            patched.put(name, applyTo(shown, name, f));
        }
        if (hunk != headers.size())
            throw new IllegalArgumentException(shown + ": a hunk is cut short or garbled (" + headers.size() + " @@ lines, "
                    + hunk + " hunks read)");
        return patched;
    }

    private static final Pattern HUNK = Pattern.compile("^@@ -\\d+(?:,(\\d+))? \\+\\d+(?:,(\\d+))? @@", Pattern.MULTILINE);

    /** The old and new line counts of every hunk header ({@code @@ -a,b +c,d @@}), in order: the reader does not check them. */
    private static List<int[]> hunkHeaders(String text) {
        List<int[]> out = new ArrayList<>();
        Matcher m = HUNK.matcher(text);
        while (m.find()) out.add(new int[] {count(m.group(1)), count(m.group(2))});
        return out;
    }

    private static int count(String g) { return g == null ? 1 : Integer.parseInt(g); }

    /** The shipped model source a file diff names, by its path within smpcall/kernel/ or its bare name. */
    private static String modelFile(String shown, UnifiedDiffFile f) {
        String from = f.getFromFile(), to = f.getToFile();
        if (isDevNull(from) || isDevNull(to))
            throw new IllegalArgumentException(shown + ": " + (isDevNull(from) ? "creates " + to : "deletes " + from)
                    + "; a patch may only change the shipped model sources");
        String path = to != null ? to : from;
        int k = path.lastIndexOf("smpcall/kernel/");
        String name = k >= 0 ? path.substring(k + "smpcall/kernel/".length()) : path.substring(path.lastIndexOf('/') + 1);
        String cls = name.endsWith(".java") ? name.substring(0, name.length() - ".java".length()) : null;
        if (cls == null || cls.contains("/") || !ShippedSources.PATCHABLE.containsKey(cls))
            throw new IllegalArgumentException(shown + ": changes " + path + ", which is not a model class (a patch may change "
                    + String.join(", ", ShippedSources.PATCHABLE.keySet().stream().map(c -> c + ".java").toList()) + ")");
        return name;
    }

    private static boolean isDevNull(String path) { return path != null && path.equals("/dev/null"); }

    private static String applyTo(String shown, String name, UnifiedDiffFile f) {
        String original = ShippedSources.source(name);
        if (original == null) throw new IllegalStateException("the shipped source " + name + " is missing");
        boolean finalNewline = original.endsWith("\n");
        List<String> lines = new ArrayList<>(Arrays.asList((finalNewline ? original.substring(0, original.length() - 1) : original).split("\n", -1)));
        List<AbstractDelta<String>> deltas = f.getPatch().getDeltas();
        for (int h = 0; h < deltas.size(); h++) {
            Chunk<String> old = deltas.get(h).getSource();
            int at = mismatch(old, lines);
            if (at >= lines.size())
                throw new IllegalArgumentException(shown + ": hunk " + (h + 1) + " does not apply at " + name + ":" + (old.getPosition() + 1)
                        + " (" + name + " has " + lines.size() + " lines)");
            if (at >= 0) throw new IllegalArgumentException(shown + ": hunk " + (h + 1) + " does not apply at " + name + ":" + (at + 1));
        }
        List<String> out;
        try {
            out = f.getPatch().applyTo(lines);
        } catch (PatchFailedException e) {
            throw new IllegalArgumentException(shown + ": does not apply to " + name + " (" + e.getMessage() + ")");
        }
        return String.join("\n", out) + (finalNewline ? "\n" : "");
    }

    /** The first line (0-based) of {@code target} that the chunk's old lines do not match, or -1 if they all do. */
    private static int mismatch(Chunk<String> old, List<String> target) {
        int pos = old.getPosition();
        List<String> want = old.getLines();
        for (int i = 0; i < want.size(); i++)
            if (pos + i >= target.size() || !target.get(pos + i).equals(want.get(i))) return Math.min(pos + i, target.size());
        return -1;
    }
}
