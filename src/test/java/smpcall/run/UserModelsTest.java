package smpcall.run;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import smpcall.kernel.Mainline;
import smpcall.kernel.Property;
import smpcall.machine.RunResult;

class UserModelsTest {
    @TempDir static Path cache;
    @TempDir Path dir;

    private static String sharedCache;

    @BeforeAll
    static void privateCache() {
        sharedCache = System.getProperty("smpcall.cache");
        System.setProperty("smpcall.cache", cache.toString());
    }

    @AfterAll
    static void sharedCacheAgain() {
        if (sharedCache == null) System.clearProperty("smpcall.cache");
        else System.setProperty("smpcall.cache", sharedCache);
    }

    /** The pinned counterexamples of the shipped v9-put-before-queue (MutantTest), P4 and P3. */
    private static final String SAME_CPU = "v9-put-before-queue:same-cpu-callers:-:zeNpjaGLp5gABBiCAMMBMCA_KYgAAMKEBgg~01559b9b";
    private static final String HOTPLUG = "v9-put-before-queue:hotplug-target:-:zeNoViDEOACAQwhgcGuPAu_XT9gg0pBBsjGCLznknTTu2VCU8I2VyF8z4T5QDRg~eb30878d";

    /** Replays a shipped model's run id on {@code model} instead, up to the first finding. */
    private static RunResult replayOn(UserModel model, String runId) {
        RunSpec spec = RunSpec.parse(runId);
        return Driver.run(model.factory(), Scenarios.get(spec.scenario()), spec.config(), spec.chooser(), true, true);
    }

    /** The shipped model on the run-id's moves, to its first finding (as {@link #replayOn}). */
    private static RunResult replay(String runId) {
        RunSpec spec = RunSpec.parse(runId);
        return Driver.run(spec.model(), Scenarios.get(spec.scenario()), spec.config(), spec.chooser(), true, true);
    }

    /** The user model does what the shipped mutant does: the same trace up to the same first finding on its counterexamples. */
    private static void behavesLikePutBeforeQueue(UserModel m) {
        for (String runId : new String[] {SAME_CPU, HOTPLUG}) {
            RunResult mine = replayOn(m, runId), shipped = replay(runId);
            assertEquals(1, shipped.findings().size());
            assertEquals(shipped.findings().toString(), mine.findings().toString());
            assertEquals(shipped.trace(), mine.trace());
        }
        // series-v9 does not break P8 on the same choices (its replay diverges where the models differ)
        assertTrue(replay(SAME_CPU.replace("v9-put-before-queue", "series-v9")).findings().stream().noneMatch(f -> f.property() == Property.P8));
    }

    @Test
    void aFormatPatchToSeriesV9IsCaughtLikeTheShippedMutant() {
        Path p = Variants.write(dir, "put-early.patch", Variants.formatPatch("smp: put_cpu() before the queueing",
                "SeriesV9.java", Variants.putBeforeQueue()));
        UserModel m = UserModels.load(p);
        assertEquals("series-v9", m.base());
        assertEquals(p, m.file());
        assertTrue(m.hash().matches("[0-9a-f]{12}"), m.hash());
        behavesLikePutBeforeQueue(m);
        Mainline a = m.factory().get(), b = m.factory().get();
        assertNotEquals(a, b);
        assertEquals("smpcall.kernel.SeriesV9$u", a.getClass().getName().substring(0, "smpcall.kernel.SeriesV9$u".length()));
        assertEquals("series-v9", a.name());
    }

    @Test
    void gitDiffAndPlainDiffFormsLoadTheSameModel() {
        for (String text : new String[] {Variants.gitDiff("SeriesV9.java", Variants.putBeforeQueue()),
                Variants.plainDiff("SeriesV9.java", Variants.putBeforeQueue())}) {
            UserModel m = UserModels.load(Variants.write(dir, "change" + text.length() + ".diff", text));
            behavesLikePutBeforeQueue(m);
        }
    }

    @Test
    void theSameVariantAsAClassInTheKernelPackage() {
        UserModel m = UserModels.load(Variants.write(dir, "PutBeforeQueue.java", Variants.resource("PutBeforeQueue.java")));
        assertEquals("series-v9", m.base());
        behavesLikePutBeforeQueue(m);
        assertEquals("smpcall.kernel", m.factory().get().getClass().getPackageName());
    }

    @Test
    void aClassInItsOwnPackageUsesThePublicApiAndLoadsInItsOwnLoader() {
        UserModel m = UserModels.load(Variants.write(dir, "NoIpiMask.java", Variants.resource("NoIpiMask.java")));
        Class<?> c = m.factory().get().getClass();
        assertEquals("my.variants.NoIpiMask", c.getName());
        assertNotEquals(Mainline.class.getClassLoader(), c.getClassLoader());
        assertEquals("series-v9", m.base());
        // the shipped v9-percpu-waitmask's pinned counterexample (MutantTest) replays the same on it
        String runId = "v9-percpu-waitmask:preempt-waiter:-:zeNqNjCkOACAQAwdXEsTydj7MgMHSpJdogTZ7whqpQlauYDZFw67wAZ8eOEPYre4CtA~ea0c971d";
        RunResult mine = replayOn(m, runId), shipped = replay(runId);
        assertTrue(mine.findings().stream().anyMatch(f -> f.property() == Property.P9));
        assertEquals(shipped.trace(), mine.trace());
    }

    @Test
    void aHunkThatDoesNotApplyIsNamedWithItsLine() {
        String patch = Variants.gitDiff("SeriesV9.java", Variants.putBeforeQueue());
        // the second hunk's context line "ipi.clear();" as it is not in the shipped source
        String broken = patch.replace("\n             ipi.clear();\n", "\n             ipi.clearAll();\n");
        assertNotEquals(patch, broken);
        Path p = Variants.write(dir, "broken.patch", broken);
        int line = lineOf(ShippedSources.source("SeriesV9.java"), "            ipi.clear();");
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> UserModels.load(p));
        assertEquals(p + ": hunk 2 does not apply at SeriesV9.java:" + line, e.getMessage());
    }

    private static int lineOf(String text, String line) {
        String[] lines = text.split("\n", -1);
        int found = -1;
        for (int i = 0; i < lines.length; i++) if (lines[i].equals(line)) {
            if (found >= 0) throw new IllegalStateException("twice: " + line);
            found = i + 1;
        }
        return found;
    }

    @Test
    void javacErrorsInAPatchNameThePatchedFileLineAndColumn() {
        String changed = Variants.replaceOnce(Variants.putBeforeQueue(), "m.putCpu(); unpinned = true;", "m.putCpuu(); unpinned = true;");
        Path p = Variants.write(dir, "typo.patch", Variants.gitDiff("SeriesV9.java", changed));
        int line = lineOf(changed, "            m.putCpuu(); unpinned = true;     // my change: unpin before the queueing");
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> UserModels.load(p));
        assertEquals(p + ": SeriesV9.java:" + line + ":14: error: cannot find symbol (symbol: method putCpuu(); location: variable m of type smpcall.machine.Machine)",
                e.getMessage());
    }

    @Test
    void javacErrorsInAClassAreOneLineEachWithTheUsersNames() {
        String src = Variants.resource("PutBeforeQueue.java")
                .replace("boolean runRemote = false, unpinned = false;", "boolean runRemote = false;")
                .replace("public class PutBeforeQueue extends SeriesV9 {", "public class PutBeforeQueue extends SeriesV9 {\n    PutBeforeQueue self = 1;");
        Path p = Variants.write(dir, "PutBeforeQueue.java", src);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> UserModels.load(p));
        String u = "(symbol: variable unpinned; location: class smpcall.kernel.PutBeforeQueue)";
        assertEquals(String.join("\n",
                p + ":10:27: error: incompatible types: int cannot be converted to smpcall.kernel.PutBeforeQueue",
                p + ":36:25: error: cannot find symbol " + u,
                p + ":51:14: error: cannot find symbol " + u), e.getMessage());
    }

    @Test
    void aSecondLoadTakesTheCacheAndCallsNoCompiler() throws IOException {
        String src = Variants.resource("NoIpiMask.java").replace("return null;", "return null;   // cached");
        Path p = Variants.write(dir, "NoIpiMask.java", src);
        int before = ModelCompiler.COMPILATIONS.get();
        long t0 = System.nanoTime();
        UserModel first = UserModels.load(p);
        long t1 = System.nanoTime();
        assertEquals(before + 1, ModelCompiler.COMPILATIONS.get());
        UserModel again = UserModels.load(p);
        assertEquals(first.factory(), again.factory(), "one JVM defines a file's classes once");
        UserModels.forgetLoaded();
        long t2 = System.nanoTime();
        UserModel fromDisk = UserModels.load(p);
        long t3 = System.nanoTime();
        assertEquals(before + 1, ModelCompiler.COMPILATIONS.get(), "the disk cache served the second JVM-wide load");
        assertNotEquals(first.factory().get().getClass(), fromDisk.factory().get().getClass());
        System.out.printf("user model load: compiled %.0f ms, from the disk cache %.1f ms%n", (t1 - t0) / 1e6, (t3 - t2) / 1e6);

        // a corrupt entry is ignored and rebuilt
        Path entry = cache.resolve(UserModels.key("NoIpiMask.java", Files.readAllBytes(p)));
        assertTrue(Files.isRegularFile(entry.resolve("entry")));
        Files.write(entry.resolve("my.variants.NoIpiMask.class"), new byte[] {1, 2, 3});
        UserModels.forgetLoaded();
        UserModel rebuilt = UserModels.load(p);
        assertEquals(before + 2, ModelCompiler.COMPILATIONS.get());
        assertTrue(rebuilt.factory().get() instanceof smpcall.kernel.SeriesV9);
        UserModels.forgetLoaded();
        UserModels.load(p);
        assertEquals(before + 2, ModelCompiler.COMPILATIONS.get(), "the rebuilt entry is whole again");
    }

    @Test
    void filesThatAreNotThereOrNotReadableAreOneLineEach() throws IOException {
        Path missing = dir.resolve("nope.patch");
        assertEquals(missing + ": no such file", assertThrows(IllegalArgumentException.class, () -> UserModels.load(missing)).getMessage());
        Path d = Files.createDirectories(dir.resolve("dir.java"));
        assertEquals(d + ": is a directory, not a model file",
                assertThrows(IllegalArgumentException.class, () -> UserModels.load(d)).getMessage());
        // readable by nobody, root included: reading /proc/self/mem at offset 0 fails
        Path unreadable = Files.createSymbolicLink(dir.resolve("Mem.java"), Path.of("/proc/self/mem"));
        assertEquals(unreadable + ": cannot read it (Input/output error)",
                assertThrows(IllegalArgumentException.class, () -> UserModels.load(unreadable)).getMessage());
        Path txt = Variants.write(dir, "notes.txt", "x");
        assertEquals(txt + ": a model file is a .java class or a .patch (or .diff) against the shipped models",
                assertThrows(IllegalArgumentException.class, () -> UserModels.load(txt)).getMessage());
    }

    @Test
    void aPatchToAnotherFileIsRefusedNamingIt() {
        String ghost = Variants.gitDiff("Ghost.java", ShippedSources.source("Ghost.java").replace("public final class Ghost", "public class Ghost"));
        Path p = Variants.write(dir, "ghost.patch", ghost);
        assertEquals(p + ": changes src/main/java/smpcall/kernel/Ghost.java, which is not a model class (a patch may change "
                        + "Mainline.java, SeriesV9.java, V9PutBeforeDispatch.java, V9EarlyPutCpu.java, V9PutBeforeQueue.java, "
                        + "V9LockNowait.java, V9PercpuWaitmask.java, V9FreeCsdOnDead.java)",
                assertThrows(IllegalArgumentException.class, () -> UserModels.load(p)).getMessage());
        Path q = Variants.write(dir, "new.patch", "diff --git a/New.java b/New.java\nnew file mode 100644\n--- /dev/null\n+++ b/New.java\n@@ -0,0 +1 @@\n+class New {}\n");
        assertEquals(q + ": creates New.java; a patch may only change the shipped model sources",
                assertThrows(IllegalArgumentException.class, () -> UserModels.load(q)).getMessage());
    }

    @Test
    void aPatchToMainlineStaysAMainline() {
        String changed = Variants.replaceOnce(ShippedSources.source("Mainline.java"),
                "callers pin the whole call, including the wait\";", "callers pin the whole call, including the wait (patched)\";");
        UserModel m = UserModels.load(Variants.write(dir, "mainline.patch", Variants.gitDiff("Mainline.java", changed)));
        assertEquals("mainline", m.base());
        Mainline k = m.factory().get();
        assertEquals("kernel/smp.c before the series: callers pin the whole call, including the wait (patched)", k.description());
        String runId = "mainline:preempt-waiter:-:s7";
        RunSpec spec = RunSpec.parse(runId);
        RunResult mine = Driver.run(m.factory(), Scenarios.get(spec.scenario()), spec.config(), spec.chooser(), true, true);
        assertEquals(replay(runId).trace(), mine.trace());
    }

    @Test
    void aPatchToMainlineAndSeriesV9MakesSeriesV9ExtendThePatchedMainline() {
        String mainline = Variants.replaceOnce(ShippedSources.source("Mainline.java"),
                "callers pin the whole call, including the wait\";", "callers pin the whole call, including the wait (patched)\";");
        Path p = Variants.write(dir, "both.patch", Variants.gitDiff("Mainline.java", mainline, "SeriesV9.java", Variants.putBeforeQueue()));
        UserModel m = UserModels.load(p);
        Class<?> c = m.factory().get().getClass();
        assertTrue(c.getSuperclass().getName().startsWith("smpcall.kernel.Mainline$u"), c.getSuperclass().getName());
        assertEquals("series-v9", m.base());
        behavesLikePutBeforeQueue(m);
    }

    @Test
    void aPatchToTheAbstractEarlyPutCpuAloneIsRefused() {
        String changed = Variants.replaceOnce(ShippedSources.source("V9EarlyPutCpu.java"), "        m.putCpu();\n        return true;",
                "        m.putCpu();\n        return true;   // changed");
        Path p = Variants.write(dir, "abstract.patch", Variants.gitDiff("V9EarlyPutCpu.java", changed));
        assertEquals(p + ": V9EarlyPutCpu is abstract; the patch must also change the model that extends it "
                        + "(V9PutBeforeDispatch.java or V9PutBeforeQueue.java)",
                assertThrows(IllegalArgumentException.class, () -> UserModels.load(p)).getMessage());
    }

    @Test
    void aClassMustBeOneConcreteModelWithAPublicConstructor() {
        Path none = Variants.write(dir, "Nothing.java", "package x;\npublic class Nothing {}\n");
        assertEquals(none + ": no top-level class extends smpcall.kernel.Mainline (extend a shipped model: Mainline, SeriesV9 or a mutant)",
                assertThrows(IllegalArgumentException.class, () -> UserModels.load(none)).getMessage());
        Path two = Variants.write(dir, "Two.java", "package x;\npublic class Two extends smpcall.kernel.SeriesV9 {}\nclass Three extends smpcall.kernel.Mainline {}\n");
        assertEquals(two + ":3:1: a second top-level class extends Mainline (the first is Two); a file holds one model",
                assertThrows(IllegalArgumentException.class, () -> UserModels.load(two)).getMessage());
        Path ctor = Variants.write(dir, "Ctor.java", "package smpcall.kernel;\npublic class Ctor extends SeriesV9 {\n    Ctor(int x) {}\n}\n");
        assertEquals(ctor + ":2:1: Ctor must be public, with a public constructor without parameters",
                assertThrows(IllegalArgumentException.class, () -> UserModels.load(ctor)).getMessage());
    }

    /** The text between the first line "```" + lang and the next "```" of docs/user-models.md. */
    private static String docBlock(String lang) throws IOException {
        String doc = Files.readString(Path.of("docs/user-models.md"));
        int start = doc.indexOf("\n```" + lang + "\n") + lang.length() + 5;
        return doc.substring(start, doc.indexOf("\n```\n", start) + 1);
    }

    /** The walk-through of docs/user-models.md: its patch and its class behave as the shipped v9-percpu-waitmask. */
    @Test
    void theDocsPatchAndClassAreCaughtAsTheDocSays() throws IOException {
        String diff = docBlock("diff"), java = docBlock("java");
        assertTrue(diff.startsWith("diff --git a/model-src/smpcall/kernel/SeriesV9.java"), diff);
        assertEquals(Variants.resource("NoIpiMask.java"), java);
        String runId = "v9-percpu-waitmask:preempt-waiter:-:zeNpjYCAeMCJzODmQAIoyQQEkgGEImj5UxQBcqwJ2~0d02f1f4";   // what check printed for the shipped mutant
        RunResult shipped = replay(runId);
        assertEquals(Property.P9, shipped.findings().get(0).property());
        for (Path p : new Path[] {Variants.write(dir, "my-change.patch", diff), Variants.write(dir, "doc/NoIpiMask.java", java)}) {
            RunResult mine = replayOn(UserModels.load(p), runId);
            assertEquals(shipped.trace(), mine.trace(), p::toString);
            assertEquals(shipped.findings().toString(), mine.findings().toString());
        }
    }

    private String error(String name, String text) {
        Path p = Variants.write(dir, name, text);
        return assertThrows(IllegalArgumentException.class, () -> UserModels.load(p)).getMessage().replace(dir + "/", "");
    }

    @Test
    void aPatchThatIsNotWholeIsOneLine() {
        String good = Variants.gitDiff("SeriesV9.java", Variants.putBeforeQueue());
        assertEquals("empty.patch: no file changes in it (expected a unified diff, as git diff writes it)", error("empty.patch", ""));
        assertEquals("cut.patch: a hunk is cut short or garbled (3 @@ lines, 2 hunks read)",
                error("cut.patch", good.substring(0, good.length() - 200)));
        int lines = ShippedSources.source("SeriesV9.java").split("\n").length;
        String beyond = good.substring(0, good.lastIndexOf("@@ -")) + "@@ -" + (lines + 100) + ",7 +" + (lines + 101) + ",7 @@"
                + good.substring(good.indexOf(" @@", good.lastIndexOf("@@ -")) + 3);
        assertEquals("beyond.patch: hunk 3 does not apply at SeriesV9.java:" + (lines + 100) + " (SeriesV9.java has " + lines + " lines)",
                error("beyond.patch", beyond));
        assertEquals("twice.patch: changes SeriesV9.java twice", error("twice.patch", good + good));
        assertEquals("Throws.java: the model's constructor threw java.lang.IllegalStateException: no", error("Throws.java",
                "package x; public class Throws extends smpcall.kernel.SeriesV9 { public Throws() { throw new IllegalStateException(\"no\"); } }"));
    }

    @Test
    void aPatchWithWindowsLineEndsApplies() {
        String crlf = Variants.gitDiff("SeriesV9.java", Variants.putBeforeQueue()).replace("\n", "\r\n");
        behavesLikePutBeforeQueue(UserModels.load(Variants.write(dir, "crlf.patch", crlf)));
    }

    /** Model code that throws is reported with the user's class name, file and line. */
    @Test
    void aModelErrorNamesTheUsersClassFileAndLine() {
        String bug = "        if (thisCpu >= 0) throw new IllegalStateException(\"my bug\");";
        String changed = Variants.replaceOnce(ShippedSources.source("SeriesV9.java"),
                "\n        CallFunctionData cfd = m.thisCpuPtr(cfdData);\n        Cpumask taskMask",
                "\n" + bug + "\n        CallFunctionData cfd = m.thisCpuPtr(cfdData);\n        Cpumask taskMask");
        UserModel m = UserModels.load(Variants.write(dir, "bug.patch", Variants.gitDiff("SeriesV9.java", changed)));
        RunResult r = replayOn(m, "series-v9:preempt-waiter:-:s1");
        assertEquals(Property.MODEL, r.findings().get(0).property());
        assertEquals(List.of("at smpcall.kernel.SeriesV9.smpCallFunctionManyCond(SeriesV9.java:" + lineOf(changed, bug) + ")"),
                r.findings().get(0).details());
    }

    @Test
    void aPatchMayNotChangeTwoModelsOrMainlinesNestedTypes() {
        String lock = Variants.replaceOnce(ShippedSources.source("V9LockNowait.java"), "// MUTANT: no csd_lock_wait(csd) here.", "// MUTANT: no wait.");
        String mask = Variants.replaceOnce(ShippedSources.source("V9PercpuWaitmask.java"), "return null;   // MUTANT", "return null;     // MUTANT");
        assertEquals("two.patch: changes 2 models (V9LockNowait, V9PercpuWaitmask); a patch changes one model and the classes it extends",
                error("two.patch", Variants.gitDiff("V9LockNowait.java", lock, "V9PercpuWaitmask.java", mask)));
        String queued = Variants.replaceOnce(ShippedSources.source("Mainline.java"),
                "protected record Queued(boolean runRemote, int nrCpus, int lastCpu) {}", "protected record Queued(boolean runRemote, int nrCpus) {}");
        assertEquals("queued.patch: Mainline.java:" + lineOf(queued, "    protected record Queued(boolean runRemote, int nrCpus) {}")
                        + ": the patch changes the nested type Queued, which the subclasses share; a patch may change Mainline's methods and fields only",
                error("queued.patch", Variants.gitDiff("Mainline.java", queued)));
    }
}
