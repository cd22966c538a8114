package dev.antorcha.parity;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

/**
 * The {@code optim_lbfgs} cases: the committed seed-0 copy (every clone) and the team's full set where
 * present; each must PASS, none may SKIP.
 */
class LbfgsParityTest {

    @TestFactory
    Stream<DynamicTest> lbfgsCases() throws Exception {
        Path committed = Path.of(LbfgsParityTest.class.getResource("/parity-seq/optim_lbfgs_s0.json").toURI());
        Path shared = SharedParityTest.sharedDir().resolve("parity-seq");
        List<Path> files = new java.util.ArrayList<>(List.of(committed));
        if (Files.isDirectory(shared)) {
            try (var s = Files.list(shared)) {
                s.filter(f -> f.getFileName().toString().startsWith("optim_lbfgs_")).sorted().forEach(files::add);
            }
        } else {
            System.out.println("LbfgsParityTest: " + shared.toAbsolutePath() + " not found; only the committed case runs");
        }
        return files.stream().map(f -> DynamicTest.dynamicTest(f.getParent().getFileName() + "/" + f.getFileName(), () -> {
            ParityRunner.CaseResult r = ParityRunner.run(f);
            System.out.println(r.line() + " " + r.message());
            assertEquals(ParityRunner.Status.PASS, r.status(), r.line());
            assertTrue(r.worstRatio() <= 1, r.line());
        }));
    }
}
