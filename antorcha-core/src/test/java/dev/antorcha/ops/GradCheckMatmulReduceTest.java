package dev.antorcha.ops;

import static dev.antorcha.ops.OpsTestSupport.assertGradCheck;
import static dev.antorcha.ops.OpsTestSupport.distinct;
import static dev.antorcha.ops.OpsTestSupport.gc;
import static dev.antorcha.ops.OpsTestSupport.of;
import static dev.antorcha.ops.OpsTestSupport.randn;
import static dev.antorcha.ops.OpsTestSupport.strided;

import dev.antorcha.Antorcha;
import dev.antorcha.ops.OpsTestSupport.Case;
import dev.antorcha.tensor.Tensor;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Finite-difference checks of matmul in every torch.matmul form, mm, the reductions, the
 * softmax family, and a composed linear + relu + logSoftmax (+ NLL) chain, on contiguous and
 * transposed (non-contiguous) leaves.
 */
class GradCheckMatmulReduceTest {

    static Stream<Case> matmulCases() {
        return Stream.of(
                gc("matmul 1D.1D [4].[4]", in -> in[0].matmul(in[1]), () -> of(randn(4), randn(4))),
                gc("matmul 1D.2D [4].[4,3]", in -> in[0].matmul(in[1]), () -> of(randn(4), randn(4, 3))),
                gc("matmul 2D.1D [3,4].[4]", in -> in[0].matmul(in[1]), () -> of(randn(3, 4), randn(4))),
                gc("matmul 2D.2D [3,4].[4,2]", in -> in[0].matmul(in[1]), () -> of(randn(3, 4), randn(4, 2))),
                gc("matmul 3D.2D [2,3,4].[4,2]", in -> in[0].matmul(in[1]), () -> of(randn(2, 3, 4), randn(4, 2))),
                gc("matmul 2D.3D [3,4].[2,4,2]", in -> in[0].matmul(in[1]), () -> of(randn(3, 4), randn(2, 4, 2))),
                gc("matmul 3D.3D [2,3,4].[2,4,2]", in -> in[0].matmul(in[1]),
                        () -> of(randn(2, 3, 4), randn(2, 4, 2))),
                gc("matmul 1D.3D [4].[2,4,3]", in -> in[0].matmul(in[1]), () -> of(randn(4), randn(2, 4, 3))),
                gc("matmul 3D.1D [2,3,4].[4]", in -> in[0].matmul(in[1]), () -> of(randn(2, 3, 4), randn(4))),
                gc("matmul batch broadcast [2,1,3,4].[5,4,2]", in -> in[0].matmul(in[1]),
                        () -> of(randn(2, 1, 3, 4), randn(5, 4, 2))),
                gc("matmul strided [3,4].strided [4,2]", in -> in[0].matmul(in[1]),
                        () -> of(strided(randn(3, 4)), strided(randn(4, 2)))),
                gc("matmul strided 3D [2,3,4].[4,2]", in -> in[0].matmul(in[1]),
                        () -> of(strided(randn(2, 3, 4)), randn(4, 2))),
                gc("matmul strided 1D.1D", in -> in[0].matmul(in[1]), () -> of(strided(randn(5)), randn(5))),
                gc("matmul x.W.t() (linear)", in -> in[0].matmul(in[1].t()), () -> of(randn(5, 4), randn(3, 4))),
                gc("matmul self x.x.t()", in -> in[0].matmul(in[0].t()), () -> of(randn(3, 4))),
                gc("mm [3,4].[4,2]", in -> in[0].mm(in[1]), () -> of(randn(3, 4), randn(4, 2))),
                gc("mm strided.strided", in -> in[0].mm(in[1]),
                        () -> of(strided(randn(3, 4)), strided(randn(4, 5)))),
                gc("mm W.t() view", in -> in[0].mm(in[1].t()), () -> of(randn(2, 4), randn(3, 4))));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("matmulCases")
    void matmulPassesGradCheck(Case c) {
        assertGradCheck(c);
    }

    static Stream<Case> reductionCases() {
        return Stream.of(
                gc("sum all", in -> in[0].sum(), () -> of(randn(3, 4))),
                gc("sum dim 1", in -> in[0].sum(1), () -> of(randn(3, 4))),
                gc("sum dim 0 keepDim", in -> in[0].sum(0, true), () -> of(randn(3, 4))),
                gc("sum dim -1 keepDim 3D", in -> in[0].sum(-1, true), () -> of(randn(2, 3, 4))),
                gc("sum dims {0,2}", in -> in[0].sum(new int[] {0, 2}, false), () -> of(randn(2, 3, 4))),
                gc("sum dims {2,0} keepDim", in -> in[0].sum(new int[] {2, 0}, true), () -> of(randn(2, 3, 4))),
                gc("sum all strided", in -> in[0].sum(), () -> of(strided(randn(3, 4)))),
                gc("sum dim 0 strided", in -> in[0].sum(0), () -> of(strided(randn(3, 4)))),
                gc("sum 0-d", in -> in[0].sum(), () -> of(randn())),
                gc("mean all", in -> in[0].mean(), () -> of(randn(3, 4))),
                gc("mean dim 1", in -> in[0].mean(1), () -> of(randn(3, 4))),
                gc("mean dims {0,2} keepDim", in -> in[0].mean(new int[] {0, 2}, true), () -> of(randn(2, 3, 4))),
                gc("mean dim 0 keepDim strided", in -> in[0].mean(0, true), () -> of(strided(randn(3, 4)))),
                gc("max all", in -> in[0].max(), () -> of(distinct(3, 4))),
                gc("max dim 1", in -> in[0].max(1, false).values(), () -> of(distinct(3, 4))),
                gc("max dim 0 keepDim", in -> in[0].max(0, true).values(), () -> of(distinct(3, 4))),
                gc("max dim 1 strided", in -> in[0].max(1, false).values(), () -> of(strided(distinct(3, 4)))),
                gc("max dim 1 of 3D", in -> in[0].max(1, true).values(), () -> of(distinct(2, 3, 4))),
                gc("min all", in -> in[0].min(), () -> of(distinct(3, 4))),
                gc("min dim 1 keepDim", in -> in[0].min(1, true).values(), () -> of(distinct(3, 4))),
                gc("min dim 0 strided", in -> in[0].min(0, false).values(), () -> of(strided(distinct(3, 4)))),
                gc("var all", in -> in[0].var(), () -> of(randn(3, 4))),
                gc("var dim 1", in -> in[0].var(1, false), () -> of(randn(3, 4))),
                gc("var dim 0 keepDim strided", in -> in[0].var(0, true), () -> of(strided(randn(3, 4)))),
                gc("var dims {0,2} correction 0", in -> in[0].var(new int[] {0, 2}, true, 0),
                        () -> of(randn(2, 3, 4))),
                gc("logsumexp dim 1", in -> in[0].logsumexp(1, false), () -> of(randn(3, 4))),
                gc("logsumexp dim 0 keepDim", in -> in[0].logsumexp(0, true), () -> of(randn(3, 4))),
                gc("logsumexp dim 1 strided", in -> in[0].logsumexp(1, false), () -> of(strided(randn(3, 4)))),
                gc("logsumexp large values", in -> in[0].logsumexp(1, false), () -> of(randn(3, 4).mul(10))));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("reductionCases")
    void reductionsPassGradCheck(Case c) {
        assertGradCheck(c);
    }

    static Stream<Case> softmaxCases() {
        return Stream.of(
                gc("softmax dim 0", in -> in[0].softmax(0), () -> of(randn(3, 4))),
                gc("softmax dim 1", in -> in[0].softmax(1), () -> of(randn(3, 4))),
                gc("softmax dim -1 3D", in -> in[0].softmax(-1), () -> of(randn(2, 3, 4))),
                gc("softmax dim 1 strided", in -> in[0].softmax(1), () -> of(strided(randn(3, 4)))),
                gc("softmax dim 0 strided", in -> in[0].softmax(0), () -> of(strided(randn(3, 4)))),
                gc("logSoftmax dim 0", in -> in[0].logSoftmax(0), () -> of(randn(3, 4))),
                gc("logSoftmax dim 1", in -> in[0].logSoftmax(1), () -> of(randn(3, 4))),
                gc("logSoftmax dim 1 strided", in -> in[0].logSoftmax(1), () -> of(strided(randn(3, 4)))),
                gc("logSoftmax dim 0 strided", in -> in[0].logSoftmax(0), () -> of(strided(randn(3, 4)))),
                gc("logSoftmax dim 1 of 3D", in -> in[0].logSoftmax(1), () -> of(randn(2, 3, 4))),
                gc("logSoftmax dim 1 large logits", in -> in[0].logSoftmax(1), () -> of(randn(3, 4).mul(8))));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("softmaxCases")
    void softmaxFamilyPassesGradCheck(Case c) {
        assertGradCheck(c);
    }

    static Stream<Case> chainCases() {
        Tensor labels = Antorcha.tensor(new long[] {2, 0, 1, 2, 1}, 5, 1);
        return Stream.of(
                gc("linear + relu + logSoftmax", in -> in[0].matmul(in[1].t()).add(in[2]).relu().logSoftmax(1),
                        () -> of(randn(5, 4), randn(3, 4), randn(3))),
                gc("linear + relu + logSoftmax, strided x", in -> in[0].matmul(in[1].t()).add(in[2]).relu().logSoftmax(1),
                        () -> of(strided(randn(5, 4)), randn(3, 4), randn(3))),
                gc("two layers + cross-entropy (logSoftmax, gather, mean)",
                        in -> in[0].matmul(in[1].t()).add(in[2]).tanh().matmul(in[3].t()).logSoftmax(1)
                                .gather(1, labels).neg().mean(),
                        () -> of(randn(5, 4), randn(6, 4), randn(6), randn(3, 6))),
                gc("mse: ((x.W - y)^2).mean()", in -> in[0].matmul(in[1]).sub(in[2]).pow(2).mean(),
                        () -> of(randn(5, 4), randn(4, 2), randn(5, 2))));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("chainCases")
    void composedChainsPassGradCheck(Case c) {
        assertGradCheck(c);
    }
}
