package dev.antorcha.parity;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.fail;

import java.net.URISyntaxException;
import java.net.URL;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

/**
 * The float64 fixtures committed under {@code src/test/resources/parity-f64} (written by
 * {@code src/test/python/make_parity_f64.py} with PyTorch): every case passes at 1e-10 relative on every
 * clone; a reference value moved by a few tolerances fails; and the same cases computed from inputs
 * rounded to float32 fail, so the tolerance really tells float64 from float32 arithmetic.
 */
class CommittedFloat64ParityTest {

    static final List<String> KINDS = List.of("f64_linear", "f64_matmul_3d", "f64_log_softmax", "f64_cross_entropy",
            "f64_sum_mean", "f64_unary", "f64_broadcast_div", "f64_classifier");

    static Path fixtures() {
        URL manifest = CommittedFloat64ParityTest.class.getResource("/parity-f64/" + ParityCase.MANIFEST);
        if (manifest == null) throw new IllegalStateException("parity-f64/manifest.json is not on the test class path");
        try {
            return Path.of(manifest.toURI()).getParent();
        } catch (URISyntaxException e) {
            throw new IllegalStateException(manifest + ": " + e.getMessage(), e);
        }
    }

    @Test
    void theManifestListsEveryKind() {
        assertThat(ParityCase.listCases(fixtures()).stream().map(p -> ParityCase.load(p).caseKind()))
                .containsExactlyInAnyOrderElementsOf(KINDS);
        for (Path p : ParityCase.listCases(fixtures())) {
            assertThat(ParityCase.load(p).tolerance()).isEqualTo(new Float64Tolerance(1e-10, 1e-12));
        }
    }

    @TestFactory
    Stream<DynamicTest> everyCasePassesInFloat64() {
        return ParityCase.listCases(fixtures()).stream().map(file -> DynamicTest.dynamicTest(CommittedParityTest.name(file), () -> {
            ParityRunner.CaseResult r = ParityRunner.run(file);
            if (r.status() != ParityRunner.Status.PASS) fail(r.line());
        }));
    }

    @TestFactory
    Stream<DynamicTest> aReferenceMovedByFourTolerancesFails() {
        return ParityCase.listCases(fixtures()).stream().map(file -> DynamicTest.dynamicTest(CommittedParityTest.name(file), () -> {
            ParityCase c = ParityCase.load(file);
            var e = c.outputs().entrySet().stream().filter(o -> RefTensor.FLOAT64.equals(o.getValue().dtype())).findFirst().orElseThrow();
            RefTensor ref = e.getValue();
            double[] moved = ref.doubles().clone();
            int at = moved.length / 2;
            moved[at] += 4 * c.tolerance().of(moved[at]);
            RefTensor bad = new RefTensor(ref.name(), ref.shape(), ref.dtype(), ref.layout(), null, null, ref.sampleStart(),
                    ref.sampleStride(), ref.stats(), moved);
            ParityRunner.CaseResult r = ParityRunner.run(CommittedParityTest.withOutput(c, bad));
            assertThat(r.status()).isEqualTo(ParityRunner.Status.FAIL);
            assertThat(r.line()).startsWith("FAIL " + c.id() + ": ").contains(e.getKey() + ": ");
        }));
    }

    @TestFactory
    Stream<DynamicTest> inputsRoundedToFloat32Fail() {
        return ParityCase.listCases(fixtures()).stream().map(file -> DynamicTest.dynamicTest(CommittedParityTest.name(file), () -> {
            ParityCase c = ParityCase.load(file);
            Map<String, RefTensor> inputs = new LinkedHashMap<>();
            c.inputs().forEach((name, ref) -> {
                if (!RefTensor.FLOAT64.equals(ref.dtype())) {
                    inputs.put(name, ref);
                    return;
                }
                double[] rounded = ref.doubles().clone();
                for (int i = 0; i < rounded.length; i++) rounded[i] = (float) rounded[i];
                inputs.put(name, new RefTensor(ref.name(), ref.shape(), ref.dtype(), ref.layout(), null, null, 0, 1, null, rounded));
            });
            ParityCase f32 = new ParityCase(c.id(), c.caseKind(), c.seed(), c.set(), c.description(), c.expr(), c.params(),
                    c.f32Err(), inputs, c.outputs(), c.tolerance());
            assertThat(ParityRunner.run(f32).status()).as("%s from float32-rounded inputs", c.id())
                    .isEqualTo(ParityRunner.Status.FAIL);
        }));
    }
}
