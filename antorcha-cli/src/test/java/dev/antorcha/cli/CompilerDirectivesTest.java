package dev.antorcha.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.antorcha.backend.cpu.VectorizationProvider;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * The launcher's compiler directives: a file HotSpot rejects would stop every run of
 * {@code ./antorcha}, and a kernel missing from the C2 list would be left to C1, which cannot
 * compile the Vector API to SIMD code (orders of magnitude slower).
 */
class CompilerDirectivesTest {
    private static final Path FILE = Path.of("src/main/jvm/compiler-directives.json");

    @Test
    void theJvmAcceptsTheFile() throws IOException, InterruptedException {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        List<String> cmd = new ArrayList<>(List.of(java, "-XX:+UnlockDiagnosticVMOptions",
                "-XX:CompilerDirectivesFile=" + FILE.toAbsolutePath(), "-XX:+DisplayVMOutputToStderr", "-version"));
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(p.exitValue()).as(out).isZero();
        assertThat(out).contains("4 compiler directives added").doesNotContain("error");
    }

    @Test
    void c2KeepsTheKernelsAndTheVectorApi() throws IOException {
        String text = Files.readString(FILE);
        String kernels = VectorizationProvider.class.getPackageName().replace('.', '/') + "/*.*";
        assertThat(text).contains('"' + kernels + '"', "\"jdk/incubator/vector/*.*\"", "\"jdk/internal/vm/vector/*.*\"");
        // The catch-all exclusion comes last: directives apply first match first.
        assertThat(text.indexOf(kernels)).isLessThan(text.indexOf("\"*.*\""));
        // What the backend leaves to C1 (before the package's own entry) never names the classes
        // whose loops do the arithmetic.
        String leftToC1 = text.substring(0, text.indexOf('"' + kernels + '"'));
        assertThat(leftToC1).contains("dev/antorcha/backend/cpu/Parallel")
                .doesNotContain("PanamaKernels", "ScalarKernels", "Gemm.*", "Gemm.pack", "Gemm.lambda", "cpu/*");
    }
}
