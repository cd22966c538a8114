package dev.antorcha.cuda;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.antorcha.Antorcha;
import dev.antorcha.Cuda;
import dev.antorcha.parity.ParityMain;
import dev.antorcha.tensor.Device;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * PyTorch's reference cases committed with antorcha-parity, every tensor made on {@code cuda:0}
 * ({@code Antorcha.setDefaultDevice}): on a real GPU where there is one, else on the emulated one
 * ({@link EmulatedGpu}); the same tolerance rule as on the CPU.
 */
class ParityOnCudaTest {

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"parity", "parity-cnn", "parity-seq", "parity-f64"})
    void theCommittedCasesPassOnTheDevice(String set) {
        passOnTheDevice(Path.of(System.getProperty("antorcha.testdata")).getParent().resolve("antorcha-parity/src/test/resources")
                .resolve(set));
    }

    /** The full shared sets, where the shared folder is beside the repository (CI, and the GPU check's copy). */
    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"parity", "parity-cnn", "parity-seq", "parity-f64", "parity-dtypes"})
    void theSharedSetsPassOnTheDevice(String set) {
        String shared = System.getProperty("antorcha.shared");
        assumeTrue(shared != null && Files.isDirectory(Path.of(shared, set)), () -> "no shared set " + set + " (antorcha.shared="
                + shared + ")");
        passOnTheDevice(Path.of(shared, set));
    }

    private static void passOnTheDevice(Path dir) {
        assumeTrue(Cuda.isAvailable(), () -> "no usable GPU, real or emulated: " + Cuda.unavailableReason());
        assumeTrue(Files.isDirectory(dir), () -> "no cases at " + dir);
        String set = dir.getFileName().toString();
        ByteArrayOutputStream buf = new ByteArrayOutputStream();
        Antorcha.setDefaultDevice(Device.cuda());
        try {
            ParityMain.Summary s = ParityMain.run(dir, new PrintStream(buf, true, StandardCharsets.UTF_8));
            assertThat(s.exitCode()).as("%s on cuda:0:%n%s", set, buf.toString(StandardCharsets.UTF_8)).isZero();
        } finally {
            Antorcha.setDefaultDevice(Device.CPU);
        }
    }
}
