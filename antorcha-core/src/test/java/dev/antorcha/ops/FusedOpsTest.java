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

    /**
     * The bias is added inside the matrix product, by each task to its block of the output once its
     * sums are complete: the same bits as the product followed by a separate addition, for shapes
     * with several k-blocks (in > 256), several column tasks and B blocks (out > 256), rows not a
     * multiple of the tile's, a strided input, and no inner dimension at all.
     */
    @Test
    void linearAddsItsBiasInTheProductWithTheSameBits() {
        Antorcha.manualSeed(9);
        int[][] shapes = {{5, 7, 3}, {64, 28, 256}, {37, 600, 19}, {130, 300, 700}, {13, 9, 2100}, {4, 0, 6}};
        for (dev.antorcha.tensor.DType dt : new dev.antorcha.tensor.DType[] {dev.antorcha.tensor.DType.FLOAT32, dev.antorcha.tensor.DType.FLOAT64}) {
            for (int[] s : shapes) {
                int m = s[0], in = s[1], out = s[2];
                double third = 1.0 / 3;   // full double mantissas, so that float64 sums round
                Tensor x = Antorcha.randn(m, in).to(dt).mul(third), w = Antorcha.randn(out, in).to(dt).mul(third);
                Tensor b = Antorcha.randn(out).to(dt).mul(third);
                Tensor fused = F.linear(x, w, b), composed = x.matmul(w.t()).add(b);
                assertThat(bits(fused)).as("%s %s", dt, java.util.Arrays.toString(s)).containsExactly(bits(composed));
                Tensor xt = Antorcha.randn(in, m).to(dt).mul(third).t();   // strided rows
                assertThat(bits(F.linear(xt, w, b))).as("strided %s %s", dt, java.util.Arrays.toString(s))
                        .containsExactly(bits(xt.matmul(w.t()).add(b)));
            }
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

    /** Whether the graph of {@code t} holds a node named {@code name}. */
    private static boolean graphHas(Tensor t, String name) {
        java.util.ArrayDeque<dev.antorcha.autograd.Node> todo = new java.util.ArrayDeque<>();
        if (t.gradFn() != null) todo.add(t.gradFn());
        while (!todo.isEmpty()) {
            dev.antorcha.autograd.Node n = todo.poll();
            if (n.name().equals(name)) return true;
            for (dev.antorcha.autograd.Node next : n.nextFunctions()) if (next != null) todo.add(next);
        }
        return false;
    }

    private static long[] bits(Tensor t) {
        if (t.dtype() == dev.antorcha.tensor.DType.FLOAT64) {
            return java.util.Arrays.stream(t.toDoubleArray()).mapToLong(Double::doubleToRawLongBits).toArray();
        }
        float[] v = t.toFloatArray();
        long[] b = new long[v.length];
        for (int i = 0; i < v.length; i++) b[i] = Float.floatToRawIntBits(v[i]);
        return b;
    }

    /**
     * nll_loss on log_softmax's output (or a view merging its leading dims, as a language model's
     * {@code out.view(-1, ntokens)}) sends its gradient straight to the log-softmax's input without
     * the dense [N, C] gradient; the loss and the input's gradient keep the composition's bits (the
     * composition forced by a {@code mul(1)} between the two, exact both ways), in float32 and float64,
     * for every reduction, with class weights and with ignored targets.
     */
    @Test
    void nllLossOnLogSoftmaxGivesTheCompositionsBits() {
        Antorcha.manualSeed(7);
        int classes = 37;
        Tensor weight = Antorcha.rand(classes).add(0.5);
        for (dev.antorcha.tensor.DType dtype : new dev.antorcha.tensor.DType[] {dev.antorcha.tensor.DType.FLOAT32, dev.antorcha.tensor.DType.FLOAT64}) {
            for (boolean view : new boolean[] {false, true}) {
                for (Reduction r : Reduction.values()) {
                    for (boolean weighted : new boolean[] {false, true}) {
                        for (long ignore : new long[] {-100, 3}) {
                            Tensor input = Antorcha.randn(view ? new int[] {3, 4, classes} : new int[] {12, classes}).mul(4).to(dtype);
                            input.narrow(-1, 5, 1).fill_(-1e30);   // an exp that underflows to 0
                            Tensor target = Antorcha.rand(12).mul(classes).to(dev.antorcha.tensor.DType.INT64);
                            target.narrow(0, 2, 3).fill_(3);           // ignored rows when ignore is 3
                            Tensor w = weighted ? weight.to(dtype) : null;
                            Tensor x1 = input.detach().requiresGrad(true), x2 = input.detach().requiresGrad(true);
                            Tensor lp1 = x1.logSoftmax(-1), lp2 = x2.logSoftmax(-1).mul(1);
                            Tensor l1 = F.nllLoss(lp1.view(-1, classes), target, w, r, ignore);
                            Tensor l2 = F.nllLoss(lp2.view(-1, classes), target, w, r, ignore);
                            String what = dtype + (view ? " viewed" : "") + " " + r + (weighted ? " weighted" : "") + " ignore " + ignore;
                            assertThat(graphHas(l1, "LogSoftmaxGatherBackward")).as(what).isTrue();
                            assertThat(graphHas(l2, "LogSoftmaxGatherBackward")).as(what).isFalse();
                            assertThat(bits(l1)).as(what).containsExactly(bits(l2));
                            Tensor g = r == Reduction.NONE ? Antorcha.rand(12).to(dtype) : Antorcha.scalar(1.5).to(dtype);
                            l1.backward(g);
                            l2.backward(g);
                            assertThat(bits(x1.grad())).as(what).containsExactly(bits(x2.grad()));
                        }
                    }
                }
            }
        }
    }

    /**
     * Other uses of the log-probabilities still go through log_softmax's own backward, and the two
     * gradients add up at its input; GradCheck (float64, finite differences) on the fused path.
     */
    @Test
    void nllLossOnLogSoftmaxPassesGradCheckAndSharesTheInputsGradient() {
        Antorcha.manualSeed(8);
        Tensor target = Antorcha.tensor(new long[] {0, 4, 2, 2, 1, 3});
        var r = GradCheck.check(in -> {
            Tensor lp = in[0].logSoftmax(-1);
            return F.nllLoss(lp.view(-1, 5), target).add(lp.exp().pow(2).sum().mul(0.25));
        }, Antorcha.randn(2, 3, 5).toDouble());
        assertThat(r.passed()).as(r.toString()).isTrue();
        Tensor x1 = Antorcha.randn(6, 5).requiresGrad(true), x2 = x1.detach().requiresGrad(true);
        Tensor lp1 = x1.logSoftmax(1), lp2 = x2.logSoftmax(1).mul(1);
        Tensor l1 = F.nllLoss(lp1, target).add(lp1.pow(2).sum().mul(0.01));
        Tensor l2 = F.nllLoss(lp2, target).add(lp2.pow(2).sum().mul(0.01));
        assertThat(graphHas(l1, "LogSoftmaxGatherBackward")).isTrue();
        l1.backward();
        l2.backward();
        assertClose(x1.grad(), x2.grad(), 1e-6f);
    }

    @Test
    void reluBackwardIsZeroWhereTheOutputIsNotPositive() {
        // torch: threshold_backward(grad, result, 0) = result <= 0 ? 0 : grad, so NaN passes.
        Tensor x = Antorcha.tensor(new float[] {-2f, -0f, 0f, 1e-30f, 3f, Float.NaN}).requiresGrad(true);
        x.relu().sum().backward();
        assertThat(x.grad().toFloatArray()).containsExactly(0f, 0f, 0f, 1f, 1f, 1f);
    }
}
