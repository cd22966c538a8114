package dev.antorcha.parity;

import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

/**
 * The attention and Transformer-encoder cases against PyTorch's numbers: the committed seed-0 files
 * (so a clone without the shared folder runs them) and, when the shared set is present, every
 * {@code multihead_attention*} and {@code transformer_encoder*} case of {@code parity-seq}. A SKIP is
 * a failure here: these kinds must be supported.
 */
class AttentionParityTest {
    private static final List<String> KINDS = List.of("multihead_attention", "transformer_encoder");

    @TestFactory
    Stream<DynamicTest> committedAttentionCases() throws URISyntaxException {
        Path dir = Path.of(AttentionParityTest.class.getResource("/parity-seq").toURI());
        return run(list(dir));
    }

    @TestFactory
    Stream<DynamicTest> sharedAttentionCases() {
        Path seq = SharedParityTest.sharedDir().resolve("parity-seq");
        if (!Files.isDirectory(seq)) {
            String why = "shared parity-seq not found under " + SharedParityTest.sharedDir().toAbsolutePath();
            return Stream.of(DynamicTest.dynamicTest("shared attention cases", () -> Assumptions.abort(why)));
        }
        return run(list(seq));
    }

    private static List<Path> list(Path dir) {
        try (Stream<Path> s = Files.list(dir)) {
            return s.filter(p -> p.toString().endsWith(".json") && KINDS.stream().anyMatch(p.getFileName().toString()::startsWith))
                    .sorted().toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static Stream<DynamicTest> run(List<Path> files) {
        if (files.isEmpty()) fail("no attention case files found");
        return files.stream().map(f -> DynamicTest.dynamicTest(f.getFileName().toString(), () -> {
            ParityRunner.CaseResult r = ParityRunner.run(f);
            if (r.status() != ParityRunner.Status.PASS) fail(r.line());
        }));
    }
}
