package dev.antorcha.ops;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.antorcha.Antorcha;
import dev.antorcha.autograd.GradCheck;
import dev.antorcha.nn.Reduction;
import dev.antorcha.nn.functional.F;
import dev.antorcha.tensor.Tensor;
import org.junit.jupiter.api.Test;

/** The fused primitives against the compositions they replace: same values, same gradients. */
class FusedOpsTest {

    private static void assertClose(Tensor actual, Tensor expected, float tol) {
        assertThat(actual.shape()).isEqualTo(expected.shape());
        float[] a = actual.toFloatArray(), e = expected.toFloatArray();
        for (int i = 0; i < a.length; i++) {
            assertThat(a[i]).as("element %d", i).isCloseTo(e[i], org.assertj.core.data.Offset.offset(tol * Math.max(1, Math.abs(e[i]))));
        }
    }

    @Test
    void linearMatchesMatmulPlusBiasWithGradients() {
        Antorcha.manualSeed(3);
        for (int[] xShape : new int[][] {{5, 7}, {2, 3, 7}}) {
            Tensor x1 = Antorcha.randn(xShape).requiresGrad(true), w1 = Antorcha.randn(4, 7).requiresGrad(true);
            Tensor b1 = Antorcha.randn(4).requiresGrad(true);
            Tensor x2 = x1.detach().clone().requiresGrad(true), w2 = w1.detach().clone().requiresGrad(true);
            Tensor b2 = b1.detach().clone().requiresGrad(true);
            Tensor g = Antorcha.randn(xShape.length == 2 ? new int[] {5, 4} : new int[] {2, 3, 4});
            Tensor fused = F.linear(x1, w1, b1);
            Tensor composed = x2.matmul(w2.t()).add(b2);
            assertThat(fused.gradFn().name()).isEqualTo("AddmmBackward0");
            assertClose(fused, composed, 1e-5f);
            fused.backward(g);
            composed.backward(g);
            assertClose(x1.grad(), x2.grad(), 1e-5f);
            assertClose(w1.grad(), w2.grad(), 1e-5f);
            assertClose(b1.grad(), b2.grad(), 1e-5f);
        }
    }

    @Test
    void linearPassesGradCheckWithAndWithoutBiasAndOnAStridedInput() {
        Antorcha.manualSeed(4);
        Tensor x = Antorcha.randn(7, 5).t().detach().requiresGrad(true);   // [5, 7], strided
        Tensor w = Antorcha.randn(3, 7), b = Antorcha.randn(3);
        var r = GradCheck.check(in -> F.linear(in[0], in[1], in[2]), x, w, b);
        assertThat(r.passed()).as(r.toString()).isTrue();
        var r2 = GradCheck.check(in -> F.linear(in[0], in[1], null), Antorcha.randn(2, 3, 7), Antorcha.randn(4, 7));
        assertThat(r2.passed()).as(r2.toString()).isTrue();
    }

    /** The composition the fused cross-entropy replaces. */
    private static Tensor composed(Tensor logits, Tensor target, Reduction r, long ignore) {
        Tensor valid = target.ne((double) ignore);
        Tensor safe = target.where(valid, Antorcha.tensor(new long[] {0}, new int[0]));
        Tensor nll = logits.logSoftmax(1).gather(1, safe.unsqueeze(1)).squeeze(1).neg().mul(valid.to(dev.antorcha.tensor.DType.FLOAT32));
        return switch (r) {
            case NONE -> nll;
            case SUM -> nll.sum();
            case MEAN -> nll.sum().div(valid.to(dev.antorcha.tensor.DType.FLOAT32).sum());
        };
    }

    @Test
    void crossEntropyMatchesLogSoftmaxGatherForEveryReductionAndIgnoreIndex() {
        Antorcha.manualSeed(5);
        float[] big = Antorcha.randn(6, 4).mul(30).toFloatArray();
        big[0] = 100f;   // a row near +100 and a target logit near -80
        big[5] = -80f;
        for (Reduction r : Reduction.values()) {
            for (long ignore : new long[] {-100, 2}) {
                Tensor l1 = Antorcha.tensor(big, 6, 4).requiresGrad(true), l2 = Antorcha.tensor(big, 6, 4).requiresGrad(true);
                Tensor t = Antorcha.tensor(new long[] {1, 1, 2, 3, 0, 2});
                Tensor fused = F.crossEntropy(l1, t, r, ignore, 0), comp = composed(l2, t, r, ignore);
                assertClose(fused, comp, 1e-5f);
                Tensor g = r == Reduction.NONE ? Antorcha.rand(6) : Antorcha.scalar(1.5);
                fused.backward(g);
                comp.backward(g);
                assertClose(l1.grad(), l2.grad(), 1e-5f);
            }
        }
    }

    @Test
    void crossEntropyPassesGradCheckAndRejectsBadTargets() {
        Antorcha.manualSeed(6);
        Tensor t = Antorcha.tensor(new long[] {0, 2, 1});
        var r = GradCheck.check(in -> F.crossEntropy(in[0], t), Antorcha.randn(3, 4));
        assertThat(r.passed()).as(r.toString()).isTrue();
        assertThatThrownBy(() -> F.crossEntropy(Antorcha.randn(3, 4), Antorcha.tensor(new long[] {0, 4, 1})))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("Target 4 is out of bounds");
    }

    @Test
    void reluBackwardIsZeroWhereTheOutputIsNotPositive() {
        // torch: threshold_backward(grad, result, 0) = result <= 0 ? 0 : grad, so NaN passes.
        Tensor x = Antorcha.tensor(new float[] {-2f, -0f, 0f, 1e-30f, 3f, Float.NaN}).requiresGrad(true);
        x.relu().sum().backward();
        assertThat(x.grad().toFloatArray()).containsExactly(0f, 0f, 0f, 1f, 1f, 1f);
    }
}
