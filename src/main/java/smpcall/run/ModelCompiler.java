package smpcall.run;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.UnaryOperator;

import javax.lang.model.element.Element;
import javax.lang.model.element.ElementKind;
import javax.lang.model.element.ExecutableElement;
import javax.lang.model.element.Modifier;
import javax.lang.model.element.TypeElement;
import javax.lang.model.util.ElementFilter;
import javax.tools.Diagnostic;
import javax.tools.DiagnosticCollector;
import javax.tools.FileObject;
import javax.tools.ForwardingJavaFileManager;
import javax.tools.JavaCompiler;
import javax.tools.JavaFileObject;
import javax.tools.SimpleJavaFileObject;
import javax.tools.StandardJavaFileManager;
import javax.tools.ToolProvider;

import com.sun.source.tree.ClassTree;
import com.sun.source.tree.CompilationUnitTree;
import com.sun.source.tree.LineMap;
import com.sun.source.tree.Tree;
import com.sun.source.util.JavacTask;
import com.sun.source.util.SourcePositions;
import com.sun.source.util.Trees;

import smpcall.kernel.Mainline;

/**
 * Compiles model sources in memory with javax.tools against the running class path. Errors
 * come back as one line each, {@code SHOWN:LINE:COL: error: message}, with the renamed class
 * names mapped back to the user's.
 */
final class ModelCompiler {
    private ModelCompiler() {}

    /**
     * A source to compile: {@code shownAs} prefixes its diagnostics (e.g. "change.patch:
     * SeriesV9.java"), {@code fileName} is what stack traces show (e.g. SeriesV9.java).
     */
    record Source(String shownAs, String fileName, String text) {}

    /** A top-level class as javac saw it. */
    record TopLevel(String binaryName, Source source, long line, long column, boolean isMainline,
                    boolean isAbstract, boolean publicNoArgConstructor) {}

    record Output(Map<String, byte[]> classes, List<TopLevel> topLevel) {}

    /** How many compilations ran in this JVM (a cached load runs none). */
    static final AtomicInteger COMPILATIONS = new AtomicInteger();

    private static JavaCompiler javac() {
        JavaCompiler javac = ToolProvider.getSystemJavaCompiler();
        if (javac == null) throw new IllegalArgumentException("smpcall: --model FILE needs a JDK (javac), and this Java is a JRE");
        return javac;
    }

    static Output compile(List<Source> sources, UnaryOperator<String> unrename) {
        COMPILATIONS.incrementAndGet();
        JavaCompiler javac = javac();
        DiagnosticCollector<JavaFileObject> diagnostics = new DiagnosticCollector<>();
        Map<String, ByteArrayOutputStream> out = new TreeMap<>();
        Map<JavaFileObject, Source> files = new LinkedHashMap<>();
        for (int i = 0; i < sources.size(); i++) files.put(new InMemorySource(i, sources.get(i)), sources.get(i));
        List<String> options = List.of("-classpath", System.getProperty("java.class.path"), "-proc:none",
                "-implicit:none", "-g:source,lines", "-Xlint:none", "-nowarn", "-encoding", "UTF-8");
        try (StandardJavaFileManager std = javac.getStandardFileManager(diagnostics, Locale.ROOT, null);
             Memory fm = new Memory(std, out)) {
            JavacTask task = (JavacTask) javac.getTask(null, fm, diagnostics, options, null, files.keySet());
            List<TopLevel> top = new ArrayList<>();
            boolean ok = false;
            try {
                Iterable<? extends CompilationUnitTree> units = task.parse();
                Iterable<? extends Element> types = task.analyze();
                if (errors(diagnostics).isEmpty()) {
                    top = topLevel(task, units, types, files);
                    task.generate();
                    ok = errors(diagnostics).isEmpty();
                }
            } catch (IllegalStateException e) {
                // javac stops after errors in a phase; they are in the diagnostics
            }
            if (!ok) throw new IllegalArgumentException(format(errors(diagnostics), files, unrename));
            Map<String, byte[]> classes = new LinkedHashMap<>();
            out.forEach((name, bytes) -> classes.put(name, bytes.toByteArray()));
            return new Output(classes, top);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static List<Diagnostic<? extends JavaFileObject>> errors(DiagnosticCollector<JavaFileObject> d) {
        return d.getDiagnostics().stream().filter(x -> x.getKind() == Diagnostic.Kind.ERROR).toList();
    }

    private static String format(List<Diagnostic<? extends JavaFileObject>> errors, Map<JavaFileObject, Source> files,
                                 UnaryOperator<String> unrename) {
        if (errors.isEmpty()) return "smpcall: javac failed without a diagnostic";
        List<String> lines = new ArrayList<>();
        for (Diagnostic<? extends JavaFileObject> d : errors) {
            Source s = d.getSource() == null ? null : files.get(d.getSource());
            String where = s == null ? "javac" : s.shownAs()
                    + (d.getLineNumber() > 0 ? ":" + d.getLineNumber() + ":" + column(s.text(), d, unrename) : "");
            lines.add(where + ": error: " + oneLine(unrename.apply(d.getMessage(Locale.ROOT))));
        }
        return String.join("\n", lines);
    }

    /** The column as the user's text has it: renamed names before it on its line are longer than the user's. */
    private static long column(String text, Diagnostic<?> d, UnaryOperator<String> unrename) {
        int pos = (int) d.getPosition();
        if (pos < 0 || pos > text.length()) return d.getColumnNumber();
        int lineStart = text.lastIndexOf('\n', pos - 1) + 1;
        String before = unrename.apply(text.substring(lineStart, pos));
        int col = 0;
        for (int i = 0; i < before.length(); i++) col = before.charAt(i) == '\t' ? (col / 8 + 1) * 8 : col + 1;   // as javac counts
        return col + 1;
    }

    /** javac's message on one line: the first line, then the detail lines (symbol:, location:) in parentheses. */
    static String oneLine(String message) {
        String[] parts = message.strip().split("\\R");
        if (parts.length == 1) return parts[0];
        List<String> rest = new ArrayList<>();
        for (int i = 1; i < parts.length; i++) if (!parts[i].isBlank()) rest.add(parts[i].strip().replaceAll("\\s+", " "));
        return parts[0].strip() + (rest.isEmpty() ? "" : " (" + String.join("; ", rest) + ")");
    }

    private static List<TopLevel> topLevel(JavacTask task, Iterable<? extends CompilationUnitTree> units,
                                           Iterable<? extends Element> analyzed, Map<JavaFileObject, Source> files) {
        Trees trees = Trees.instance(task);
        SourcePositions pos = trees.getSourcePositions();
        TypeElement mainline = task.getElements().getTypeElement(Mainline.class.getName());
        List<TopLevel> top = new ArrayList<>();
        for (CompilationUnitTree unit : units) {
            LineMap lines = unit.getLineMap();
            for (Tree t : unit.getTypeDecls()) {
                if (!(t instanceof ClassTree ct)) continue;
                TypeElement e = (TypeElement) trees.getElement(trees.getPath(unit, ct));
                if (e == null) continue;
                long start = pos.getStartPosition(unit, ct);
                boolean isMainline = e.getKind() == ElementKind.CLASS
                        && task.getTypes().isSubtype(task.getTypes().erasure(e.asType()), task.getTypes().erasure(mainline.asType()));
                boolean publicNoArg = false;
                for (ExecutableElement c : ElementFilter.constructorsIn(e.getEnclosedElements()))
                    if (c.getParameters().isEmpty() && c.getModifiers().contains(Modifier.PUBLIC)) publicNoArg = true;
                top.add(new TopLevel(task.getElements().getBinaryName(e).toString(), files.get(unit.getSourceFile()),
                        lines.getLineNumber(start), lines.getColumnNumber(start), isMainline,
                        e.getModifiers().contains(Modifier.ABSTRACT), publicNoArg && e.getModifiers().contains(Modifier.PUBLIC)));
            }
        }
        return top;
    }

    /** What a source declares, from the parse alone. */
    record Outline(String packageName, List<String> topLevel) {}

    /** A member type of the top-level class: its name and source span [start, end). */
    record Span(String name, int start, int end, long line) {}

    static Outline outline(String text) {
        CompilationUnitTree unit = parse(text);
        List<String> names = new ArrayList<>();
        for (Tree t : unit.getTypeDecls()) if (t instanceof ClassTree ct) names.add(ct.getSimpleName().toString());
        return new Outline(unit.getPackageName() == null ? "" : unit.getPackageName().toString(), names);
    }

    /** The member types (nested classes, records, ...) of the first top-level class of {@code text}. */
    static List<Span> memberTypes(String text) {
        JavacTask task = parseTask(text);
        CompilationUnitTree unit = parse(task);
        SourcePositions pos = Trees.instance(task).getSourcePositions();
        List<Span> out = new ArrayList<>();
        for (Tree t : unit.getTypeDecls()) {
            if (!(t instanceof ClassTree top)) continue;
            for (Tree member : top.getMembers())
                if (member instanceof ClassTree ct) {
                    int start = (int) pos.getStartPosition(unit, ct);
                    out.add(new Span(ct.getSimpleName().toString(), start, (int) pos.getEndPosition(unit, ct),
                            unit.getLineMap().getLineNumber(start)));
                }
            break;
        }
        return out;
    }

    private static JavacTask parseTask(String text) {
        Source s = new Source("", "Model.java", text);
        return (JavacTask) javac().getTask(null, null, d -> { }, List.of("-proc:none"), null, List.of(new InMemorySource(0, s)));
    }

    private static CompilationUnitTree parse(String text) { return parse(parseTask(text)); }

    private static CompilationUnitTree parse(JavacTask task) {
        try {
            return task.parse().iterator().next();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** A source held in memory; any class name fits it, so a renamed class keeps its file name. */
    private static final class InMemorySource extends SimpleJavaFileObject {
        private final String text;

        InMemorySource(int index, Source s) {
            super(uri(index, s.fileName()), Kind.SOURCE);
            this.text = s.text();
        }

        private static URI uri(int index, String fileName) {
            try {
                return new URI("mem", null, "/src" + index + "/" + fileName, null);
            } catch (java.net.URISyntaxException e) {
                throw new IllegalArgumentException(e);
            }
        }

        @Override public boolean isNameCompatible(String simpleName, Kind kind) { return kind == Kind.SOURCE; }

        @Override public CharSequence getCharContent(boolean ignoreEncodingErrors) { return text; }
    }

    /** Keeps the class files javac writes in memory. */
    private static final class Memory extends ForwardingJavaFileManager<StandardJavaFileManager> {
        private final Map<String, ByteArrayOutputStream> out;

        Memory(StandardJavaFileManager std, Map<String, ByteArrayOutputStream> out) {
            super(std);
            this.out = out;
        }

        @Override
        public JavaFileObject getJavaFileForOutput(Location location, String className, JavaFileObject.Kind kind, FileObject sibling) {
            return new SimpleJavaFileObject(URI.create("mem:///out/" + className.replace('.', '/') + kind.extension), kind) {
                @Override
                public OutputStream openOutputStream() {
                    ByteArrayOutputStream b = new ByteArrayOutputStream();
                    out.put(className, b);
                    return b;
                }
            };
        }
    }
}
