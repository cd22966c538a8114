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
 * The convolution cases against PyTorch's numbers: every committed seed-0 file (so a clone without
 * the shared folder runs them) and, when the shared sets are present, every {@code conv*} case of
 * {@code parity-cnn} and the float64 set's {@code f64_conv2d}. A SKIP is a failure here: these
 * kinds must be supported.
 */
class ConvParityTest {

    @TestFactory
    Stream<DynamicTest> committedConvCases() throws URISyntaxException {
        Path dir = Path.of(ConvParityTest.class.getResource("/parity-cnn").toURI());
        return run(list(dir).stream().filter(p -> p.getFileName().toString().startsWith("conv")).toList());
    }

    @TestFactory
    Stream<DynamicTest> sharedConvCases() {
        Path cnn = SharedParityTest.sharedDir().resolve("parity-cnn"), f64 = SharedParityTest.sharedDir().resolve("parity-f64");
        if (!Files.isDirectory(cnn) || !Files.isDirectory(f64)) {
            String why = "shared parity-cnn / parity-f64 not found under " + SharedParityTest.sharedDir().toAbsolutePath();
            return Stream.of(DynamicTest.dynamicTest("shared conv cases", () -> Assumptions.abort(why)));
        }
        List<Path> files = Stream.concat(
                list(cnn).stream().filter(p -> p.getFileName().toString().startsWith("conv")),
                list(f64).stream().filter(p -> p.getFileName().toString().startsWith("f64_conv"))).toList();
        return run(files);
    }

    private static List<Path> list(Path dir) {
        try (Stream<Path> s = Files.list(dir)) {
            return s.filter(p -> p.toString().endsWith(".json") && !p.getFileName().toString().equals("manifest.json"))
                    .sorted().toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static Stream<DynamicTest> run(List<Path> files) {
        if (files.isEmpty()) fail("no convolution case files found");
        return files.stream().map(f -> DynamicTest.dynamicTest(f.getFileName().toString(), () -> {
            ParityRunner.CaseResult r = ParityRunner.run(f);
            if (r.status() != ParityRunner.Status.PASS) fail(r.line());
        }));
    }
}
