package smpcall.run;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A patched Mainline must still be a {@code Mainline} (the machine, the scenarios and the
 * checker take one), so its renamed copy extends the shipped class: every method of the copy
 * overrides the shipped one and every field shadows it. The nested types (CsdWait, Queued)
 * appear in the signatures the subclasses override, so the copy inherits them instead of
 * declaring its own: a nested type the patch leaves alone is blanked out of the copy (lines
 * stay where they are), and a patch that changes one is refused.
 */
final class MainlineCopy {
    private MainlineCopy() {}

    static String asSubclass(String shown, String renamed, Map<String, String> renames) {
        String copy = renames.get("Mainline");
        Map<String, String> original = new HashMap<>();
        String shipped = Renamer.rename(ShippedSources.source("Mainline.java"), renames);
        for (ModelCompiler.Span s : ModelCompiler.memberTypes(shipped))
            original.put(s.name(), shipped.substring(s.start(), s.end()));
        StringBuilder out = new StringBuilder(renamed);
        List<ModelCompiler.Span> spans = ModelCompiler.memberTypes(renamed);
        for (int i = spans.size() - 1; i >= 0; i--) {
            ModelCompiler.Span s = spans.get(i);
            String was = original.get(s.name());
            if (was == null) continue;          // a new nested type: the copy's own
            if (!was.equals(renamed.substring(s.start(), s.end())))
                throw new IllegalArgumentException(shown + ": Mainline.java:" + s.line() + ": the patch changes the nested type "
                        + s.name() + ", which the subclasses share; a patch may change Mainline's methods and fields only");
            for (int k = s.start(); k < s.end(); k++) if (out.charAt(k) != '\n') out.setCharAt(k, ' ');
        }
        Matcher m = Pattern.compile("\\bclass\\s+" + Pattern.quote(copy) + "\\b").matcher(out);
        if (!m.find()) throw new IllegalArgumentException(shown + ": Mainline.java: the patch removes the class Mainline");
        out.insert(m.end(), " extends Mainline");
        return out.toString();
    }
}
