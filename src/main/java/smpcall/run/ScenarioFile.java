package smpcall.run;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CoderResult;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

import org.snakeyaml.engine.v2.api.LoadSettings;
import org.snakeyaml.engine.v2.api.lowlevel.Compose;
import org.snakeyaml.engine.v2.api.lowlevel.Parse;
import org.snakeyaml.engine.v2.events.Event;
import org.snakeyaml.engine.v2.exceptions.Mark;
import org.snakeyaml.engine.v2.exceptions.MarkedYamlEngineException;
import org.snakeyaml.engine.v2.exceptions.YamlEngineException;
import org.snakeyaml.engine.v2.nodes.Node;
import org.snakeyaml.engine.v2.schema.CoreSchema;


/**
 * Loads a scenario file (docs/scenarios.md). A file that is not a scenario, or does not fit
 * its own machine, gives an IllegalArgumentException with one line:
 * {@code file.yaml:12:5: tasks[1].cpu: CPU 5 does not exist on a 3-CPU machine}.
 */
public final class ScenarioFile {
    /** Larger than any scenario needs; larger files are refused before they are parsed. */
    public static final int MAX_BYTES = 1 << 20;
    /** Aliases of collections: enough to share a program between tasks, too few for a bomb. */
    static final int MAX_ALIASES = 32;

    private ScenarioFile() {}

    /** Reads and loads {@code path}; its path as given names it in errors. */
    public static FileScenario load(Path path) {
        String name = path.toString();
        byte[] bytes;
        try {
            if (Files.isDirectory(path)) throw new IllegalArgumentException(name + ":1:1: is a directory, not a scenario file");
            if (Files.size(path) > MAX_BYTES)
                throw new IllegalArgumentException(name + ":1:1: is larger than " + MAX_BYTES + " bytes: not a scenario file");
            bytes = Files.readAllBytes(path);
        } catch (NoSuchFileException e) {
            throw new IllegalArgumentException(name + ":1:1: no such file");
        } catch (IOException e) {
            throw new IllegalArgumentException(name + ":1:1: cannot read it (" + e.getClass().getSimpleName() + ")");
        }
        return parse(bytes, name, path);
    }

    /** Loads scenario text; {@code fileName} names it in errors and gives the default scenario name. */
    public static FileScenario parse(String text, String fileName) {
        return parse(text.getBytes(StandardCharsets.UTF_8), fileName, null);
    }

    /** Loads the bytes of a scenario file (UTF-8, an optional BOM). */
    public static FileScenario parse(byte[] bytes, String fileName) { return parse(bytes, fileName, null); }

    private static FileScenario parse(byte[] bytes, String fileName, Path path) {
        if (bytes.length > MAX_BYTES)
            throw new IllegalArgumentException(fileName + ":1:1: is larger than " + MAX_BYTES + " bytes: not a scenario file");
        String text = decode(bytes, fileName);
        String yaml = text.startsWith("\uFEFF") ? text.substring(1) : text;
        Node root = compose(yaml, fileName);
        if (root == null) throw new IllegalArgumentException(fileName + ":1:1: the file is empty (a scenario needs at least cpus: and tasks:)");
        Parsed p = ScenarioReader.read(Field.root(fileName, root), fileName);
        MachineCheck.check(p, p.config().nrCpus(), "");
        for (int i = 0; i < p.variants().size(); i++) {
            RunSpec.Knobs k = p.variants().get(i);
            if (k.cpus() != null) MachineCheck.check(p, k.cpus(), " (under variants[" + i + "], cpus: " + k.cpus() + ")");
        }
        return new FileScenario(p, sha256(bytes).substring(0, 12), path, text);
    }

    /** UTF-8, or an error at the line and column of the first malformed byte. */
    private static String decode(byte[] bytes, String fileName) {
        CharsetDecoder d = StandardCharsets.UTF_8.newDecoder()
                .onMalformedInput(CodingErrorAction.REPORT).onUnmappableCharacter(CodingErrorAction.REPORT);
        ByteBuffer in = ByteBuffer.wrap(bytes);
        CharBuffer out = CharBuffer.allocate(bytes.length + 1);
        CoderResult r = d.decode(in, out, true);
        if (!r.isError()) r = d.flush(out);
        out.flip();
        if (!r.isError()) return out.toString();
        int line = 1, col = 1;
        for (int i = 0; i < out.length(); i++) {
            char c = out.charAt(i);
            if (c == '\n') {
                line++;
                col = 1;
            } else if (!Character.isLowSurrogate(c)) {
                col++;
            }
        }
        throw new IllegalArgumentException(fileName + ":" + line + ":" + col + ": not UTF-8 text");
    }

    /** The document's node (null for an empty file), with positions; syntax errors as one line. */
    private static Node compose(String yaml, String fileName) {
        LoadSettings settings = LoadSettings.builder()
                .setLabel(fileName)
                .setUseMarks(true)
                .setAllowDuplicateKeys(false)
                .setAllowRecursiveKeys(false)
                .setMaxAliasesForCollections(MAX_ALIASES)
                .setCodePointLimit(MAX_BYTES)
                .setParseComments(false)
                .setSchema(new CoreSchema())        // YAML 1.2 core: true/false, 0x10, ~ (not JSON's narrower forms)
                .build();
        try {
            // The composer recurses once per level: look at the depth first, on the events.
            int depth = 0;
            for (Event e : new Parse(settings).parseString(yaml)) {
                switch (e.getEventId()) {
                    case SequenceStart, MappingStart -> {
                        if (++depth > Field.MAX_DEPTH) throw at(fileName, e.getStartMark().orElse(null), "nested more than " + Field.MAX_DEPTH + " levels deep");
                    }
                    case SequenceEnd, MappingEnd -> depth--;
                    default -> { }
                }
            }
            return new Compose(settings).composeString(yaml).orElse(null);
        } catch (MarkedYamlEngineException e) {
            Mark m = e.getProblemMark().or(e::getContextMark).orElse(null);
            String problem = e.getProblem() == null ? e.getClass().getSimpleName() : e.getProblem();
            String context = e.getContext() == null ? "" : e.getContext() + ": ";
            throw at(fileName, m, "YAML: " + context + problem);
        } catch (YamlEngineException e) {
            throw at(fileName, null, "YAML: " + e.getMessage());
        }
    }

    private static IllegalArgumentException at(String fileName, Mark m, String what) {
        return (m == null ? new Where(fileName, 1, 1, "") : new Where(fileName, m.getLine() + 1, m.getColumn() + 1, "")).error(what);
    }

    static String sha256(byte[] bytes) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);     // every JDK has SHA-256
        }
    }
}
