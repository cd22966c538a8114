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
 * Finite-difference checks, in float64, of the pooling ops and batch norm. Max pooling gets
 * tie-free inputs (values at least 0.25 apart), where its gradient is defined; windows overlap,
 * are padded, dilated and cut by ceil mode, so the backward must accumulate and skip padding.
 */
class GradCheckPoolTest {

    private static final int[] ZERO = {0}, ONE = {1};

    /** A float64 leaf with distinct values (no ties in any window). */
    private static Tensor distinct(int... shape) {
        return OpsTestSupport.distinct(shape).to(DType.FLOAT64).detach();
    }

    private static Tensor randn(int... shape) {
        return Antorcha.randn(shape).to(DType.FLOAT64).detach();
    }

    private static int[] p(int... v) {
        return v;
    }

    static Stream<Case> poolCases() {
        return Stream.of(
                gc("max_pool2d 2 (stride = kernel)", in -> F.maxPool2d(in[0], 2), () -> of(distinct(2, 3, 6, 7))),
                gc("max_pool2d k3 s2 p1 (overlapping, padded)", in -> F.maxPool2d(in[0], p(3), p(2), p(1), ONE, false),
                        () -> of(distinct(2, 2, 7, 7))),
                gc("max_pool2d k2 s2 p(0,1) ceil", in -> F.maxPool2d(in[0], p(2), p(2), p(0, 1), ONE, true),
                        () -> of(distinct(1, 2, 7, 7))),
                gc("max_pool2d k(2,3) s1 dilation 2", in -> F.maxPool2d(in[0], p(2, 3), p(1), ZERO, p(2), false),
                        () -> of(distinct(1, 2, 6, 8))),
                // max pooling of a ReLU's output sends its gradient past the ReLU (its own backward);
                // the shift keeps every value away from ReLU's kink at 0
                gc("max_pool2d 2 of relu (fused backward)", in -> F.maxPool2d(F.relu(in[0].add(0.1)), 2),
                        () -> of(distinct(2, 3, 6, 8))),
                gc("max_pool2d k3 s2 p1 of relu, relu's output used again", in -> {
                    Tensor r = F.relu(in[0].add(0.1));
                    return F.maxPool2d(r, p(3), p(2), p(1), ONE, false).sum().add(r.mul(r).sum());
                }, () -> of(distinct(1, 2, 7, 7))),
                gc("max_pool2d unbatched [C, H, W]", in -> F.maxPool2d(in[0], 2), () -> of(distinct(3, 4, 5))),
                gc("max_pool2d of a strided view", in -> F.maxPool2d(in[0].transpose(2, 3), 2), () -> of(distinct(2, 2, 5, 6))),
                gc("avg_pool2d 2", in -> F.avgPool2d(in[0], 2), () -> of(randn(2, 2, 6, 7))),
                gc("avg_pool2d k3 s2 p1 count_include_pad", in -> F.avgPool2d(in[0], p(3), p(2), p(1), false, true, null),
                        () -> of(randn(2, 2, 7, 7))),
                gc("avg_pool2d k3 s2 p1 exclude pad, ceil", in -> F.avgPool2d(in[0], p(3), p(2), p(1), true, false, null),
                        () -> of(randn(1, 2, 6, 6))),
                gc("avg_pool2d divisor_override 5", in -> F.avgPool2d(in[0], p(2, 3), p(1, 2), ZERO, false, true, 5),
                        () -> of(randn(1, 2, 5, 7))),
                gc("adaptive_avg_pool2d 7x7 -> 3x3", in -> F.adaptiveAvgPool2d(in[0], 3), () -> of(randn(2, 2, 7, 7))),
                gc("adaptive_avg_pool2d 5x6 -> (3, 4)", in -> F.adaptiveAvgPool2d(in[0], 3, 4), () -> of(randn(1, 2, 5, 6))),
                gc("adaptive_avg_pool2d unbatched -> 1", in -> F.adaptiveAvgPool2d(in[0], 1), () -> of(randn(3, 4, 5))));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("poolCases")
    void poolingPassesGradCheck(Case c) {
        assertGradCheck(c);
    }

    static Stream<Case> batchNormCases() {
        return Stream.of(
                gc("batch_norm training [N, C, H, W] with weight and bias",
                        in -> F.batchNorm(in[0], null, null, in[1], in[2], true, 0.1, 1e-5),
                        () -> of(randn(3, 2, 3, 3), randn(2), randn(2))),
                gc("batch_norm training [N, C] updating running stats",
                        in -> F.batchNorm(in[0], Antorcha.zeros(DType.FLOAT64, 3), Antorcha.ones(DType.FLOAT64, 3), in[1], in[2],
                                true, 0.1, 1e-5),
                        () -> of(randn(5, 3), randn(3), randn(3))),
                gc("batch_norm training [N, C, L] without affine", in -> F.batchNorm(in[0], null, null, null, null, true, 0.1, 1e-5),
                        () -> of(randn(2, 3, 4))),
                gc("batch_norm eval", in -> F.batchNorm(in[0], Antorcha.tensor(new double[] {0.5, -1}),
                        Antorcha.tensor(new double[] {2, 0.25}), in[1], in[2], false, 0.1, 1e-5),
                        () -> of(randn(3, 2, 2, 2), randn(2), randn(2))));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("batchNormCases")
    void batchNormPassesGradCheck(Case c) {
        assertGradCheck(c);
    }
}
