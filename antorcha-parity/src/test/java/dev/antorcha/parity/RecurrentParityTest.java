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
 * The recurrent cases against PyTorch: the committed seed-0 file of each kind (every clone runs
 * them), then every case of those kinds in the shared {@code parity-seq} set where it is present.
 * Each must PASS: a SKIP would mean the dispatch to {@link RecurrentCases} is lost.
 */
class RecurrentParityTest {
    private static final List<String> KINDS = List.of("rnn_tanh", "rnn_relu", "lstm", "lstm_batch_first_bidir", "gru",
            "lstm_cell", "gru_cell");

    private static boolean mine(Path file) {
        String n = file.getFileName().toString();
        return n.endsWith(".json") && KINDS.contains(n.substring(0, Math.max(0, n.lastIndexOf("_s"))));
    }

    private static Stream<DynamicTest> run(List<Path> files) {
        return files.stream().filter(RecurrentParityTest::mine).map(f -> DynamicTest.dynamicTest(f.getFileName().toString(), () -> {
            ParityRunner.CaseResult r = ParityRunner.run(f);
            assertThat(r.status()).as(r.line()).isEqualTo(ParityRunner.Status.PASS);
        }));
    }

    private static Path committed() throws URISyntaxException {
        return Path.of(RecurrentParityTest.class.getResource("/parity-seq").toURI());
    }

    @Test
    void everyKindHasACommittedCase() throws Exception {
        try (Stream<Path> s = Files.list(committed())) {
            List<String> kinds = s.filter(RecurrentParityTest::mine).map(p -> p.getFileName().toString().replace("_s0.json", "")).toList();
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
