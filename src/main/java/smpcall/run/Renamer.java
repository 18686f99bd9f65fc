package smpcall.run;

import java.util.Map;

/**
 * Renames identifiers in Java source text: every identifier token equal to a key of the map
 * becomes its value; comments, string, character and text-block literals are left alone.
 * Line and column of everything before a renamed token stay; a line keeps its number.
 */
final class Renamer {
    private Renamer() {}

    static String rename(String src, Map<String, String> names) {
        StringBuilder out = new StringBuilder(src.length() + 64);
        int n = src.length();
        int i = 0;
        while (i < n) {
            char c = src.charAt(i);
            int end;
            if (c == '/' && i + 1 < n && src.charAt(i + 1) == '/') {
                end = src.indexOf('\n', i);
                if (end < 0) end = n;
            } else if (c == '/' && i + 1 < n && src.charAt(i + 1) == '*') {
                end = src.indexOf("*/", i + 2);
                end = end < 0 ? n : end + 2;
            } else if (src.startsWith("\"\"\"", i)) {
                end = closing(src, i + 3, "\"\"\"");
            } else if (c == '"' || c == '\'') {
                end = closing(src, i + 1, String.valueOf(c));
            } else if (Character.isJavaIdentifierStart(c)) {
                end = i + 1;
                while (end < n && Character.isJavaIdentifierPart(src.charAt(end))) end++;
                String id = src.substring(i, end);
                out.append(names.getOrDefault(id, id));
                i = end;
                continue;
            } else if (Character.isDigit(c)) {
                end = i + 1;     // a literal such as 0x1L: not an identifier
                while (end < n && Character.isJavaIdentifierPart(src.charAt(end))) end++;
            } else {
                end = i + 1;
            }
            out.append(src, i, end);
            i = end;
        }
        return out.toString();
    }

    /** The index after the {@code quote} that closes a literal whose body starts at {@code from} (backslash escapes). */
    private static int closing(String src, int from, String quote) {
        int i = from;
        while (i < src.length()) {
            char c = src.charAt(i);
            if (c == '\\') {
                i += 2;
            } else if (src.startsWith(quote, i)) {
                return i + quote.length();
            } else if (c == '\n' && quote.length() == 1) {
                return i;       // an unterminated literal: javac will say so
            } else {
                i++;
            }
        }
        return src.length();
    }
}
