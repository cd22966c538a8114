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
 * The embedding, layer-norm, masking and gradient-clipping cases against PyTorch: the committed
 * seed-0 file of each kind (every clone runs them), then every case of those kinds in the shared
 * {@code parity-seq} set where it is present. Each must PASS: a SKIP would mean the dispatch to
 * {@link SeqOpCases} is lost.
 */
class SeqOpParityTest {
    private static final List<String> KINDS = List.of("embedding", "embedding_max_norm", "layer_norm", "layer_norm_last2",
            "layer_norm_no_affine", "masked_fill_triu", "clip_grad_norm");

    private static boolean mine(Path file) {
        String n = file.getFileName().toString();
        int s = n.lastIndexOf("_s");
        return s > 0 && n.endsWith(".json") && KINDS.contains(n.substring(0, s));
    }

    private static Stream<DynamicTest> run(List<Path> files) {
        return files.stream().filter(SeqOpParityTest::mine).map(f -> DynamicTest.dynamicTest(f.getFileName().toString(), () -> {
            ParityRunner.CaseResult r = ParityRunner.run(f);
            assertThat(r.status()).as(r.line()).isEqualTo(ParityRunner.Status.PASS);
        }));
    }

    private static Path committed() throws URISyntaxException {
        return Path.of(SeqOpParityTest.class.getResource("/parity-seq").toURI());
    }

    @Test
    void everyKindHasACommittedCase() throws Exception {
        try (Stream<Path> s = Files.list(committed())) {
            List<String> kinds = s.filter(SeqOpParityTest::mine).map(p -> p.getFileName().toString().replace("_s0.json", "")).toList();
            assertThat(kinds).containsExactlyInAnyOrderElementsOf(KINDS);
        }
    }

    @TestFactory
    Stream<DynamicTest> committedCases() throws Exception {
        return run(ParityCase.listCases(committed()));
    }

    @TestFactory
    Stream<DynamicTest> sharedCases() {
        Path dir = SharedParityTest.sharedDir().resolve("parity-seq").toAbsolutePath().normalize();
        if (!Files.isDirectory(dir)) {
            return Stream.of(DynamicTest.dynamicTest("parity-seq", () -> Assumptions.abort("parity-seq not found: " + dir)));
        }
        return run(ParityCase.listCases(dir));
    }
}
