package dev.antorcha.parity;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.net.URISyntaxException;
import java.net.URL;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

/**
 * The PyTorch fixtures committed under {@code src/test/resources/parity} (written by
 * {@code src/test/python/make_parity.py --fixtures}): every case must PASS on every clone, without the
 * team's full sets. A SKIP is a failure here, since the fixtures only hold cases the runner supports.
 */
class CommittedParityTest {

    /** The case kinds of the public set, one fixture each at least (the format's case table). */
    static final List<String> KINDS = List.of("linear", "relu", "log_softmax", "softmax", "softmax_dim0",
            "cross_entropy", "matmul_3d_2d", "matmul_3d_3d", "sum_dim1_keepdim", "mean_dims02", "mean_lastdim_keepdim",
            "sum_all", "mean_all", "view_transpose", "permute", "broadcast_add", "broadcast_sub", "broadcast_mul",
            "broadcast_div", "optim_adam_default", "optim_adam_wd", "optim_adamw_wd", "optim_sgd_momentum", "classifier");

    /** The fixtures folder, found on the test class path (where Maven copies the test resources). */
    static Path fixtures() {
        URL manifest = CommittedParityTest.class.getResource("/parity/" + ParityCase.MANIFEST);
        if (manifest == null) throw new IllegalStateException("parity/manifest.json is not on the test class path");
        try {
            return Path.of(manifest.toURI()).getParent();
        } catch (URISyntaxException e) {
            throw new IllegalStateException(manifest + ": " + e.getMessage(), e);
        }
    }

    @TestFactory
    Stream<DynamicTest> everyCommittedCasePasses() {
        return ParityCase.listCases(fixtures()).stream().map(file -> DynamicTest.dynamicTest(name(file), file.toUri(), () -> {
            ParityRunner.CaseResult r = ParityRunner.run(file);
            if (r.status() != ParityRunner.Status.PASS) fail(r.line());
        }));
    }

    @Test
    void theManifestListsEveryFileAndEveryCaseKind() throws IOException {
        Path dir = fixtures();
        var onDisk = new TreeSet<String>();
        try (Stream<Path> s = Files.list(dir)) {
            s.map(p -> p.getFileName().toString())
                    .filter(n -> n.endsWith(".json") && !n.equals(ParityCase.MANIFEST) && !n.equals(ParityCase.INIT_STATS))
                    .forEach(onDisk::add);
        }
        List<Path> listed = ParityCase.listCases(dir);
        // A case file left out of the manifest would never run.
        assertThat(listed.stream().map(p -> p.getFileName().toString())).containsExactlyInAnyOrderElementsOf(onDisk);
        assertThat(listed.stream().map(p -> ParityCase.load(p).caseKind()).distinct()).containsExactlyInAnyOrderElementsOf(KINDS);
        assertThat(ParityCase.initStats(dir)).isPresent();
    }

    /**
     * Each reference value the runner compares can make it fail: one output element at a time is moved by
     * four times its tolerance, and the runner must report FAIL with the case id and that output's name.
     * Since the unchanged case passes (|mine - ref| <= tol), the moved value is at least 3 tol away.
     */
    @TestFactory
    Stream<DynamicTest> aPerturbedReferenceValueFailsWithTheCaseId() {
        return ParityCase.listCases(fixtures()).stream().map(file -> DynamicTest.dynamicTest(name(file), file.toUri(), () -> {
            ParityCase c = ParityCase.load(file);
            int perturbed = 0;
            for (var e : c.outputs().entrySet()) {
                RefTensor ref = e.getValue();
                if (!RefTensor.FLOAT32.equals(ref.dtype()) || ref.values().length == 0) continue;
                int at = ref.values().length / 2;
                ParityRunner.CaseResult r = ParityRunner.run(withOutput(c, perturb(ref, at, c.f32Err(e.getKey()))));
                assertThat(r.status()).as("%s with %s[%d] moved", c.id(), e.getKey(), at).isEqualTo(ParityRunner.Status.FAIL);
                assertThat(r.id()).isEqualTo(c.id());
                assertThat(r.line()).startsWith("FAIL " + c.id() + ": ").contains(e.getKey() + ": ");
                perturbed++;
            }
            assertThat(perturbed).as("float outputs of %s", c.id()).isPositive();
        }));
    }

    /** A copy of {@code ref} whose stored element {@code at} is moved by 4 tolerances. */
    static RefTensor perturb(RefTensor ref, int at, double f32Err) {
        float[] values = ref.values().clone();
        values[at] += (float) (4 * Tolerance.tolerance(values[at], f32Err));
        return new RefTensor(ref.name(), ref.shape(), ref.dtype(), ref.layout(), values, null, ref.sampleStart(),
                ref.sampleStride(), ref.stats(), null);
    }

    static ParityCase withOutput(ParityCase c, RefTensor replacement) {
        Map<String, RefTensor> outputs = new LinkedHashMap<>(c.outputs());
        outputs.put(replacement.name(), replacement);
        return new ParityCase(c.id(), c.caseKind(), c.seed(), c.set(), c.description(), c.expr(), c.params(), c.f32Err(),
                c.inputs(), Collections.unmodifiableMap(outputs), c.tolerance());
    }

    static String name(Path file) {
        String fn = file.getFileName().toString();
        return fn.endsWith(".json") ? fn.substring(0, fn.length() - 5) : fn;
    }
}
