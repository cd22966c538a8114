package dev.antorcha.parity;

import static org.junit.jupiter.api.Assertions.fail;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.DynamicContainer;
import org.junit.jupiter.api.DynamicNode;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

/**
 * One test per case file of the team's full PyTorch reference sets, folders of {@code ${antorcha.shared}}
 * (set by the pom's surefire configuration, else {@code ../../shared} from the module directory); each set
 * runs where present. SKIP results (a case kind or dtype the runner does not support yet) are aborted tests
 * carrying the reason; an absent set is a single aborted test saying where it was looked for. The committed
 * subset that every clone runs is {@link CommittedParityTest}'s.
 */
class SharedParityTest {

    /** The full sets: core ops and the tutorial network; convolutions; sequence models; float64. */
    static final List<String> SETS = List.of("parity", "parity-cnn", "parity-seq", "parity-f64");

    static Path sharedDir() {
        String shared = System.getProperty("antorcha.shared");
        return shared != null && !shared.isBlank() ? Path.of(shared) : Path.of("..", "..", "shared");
    }

    @TestFactory
    Stream<DynamicNode> pytorchParity() {
        return SETS.stream().map(set -> DynamicContainer.dynamicContainer(set, cases(set, sharedDir().resolve(set))));
    }

    private static Stream<DynamicTest> cases(String set, Path dir) {
        Path abs = dir.toAbsolutePath().normalize();
        if (!Files.isDirectory(abs)) {
            // An aborted factory is not counted by surefire; one aborted test shows the reason in the report.
            String why = set + " not found: " + abs + " (set -Dantorcha.shared=DIR to the folder holding " + set + "/)";
            System.out.println("SKIPPED SharedParityTest: " + why);   // visible in the build log too
            return Stream.of(DynamicTest.dynamicTest(set + " vectors", () -> Assumptions.assumeTrue(false, why)));
        }
        return ParityCase.listCases(abs).stream().map(file -> DynamicTest.dynamicTest(CommittedParityTest.name(file), file.toUri(), () -> {
            ParityRunner.CaseResult r = ParityRunner.run(file);
            switch (r.status()) {
                case PASS -> { }
                case SKIP -> Assumptions.abort(r.line());
                case FAIL -> fail(r.line());
            }
        }));
    }
}
