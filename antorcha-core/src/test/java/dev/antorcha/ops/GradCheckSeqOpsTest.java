package dev.antorcha.ops;

import static dev.antorcha.ops.OpsTestSupport.assertGradCheck;
import static dev.antorcha.ops.OpsTestSupport.gc;
import static dev.antorcha.ops.OpsTestSupport.of;

import dev.antorcha.Antorcha;
import dev.antorcha.nn.functional.F;
import dev.antorcha.ops.OpsTestSupport.Case;
import dev.antorcha.tensor.DType;
import dev.antorcha.tensor.Tensor;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Finite-difference checks, in float64, of the sequence-model ops: layer norm (one and two
 * normalised dims, with and without affine parameters, a group with a tiny variance, a strided
 * input), GELU (both forms), erf, masked_fill, triu/tril and embedding (whose padding row and frequency
 * scaling are deliberately not derivatives: EmbeddingTest checks those).
 */
class GradCheckSeqOpsTest {

    private static Tensor randn(int... shape) {
        return Antorcha.randn(shape).to(DType.FLOAT64).detach();
    }

    private static int[] p(int... v) {
        return v;
    }

    static Stream<Case> layerNormCases() {
        return Stream.of(
                gc("layer_norm last dim, weight and bias", in -> F.layerNorm(in[0], p(5), in[1], in[2], 1e-5),
                        () -> of(randn(2, 3, 5), randn(5), randn(5))),
                gc("layer_norm last two dims", in -> F.layerNorm(in[0], p(3, 4), in[1], in[2], 1e-5),
                        () -> of(randn(2, 3, 4), randn(3, 4), randn(3, 4))),
                gc("layer_norm without affine", in -> F.layerNorm(in[0], p(6), null, null, 1e-5), () -> of(randn(4, 6))),
                gc("layer_norm weight only, 1-D input", in -> F.layerNorm(in[0], p(4), in[1], null, 1e-5),
                        () -> of(randn(4), randn(4))),
                gc("layer_norm a group with variance below eps",
                        in -> F.layerNorm(in[0], p(4), in[1], in[2], 1e-2),
                        () -> of(randn(3, 4).mul(0.01).detach(), randn(4), randn(4))),
                gc("layer_norm of a strided view", in -> F.layerNorm(in[0].transpose(0, 1), p(3), in[1], in[2], 1e-5),
                        () -> of(randn(3, 4), randn(3), randn(3))));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("layerNormCases")
    void layerNormPassesGradCheck(Case c) {
        assertGradCheck(c);
    }

    static Stream<Case> otherCases() {
        Tensor mask = Antorcha.tensor(new long[] {0, 1, 1, 0, 0}, 1, 5);
        Tensor idx = Antorcha.tensor(new long[] {1, 3, 1, 0, 3, 3}, 2, 3);
        return Stream.of(
                gc("gelu exact", in -> F.gelu(in[0]), () -> of(randn(3, 4).mul(2).detach())),
                gc("gelu tanh", in -> F.gelu(in[0], "tanh"), () -> of(randn(3, 4).mul(2).detach())),
                gc("erf", in -> ActivationOps.erf(in[0]), () -> of(randn(2, 5))),
                gc("masked_fill broadcast over rows", in -> in[0].maskedFill(mask, 0.5).mul(in[0]), () -> of(randn(3, 5))),
                gc("triu 1 batched", in -> in[0].triu(1), () -> of(randn(2, 3, 4))),
                gc("tril -1 of a view", in -> in[0].transpose(1, 2).tril(-1), () -> of(randn(2, 3, 4))),
                // padding_idx and scale_grad_by_freq change the gradient on purpose: EmbeddingTest checks them by hand
                gc("embedding with repeats", in -> F.embedding(idx, in[0]), () -> of(randn(5, 3))));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("otherCases")
    void otherSeqOpsPassGradCheck(Case c) {
        assertGradCheck(c);
    }
}
