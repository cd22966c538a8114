package dev.antorcha.cli;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.core.importer.Location;
import com.tngtech.archunit.lang.ArchRule;
import dev.antorcha.backend.cpu.CpuStorage;
import dev.antorcha.parity.ParityRunner;
import dev.antorcha.parity.archfixture.ParityUsingVision;
import dev.antorcha.tensor.Tensor;
import dev.antorcha.tensor.archfixture.CoreUsingVision;
import dev.antorcha.vision.archfixture.VisionUsingCli;
import dev.antorcha.vision.archfixture.VisionUsingCpuBackend;
import dev.antorcha.vision.datasets.MNIST;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The modules depend one way (cli → vision → core, parity → core), and nothing outside the core
 * touches the CPU backend's classes. Checked here because this module sees all four; each rule
 * also runs on a fixture class (in {@code ..archfixture} packages of these test sources) that
 * breaks it, so a rule that could never fail would be noticed.
 */
class ArchitectureTest {
    private static final String VISION = "dev.antorcha.vision..";
    private static final String PARITY = "dev.antorcha.parity..";
    private static final String CLI = "dev.antorcha.cli..";
    private static final String EXAMPLES = "dev.antorcha.examples..";
    private static final String BENCH = "dev.antorcha.bench..";

    static final ArchRule CORE_DEPENDS_ON_NO_OTHER_MODULE = noClasses()
            .that().resideInAPackage("dev.antorcha..")
            .and().resideOutsideOfPackages(VISION, PARITY, CLI, EXAMPLES, BENCH)
            .should().dependOnClassesThat().resideInAnyPackage(VISION, PARITY, CLI, EXAMPLES, BENCH)
            .because("the core is the bottom layer: cli → vision → core, parity → core");

    static final ArchRule VISION_DEPENDS_ON_THE_CORE_ONLY = noClasses()
            .that().resideInAPackage(VISION)
            .should().dependOnClassesThat().resideInAnyPackage(PARITY, CLI, EXAMPLES, BENCH)
            .because("cli → vision → core");

    static final ArchRule PARITY_DEPENDS_ON_THE_CORE_ONLY = noClasses()
            .that().resideInAPackage(PARITY)
            .should().dependOnClassesThat().resideInAnyPackage(VISION, CLI, EXAMPLES, BENCH)
            .because("parity → core: the checker uses the core's public API only");

    static final ArchRule NO_MODULE_TOUCHES_THE_CPU_BACKEND = noClasses()
            .that().resideInAnyPackage(VISION, PARITY, CLI, EXAMPLES)
            .should().dependOnClassesThat().resideInAPackage("dev.antorcha.backend.cpu..")
            .because("a tensor's memory and kernels are reached through the backend interfaces only");

    private static JavaClasses all;

    @BeforeAll
    static void importModules() {
        Set<Location> where = Stream.of(Tensor.class, MNIST.class, ParityRunner.class, Main.class)
                .map(c -> Location.of(c.getProtectionDomain().getCodeSource().getLocation()))
                .collect(Collectors.toSet());
        all = new ClassFileImporter().withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS).importLocations(where);
        // Rules over missing classes would pass for the wrong reason: all four modules must be there.
        for (Class<?> c : new Class<?>[] {Tensor.class, CpuStorage.class, MNIST.class, ParityRunner.class, Main.class}) {
            assertThat(all.contain(c)).as(c.getName()).isTrue();
        }
    }

    @Test
    void theCoreDependsOnNoOtherModule() {
        CORE_DEPENDS_ON_NO_OTHER_MODULE.check(all);
    }

    @Test
    void visionDependsOnTheCoreOnly() {
        VISION_DEPENDS_ON_THE_CORE_ONLY.check(all);
    }

    @Test
    void parityDependsOnTheCoreOnly() {
        PARITY_DEPENDS_ON_THE_CORE_ONLY.check(all);
    }

    @Test
    void noModuleOutsideTheCoreTouchesTheCpuBackend() {
        NO_MODULE_TOUCHES_THE_CPU_BACKEND.check(all);
    }

    @Test
    void eachRuleFailsOnAClassThatBreaksIt() {
        assertBreaks(CORE_DEPENDS_ON_NO_OTHER_MODULE, CoreUsingVision.class, MNIST.class);
        assertBreaks(VISION_DEPENDS_ON_THE_CORE_ONLY, VisionUsingCli.class, Main.class);
        assertBreaks(PARITY_DEPENDS_ON_THE_CORE_ONLY, ParityUsingVision.class, MNIST.class);
        assertBreaks(NO_MODULE_TOUCHES_THE_CPU_BACKEND, VisionUsingCpuBackend.class, CpuStorage.class);
    }

    private static void assertBreaks(ArchRule rule, Class<?> fixture, Class<?> target) {
        JavaClasses classes = new ClassFileImporter().importClasses(fixture, target);
        assertThatThrownBy(() -> rule.check(classes))
                .as(rule.getDescription())
                .isInstanceOf(AssertionError.class)
                .hasMessageContaining(fixture.getName())
                .hasMessageContaining(target.getName());
    }
}
