package smpcall;

import static com.tngtech.archunit.library.Architectures.layeredArchitecture;

import org.junit.jupiter.api.Test;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.library.Architectures.LayeredArchitecture;

/**
 * The package arrows: machine ← kernel ← run ← {check, lab ← torture} ← report ← cli. The
 * machine knows nothing of CSDs; kernel (kernel/smp.c and its models) uses only the machine;
 * run (scenarios, the model registry, run-ids, the driver) uses both; check and lab use
 * those three but not each other; torture runs on the lab's timing; report may use all of
 * them; cli anything.
 */
class ArchitectureTest {
    private static final JavaClasses CLASSES = new ClassFileImporter()
            .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
            .importPackages("smpcall");

    private static LayeredArchitecture layers() {
        return layeredArchitecture().consideringOnlyDependenciesInLayers()
                .withOptionalLayers(true)
                .layer("machine").definedBy("smpcall.machine..")
                .layer("kernel").definedBy("smpcall.kernel..")
                .layer("run").definedBy("smpcall.run..")
                .layer("check").definedBy("smpcall.check..")
                .layer("lab").definedBy("smpcall.lab..")
                .layer("torture").definedBy("smpcall.torture..")
                .layer("report").definedBy("smpcall.report..")
                .layer("cli").definedBy("smpcall.cli..");
    }

    /** Who may use each layer. */
    @Test
    void layersAreOnlyUsedFromAbove() {
        layers()
                .whereLayer("machine").mayOnlyBeAccessedByLayers("kernel", "run", "check", "lab", "torture", "report", "cli")
                .whereLayer("kernel").mayOnlyBeAccessedByLayers("run", "check", "lab", "torture", "report", "cli")
                .whereLayer("run").mayOnlyBeAccessedByLayers("check", "lab", "torture", "report", "cli")
                .whereLayer("check").mayOnlyBeAccessedByLayers("report", "cli")
                .whereLayer("lab").mayOnlyBeAccessedByLayers("torture", "report", "cli")
                .whereLayer("torture").mayOnlyBeAccessedByLayers("report", "cli")
                .whereLayer("report").mayOnlyBeAccessedByLayers("cli")
                .whereLayer("cli").mayNotBeAccessedByAnyLayer()
                .check(CLASSES);
    }

    /** What each layer may use (the same arrows, read from the other end). */
    @Test
    void layersOnlyUseWhatIsBelowThem() {
        layers()
                .whereLayer("machine").mayNotAccessAnyLayer()
                .whereLayer("kernel").mayOnlyAccessLayers("machine")
                .whereLayer("run").mayOnlyAccessLayers("machine", "kernel")
                .whereLayer("check").mayOnlyAccessLayers("machine", "kernel", "run")
                .whereLayer("lab").mayOnlyAccessLayers("machine", "kernel", "run")
                .whereLayer("torture").mayOnlyAccessLayers("machine", "kernel", "run", "lab")
                .whereLayer("report").mayOnlyAccessLayers("machine", "kernel", "run", "check", "lab", "torture")
                .check(CLASSES);
    }

    /**
     * The machine knows nothing of kernel/smp.c: no class of it is named for CSDs, smp calls or
     * the properties, and none of its public methods or fields says "csd" (its own debug checks
     * are {@code Check}s, which the layer above names after the properties).
     */
    @Test
    void theMachineKnowsNothingOfCsdsOrTheProperties() {
        com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses().that().resideInAPackage("smpcall.machine..")
                .should().haveSimpleNameContaining("Csd").orShould().haveSimpleNameContaining("Smp")
                .orShould().haveSimpleName("Property")
                .check(CLASSES);
        com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noMembers().that().areDeclaredInClassesThat()
                .resideInAPackage("smpcall.machine..").should().haveNameMatching("(?i).*csd.*")
                .check(CLASSES);
    }
}
