package dev.antorcha.parity;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.fail;

import java.net.URISyntaxException;
import java.net.URL;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

/**
 * A committed subset of one of PyTorch's reference sets, under {@code src/test/resources/<set>}:
 * seed-0 copies of one case of every kind, each of which must PASS on every clone, without the
 * team's full sets (a SKIP is a failure here); its network case must FAIL when a reference value
 * moves by four tolerances, so the comparison is shown to compare.
 */
abstract class CommittedSetTest {

    /** The folder under the test resources, e.g. {@code parity-cnn}. */
    abstract String set();

    /** Every case kind of the set (its format's case table). */
    abstract List<String> kinds();

    /** The file of the set's network case. */
    abstract String networkCase();

    /** Outputs of the network case that a moved reference value must fail. */
    abstract List<String> checkedOutputs();

    Path fixtures() {
        URL one = getClass().getResource("/" + set() + "/" + networkCase());
        if (one == null) throw new IllegalStateException(set() + "/" + networkCase() + " is not on the test class path");
        try {
            return Path.of(one.toURI()).getParent();
        } catch (URISyntaxException e) {
            throw new IllegalStateException(one + ": " + e.getMessage(), e);
        }
    }

    @TestFactory
    Stream<DynamicTest> everyCommittedCasePasses() {
        return ParityCase.listCases(fixtures()).stream().map(file -> DynamicTest.dynamicTest(
                CommittedParityTest.name(file), file.toUri(), () -> {
                    ParityRunner.CaseResult r = ParityRunner.run(file);
                    if (r.status() != ParityRunner.Status.PASS) fail(r.line());
                }));
    }

    @Test
    void everyCaseKindIsCommitted() {
        assertThat(ParityCase.listCases(fixtures()).stream().map(p -> ParityCase.load(p).caseKind()).distinct())
                .containsExactlyInAnyOrderElementsOf(kinds());
    }

    @Test
    void theNetworkCaseFailsOnAMovedReference() {
        ParityCase c = ParityCase.load(fixtures().resolve(networkCase()));
        for (String name : checkedOutputs()) {
            RefTensor ref = c.output(name);
            int at = ref.values().length / 2;
            ParityRunner.CaseResult r = ParityRunner.run(CommittedParityTest.withOutput(c,
                    CommittedParityTest.perturb(ref, at, c.f32Err(name))));
            assertThat(r.status()).as(name).isEqualTo(ParityRunner.Status.FAIL);
            assertThat(r.line()).contains(name + ": ");
        }
    }
}
