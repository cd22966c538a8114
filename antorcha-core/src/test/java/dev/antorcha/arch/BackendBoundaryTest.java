package dev.antorcha.arch;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.classes;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.core.importer.Location;
import com.tngtech.archunit.lang.ArchRule;
import dev.antorcha.backend.Backend;
import dev.antorcha.backend.Storage;
import dev.antorcha.backend.cpu.CpuBackend;
import dev.antorcha.backend.cpu.CpuStorage;
import dev.antorcha.tensor.Device;
import dev.antorcha.tensor.Tensor;
import java.util.Set;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The core's side of the backend seam (issue 11): a tensor's memory is read and written only by
 * the backend that owns it. Each rule runs on the core's main classes and, to show it can fail,
 * on a small fixture class below that breaks it.
 */
class BackendBoundaryTest {

    /**
     * Only the CPU backend's own package may name its classes: ops, nn, optim, data, io,
     * autograd and tensor reach kernels and memory through the {@code backend} interfaces, and
     * even {@code Backends} finds the CPU backend through ServiceLoader, not by name.
     */
    static final ArchRule CPU_BACKEND_IS_PRIVATE = noClasses()
            .that().resideOutsideOfPackage("dev.antorcha.backend.cpu..")
            .should().dependOnClassesThat().resideInAPackage("dev.antorcha.backend.cpu..")
            .because("a tensor's memory belongs to its backend: only backend code touches the arrays");

    /** Memory implementations live in backend packages (here or in a backend module's). */
    static final ArchRule STORAGE_BELONGS_TO_A_BACKEND = classes()
            .that().areAssignableTo(Storage.class).and().doNotHaveFullyQualifiedName(Storage.class.getName())
            .should().resideInAPackage("..backend..")
            .because("only a backend creates, reads and writes tensor memory");

    private static JavaClasses core;

    @BeforeAll
    static void importCore() {
        core = new ClassFileImporter().withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
                .importLocations(Set.of(Location.of(Tensor.class.getProtectionDomain().getCodeSource().getLocation())));
        // A rule over no classes would pass for the wrong reason: make sure the core is there.
        assertThat(core.contain(Tensor.class)).isTrue();
        assertThat(core.contain(CpuStorage.class)).isTrue();
        assertThat(core.size()).isGreaterThan(100);
    }

    @Test
    void onlyTheCpuBackendNamesItsClasses() {
        CPU_BACKEND_IS_PRIVATE.check(core);
    }

    @Test
    void everyStorageIsABackendsStorage() {
        STORAGE_BELONGS_TO_A_BACKEND.check(core);
    }

    @Test
    void readingTheCpuArraysOutsideTheBackendBreaksTheRule() {
        JavaClasses fixture = new ClassFileImporter().importClasses(ReadsCpuArrays.class, CpuStorage.class);
        assertThatThrownBy(() -> CPU_BACKEND_IS_PRIVATE.check(fixture))
                .isInstanceOf(AssertionError.class)
                .hasMessageContaining(ReadsCpuArrays.class.getName())
                .hasMessageContaining("CpuStorage.floats");
    }

    @Test
    void namingTheCpuBackendOutsideItBreaksTheRule() {
        JavaClasses fixture = new ClassFileImporter().importClasses(NamesCpuBackend.class, CpuBackend.class);
        assertThatThrownBy(() -> CPU_BACKEND_IS_PRIVATE.check(fixture))
                .isInstanceOf(AssertionError.class)
                .hasMessageContaining(NamesCpuBackend.class.getName());
    }

    @Test
    void aStorageOutsideTheBackendPackagesBreaksTheRule() {
        JavaClasses fixture = new ClassFileImporter().importClasses(RogueStorage.class, Storage.class);
        assertThatThrownBy(() -> STORAGE_BELONGS_TO_A_BACKEND.check(fixture))
                .isInstanceOf(AssertionError.class)
                .hasMessageContaining(RogueStorage.class.getName());
    }

    /** Breaks the first rule: an op that reads a tensor's float[] directly. */
    static final class ReadsCpuArrays {
        static float first(Tensor t) {
            return CpuStorage.floats(t)[0];
        }
    }

    /** Breaks the first rule: code that picks the CPU backend by name instead of through Backends. */
    static final class NamesCpuBackend {
        static Backend cpu() {
            return CpuBackend.INSTANCE;
        }
    }

    /** Breaks the second rule: tensor memory made outside a backend package. */
    static final class RogueStorage extends Storage {
        @Override
        public Device device() {
            return Device.CPU;
        }

        @Override
        public Backend backend() {
            return null;
        }

        @Override
        public int capacity() {
            return 0;
        }
    }
}
