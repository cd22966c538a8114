package dev.antorcha.parity;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

/**
 * The pooling and batch-norm cases against PyTorch: the committed seed-0 file of each kind (every
 * clone runs them), then every case of those kinds in the shared {@code parity-cnn} set where it is
 * present. Each must PASS: a SKIP would mean the dispatch to {@link PoolCases} is lost.
 */
class PoolParityTest {

    private static boolean mine(Path file) {
        String n = file.getFileName().toString();
        return n.startsWith("max_pool2d_") || n.startsWith("avg_pool2d_") || n.startsWith("adaptive_avg_pool2d_")
                || n.startsWith("batch_norm");
    }

    private static Stream<DynamicTest> run(List<Path> files) {
        return files.stream().filter(PoolParityTest::mine).map(f -> DynamicTest.dynamicTest(f.getFileName().toString(), () -> {
            ParityRunner.CaseResult r = ParityRunner.run(f);
            assertThat(r.status()).as(r.line()).isEqualTo(ParityRunner.Status.PASS);
        }));
    }

    private static Path committed() throws URISyntaxException {
        return Path.of(PoolParityTest.class.getResource("/parity-cnn").toURI());
    }

    @Test
    void everyKindHasACommittedCase() throws Exception {
        try (Stream<Path> s = Files.list(committed())) {
            List<String> kinds = s.filter(PoolParityTest::mine).map(p -> p.getFileName().toString().replace("_s0.json", "")).toList();
            assertThat(kinds).contains("max_pool2d_ties", "max_pool2d_ceil", "avg_pool2d_pad_excl", "adaptive_avg_pool2d_nondiv",
                    "batch_norm2d_train", "batch_norm2d_eval", "batch_norm1d_train");
        }
    }

    @TestFactory
    Stream<DynamicTest> committedCases() throws Exception {
        return run(ParityCase.listCases(committed()));
    }

    @TestFactory
    Stream<DynamicTest> sharedCases() {
        Path dir = SharedParityTest.sharedDir().resolve("parity-cnn").toAbsolutePath().normalize();
        if (!Files.isDirectory(dir)) {
            return Stream.of(DynamicTest.dynamicTest("parity-cnn", () -> Assumptions.abort("parity-cnn not found: " + dir)));
        }
        return run(ParityCase.listCases(dir));
    }
}
