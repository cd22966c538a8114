package dev.antorcha.parity;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URISyntaxException;
import java.net.URL;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

/**
 * {@link TensorOpCases}' kinds against PyTorch: the committed seed-0 files of
 * {@code src/test/resources/parity-cnn} on every clone, and every file of those kinds in the team's
 * full {@code parity-cnn} set where it is present (skipped with the reason where not).
 */
class TensorOpCasesTest {

    static Path committed() {
        URL one = TensorOpCasesTest.class.getResource("/parity-cnn/topk_s0.json");
        if (one == null) throw new IllegalStateException("parity-cnn/topk_s0.json is not on the test class path");
        try {
            return Path.of(one.toURI()).getParent();
        } catch (URISyntaxException e) {
            throw new IllegalStateException(one + ": " + e.getMessage(), e);
        }
    }

    private static List<Path> ofMyKinds(Path dir) {
        try (Stream<Path> s = Files.list(dir)) {
            return s.filter(p -> TensorOpCases.KINDS.stream().anyMatch(k -> p.getFileName().toString().matches(k + "_s\\d+\\.json")))
                    .sorted().toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static Stream<DynamicTest> passes(List<Path> files) {
        return files.stream().map(f -> DynamicTest.dynamicTest(f.getFileName().toString(), f.toUri(), () -> {
            ParityRunner.CaseResult r = ParityRunner.run(f);
            if (r.status() != ParityRunner.Status.PASS) fail(r.line());
        }));
    }

    @Test
    void everyKindHasACommittedCase() {
        List<String> names = ofMyKinds(committed()).stream().map(p -> p.getFileName().toString()).toList();
        for (String k : TensorOpCases.KINDS) assertThat(names).as("kind %s", k).contains(k + "_s0.json");
    }

    @TestFactory
    Stream<DynamicTest> committedCasesPass() {
        return passes(ofMyKinds(committed()));
    }

    @TestFactory
    Stream<DynamicTest> sharedCasesPass() {
        Path dir = SharedParityTest.sharedDir().resolve("parity-cnn").toAbsolutePath().normalize();
        if (!Files.isDirectory(dir)) {
            String why = "parity-cnn not found: " + dir + " (set -Dantorcha.shared=DIR to the folder holding parity-cnn/)";
            return Stream.of(DynamicTest.dynamicTest("parity-cnn vectors", () -> Assumptions.assumeTrue(false, why)));
        }
        return passes(ofMyKinds(dir));
    }
}
