package dev.antorcha.parity;

import static org.junit.jupiter.api.Assertions.fail;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

/**
 * One test per case file of the shared PyTorch parity vectors ({@code ${antorcha.shared}/parity}, set by the
 * pom's surefire configuration, else {@code ../../shared/parity} from the module directory). SKIP results
 * are aborted tests carrying the skip reason; when the folder is absent, a single aborted test says where it
 * was looked for.
 */
class SharedParityTest {

    static Path parityDir() {
        String shared = System.getProperty("antorcha.shared");
        return shared != null && !shared.isBlank()
                ? Path.of(shared, "parity")
                : Path.of("..", "..", "shared", "parity");
    }

    @TestFactory
    Stream<DynamicTest> pytorchParity() {
        Path dir = parityDir().toAbsolutePath().normalize();
        if (!Files.isDirectory(dir)) {
            // An aborted factory is not counted by surefire; one aborted test shows the reason in the report.
            String why = "shared/parity not found: " + dir + " (set -Dantorcha.shared=DIR to the folder holding parity/)";
            System.out.println("SKIPPED SharedParityTest: " + why);   // visible in the build log too
            return Stream.of(DynamicTest.dynamicTest("parity vectors", () -> Assumptions.assumeTrue(false, why)));
        }
        return ParityCase.listCases(dir).stream().map(file -> {
            String fn = file.getFileName().toString();
            String name = fn.endsWith(".json") ? fn.substring(0, fn.length() - 5) : fn;
            return DynamicTest.dynamicTest(name, file.toUri(), () -> {
                ParityRunner.CaseResult r = ParityRunner.run(file);
                switch (r.status()) {
                    case PASS -> { }
                    case SKIP -> Assumptions.abort(r.line());
                    case FAIL -> fail(r.line());
                }
            });
        });
    }
}
