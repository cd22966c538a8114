package dev.antorcha.nn;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import dev.antorcha.Antorcha;
import dev.antorcha.autograd.GradCheck;
import dev.antorcha.autograd.NoGrad;
import dev.antorcha.tensor.Tensor;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Each layer's forward against hand-computed values; Dropout's statistics; gradients. */
class LayersTest {
    private static final float LN2 = (float) Math.log(2), LN3 = (float) Math.log(3), LN5 = (float) Math.log(5);

    private static void assertValues(Tensor t, int[] shape, double tol, double... expected) {
        assertThat(t.shape().toArray()).containsExactly(shape);
        float[] v = t.toFloatArray();
        assertThat(v).hasSize(expected.length);
        for (int i = 0; i < v.length; i++) assertThat((double) v[i]).as("element " + i).isCloseTo(expected[i], within(tol));
    }

    private static Tensor vec(float... v) {
        return Antorcha.tensor(v);
    }

    @Test
    void linearComputesXWTransposedPlusB() {
        Linear l = new Linear(2, 3);
        l.loadStateDict(Map.of("weight", Antorcha.tensor(new float[][] {{1, 2}, {3, 4}, {5, 6}}),
                "bias", vec(0.5f, -1, 0)), true);
        Tensor x = Antorcha.tensor(new float[][] {{1, 1}, {2, -1}});
        // [1,1]·Wᵀ + b = [3.5, 6, 11];  [2,-1]·Wᵀ + b = [0.5, 1, 4]
        assertValues(l.forward(x), new int[] {2, 3}, 0, 3.5, 6, 11, 0.5, 1, 4);
        // [*, in] → [*, out]: a leading batch dim of 2 around the same rows.
        Tensor x3 = Antorcha.tensor(new float[] {1, 1, 2, -1, 1, 1, 2, -1}, 2, 2, 2);
        assertValues(l.forward(x3), new int[] {2, 2, 3}, 0, 3.5, 6, 11, 0.5, 1, 4, 3.5, 6, 11, 0.5, 1, 4);
        Linear noBias = new Linear(2, 3, false);
        assertThat(noBias.bias).isNull();
        assertThat(noBias.namedParameters().keySet()).containsExactly("weight");
        // torch: nn.Linear(2, 3)(torch.zeros(4, 5)) -> "mat1 and mat2 shapes cannot be multiplied (4x5 and 2x3)"
        assertThatThrownBy(() -> l.forward(Antorcha.zeros(4, 5)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("mat1 and mat2 shapes cannot be multiplied (4x5 and 2x3)");
        assertThatThrownBy(() -> new Linear(0, 3)).isInstanceOf(IllegalArgumentException.class).hasMessageContaining("in_features=0");
    }

    @Test
    void activations() {
        Tensor x = vec(-2, -0.5f, 0, 0.5f, 3);
        int[] s = {5};
        assertValues(new ReLU().forward(x), s, 0, 0, 0, 0, 0.5, 3);
        assertValues(new LeakyReLU(0.1).forward(x), s, 1e-7, -0.2, -0.05, 0, 0.5, 3);
        assertValues(new LeakyReLU().forward(x), s, 1e-8, -0.02, -0.005, 0, 0.5, 3);
        // σ(ln 3) = 3/4, σ(−ln 3) = 1/4; tanh(ln 2) = (4 − 1)/(4 + 1) = 0.6
        assertValues(new Sigmoid().forward(vec(0, LN3, -LN3, 100, -100)), s, 1e-7, 0.5, 0.75, 0.25, 1, 0);
        assertValues(new Tanh().forward(vec(0, LN2, -LN2, 50, -50)), s, 1e-7, 0, 0.6, -0.6, 1, -1);
        assertThat(new Identity().forward(x)).isSameAs(x);
    }

    @Test
    void softmaxAndLogSoftmax() {
        // exp(0), exp(ln 2), exp(ln 5) = 1, 2, 5 → / 8; a constant row → 1/3 each.
        Tensor x = Antorcha.tensor(new float[][] {{0, LN2, LN5}, {7, 7, 7}});
        double third = 1.0 / 3;
        assertValues(new Softmax(1).forward(x), new int[] {2, 3}, 1e-7, 0.125, 0.25, 0.625, third, third, third);
        assertValues(new LogSoftmax(1).forward(x), new int[] {2, 3}, 2e-7,
                Math.log(0.125), Math.log(0.25), Math.log(0.625), Math.log(third), Math.log(third), Math.log(third));
        assertValues(new Softmax(-1).forward(x), new int[] {2, 3}, 1e-7, 0.125, 0.25, 0.625, third, third, third);
        // dim 0: columns (0, 7), (ln2, 7), (ln5, 7)
        double e7 = Math.exp(7);
        assertValues(new Softmax(0).forward(x), new int[] {2, 3}, 1e-7,
                1 / (1 + e7), 2 / (2 + e7), 5 / (5 + e7), e7 / (1 + e7), e7 / (2 + e7), e7 / (5 + e7));
        // Large logits stay finite: log_softmax([1000, 0]) = [0, −1000].
        assertValues(new LogSoftmax(1).forward(Antorcha.tensor(new float[][] {{1000, 0}})), new int[] {1, 2}, 1e-4, 0, -1000);
    }

    @Test
    void flattenShapesAndOrder() {
        Tensor x = Antorcha.arange(0, 120, 1).view(2, 3, 4, 5);
        assertThat(new Flatten().forward(x).shape().toArray()).containsExactly(2, 60);
        assertThat(new Flatten(0, -1).forward(x).shape().toArray()).containsExactly(120);
        assertThat(new Flatten(1, 2).forward(x).shape().toArray()).containsExactly(2, 12, 5);
        assertThat(new Flatten(2, 3).forward(x).shape().toArray()).containsExactly(2, 3, 20);
        // torch: nn.Flatten()(torch.zeros(7)) -> IndexError "Dimension out of range (expected to be in range of [-1, 0], but got 1)"
        assertThatThrownBy(() -> new Flatten().forward(Antorcha.zeros(7)))
                .hasMessageContaining("Dimension out of range (expected to be in range of [-1, 0], but got 1)");
        // torch: nn.Flatten(0, -1)(torch.tensor(3.)).shape == torch.Size([1])
        assertThat(new Flatten(0, -1).forward(Antorcha.scalar(3)).shape().toArray()).containsExactly(1);
        // Row-major order is kept, also for a non-contiguous input: x.transpose(1, 3) flattened from dim 1.
        Tensor t = x.transpose(1, 3);
        float[] got = new Flatten().forward(t).toFloatArray();
        for (int n = 0; n < 2; n++)
            for (int d = 0; d < 5; d++)
                for (int c = 0; c < 4; c++)
                    for (int b = 0; b < 3; b++)
                        assertThat(got[n * 60 + d * 12 + c * 3 + b]).isEqualTo(n * 60 + b * 20 + c * 5 + d);
    }

    @Test
    void dropoutInEvalIsTheIdentity() {
        Dropout d = new Dropout(0.5);
        d.eval();
        Tensor x = Antorcha.randn(1000);
        assertThat(d.forward(x).toFloatArray()).containsExactly(x.toFloatArray());
        // eval() on a parent reaches the dropout inside it.
        Sequential s = new Sequential(new Identity(), new Dropout(0.9));
        s.eval();
        assertThat(s.forward(x).toFloatArray()).containsExactly(x.toFloatArray());
    }

    @Test
    void dropoutZeroesAboutPAndScalesSurvivorsByOneOverOneMinusP() {
        int n = 200_000;
        for (double p : new double[] {0.1, 0.3, 0.5, 0.8}) {
            Antorcha.manualSeed(42);
            Tensor x = Antorcha.rand(n).add(0.5);           // in [0.5, 1.5): no zeros of its own
            float[] in = x.toFloatArray(), out = new Dropout(p).forward(x).toFloatArray();
            float scale = (float) (1 / (1 - p));              // torch: noise.bernoulli_(1-p).div_(1-p); input * noise
            int zeros = 0;
            for (int i = 0; i < n; i++) {
                if (out[i] == 0) zeros++;
                else assertThat(out[i]).as("p=%s survivor %d", p, i).isEqualTo(in[i] * scale);
            }
            double sd = Math.sqrt(p * (1 - p) / n);
            assertThat((double) zeros / n).as("dropped fraction for p=" + p).isCloseTo(p, within(6 * sd));
        }
    }

    @Test
    void dropoutIsDeterministicUnderASeedAndItsGradientIsTheMask() {
        Tensor x = Antorcha.rand(5000).add(1);
        Antorcha.manualSeed(3);
        float[] a = new Dropout(0.4).forward(x).toFloatArray();
        Antorcha.manualSeed(3);
        Tensor leaf = x.detach().requiresGrad(true);
        Tensor y = new Dropout(0.4).forward(leaf);
        assertThat(y.toFloatArray()).containsExactly(a);
        assertThat(new Dropout(0.4).forward(x).toFloatArray()).as("the next call draws a new mask").isNotEqualTo(a);
        y.sum().backward();
        float[] g = leaf.grad().toFloatArray();
        float scale = (float) (1 / 0.6);
        for (int i = 0; i < a.length; i++) assertThat(g[i]).isEqualTo(a[i] == 0 ? 0f : scale);
    }

    /**
     * float32 dropout is one fused pass: the same bits as the composition it replaces, {@code x *
     * (rand >= p).float() * (1 / (1 - p))} op by op from the same draws, forward and backward, on a
     * strided view too, with NaN and infinity kept as x * 0 gives them.
     */
    @Test
    void fusedDropoutGivesTheCompositionsBits() {
        for (double p : new double[] {0.25, 0.5, 0.1, 0.3, 0.7}) {
            Tensor base = Antorcha.randn(40, 30);
            base.narrow(0, 3, 1).fill_(Float.NaN);
            base.narrow(0, 4, 1).fill_(Float.POSITIVE_INFINITY);
            Tensor xs = base.t();   // a strided view
            Tensor leaf = xs.detach().requiresGrad(true);
            Tensor weights = Antorcha.randn(30, 40);
            dev.antorcha.tensor.Generator g1 = new dev.antorcha.tensor.Generator(77), g2 = new dev.antorcha.tensor.Generator(77);
            Tensor fused = dev.antorcha.nn.functional.F.dropout(leaf, p, true, g1);
            fused.mul(weights).sum().backward();
            Tensor keep = dev.antorcha.tensor.Factory.rand(g2, 30, 40).ge(p).to(dev.antorcha.tensor.DType.FLOAT32).mul(1.0 / (1.0 - p));
            Tensor leaf2 = xs.detach().requiresGrad(true);
            Tensor composed = leaf2.mul(keep);
            composed.mul(weights).sum().backward();
            assertThat(fused.toFloatArray()).as("p %s", p).containsExactly(composed.toFloatArray());
            assertThat(leaf.grad().toFloatArray()).as("p %s, gradient", p).containsExactly(leaf2.grad().toFloatArray());
        }
    }

    @Test
    void dropoutEdgeProbabilities() {
        Tensor x = Antorcha.randn(100);
        assertThat(new Dropout(0).forward(x).toFloatArray()).containsExactly(x.toFloatArray());
        // torch: F.dropout(x, 1.0) = x * 0, so negative inputs give -0.0
        for (float v : new Dropout(1).forward(x).toFloatArray()) assertThat(v == 0f).isTrue();
        // torch: nn.Dropout(1.5) -> "dropout probability has to be between 0 and 1, but got 1.5"
        assertThatThrownBy(() -> new Dropout(1.5)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("dropout probability has to be between 0 and 1, but got 1.5");
        assertThatThrownBy(() -> new Dropout(-0.1)).hasMessageContaining("-0.1");
    }

    @Test
    void leakyReluGradientIsTheSlopeBelowZero() {
        Tensor x = vec(-3, -1, -0.25f, 0, 0.25f, 2).requiresGrad(true);
        new LeakyReLU(0.2).forward(x).sum().backward();
        // torch: leaky_relu backward is grad where x > 0, else grad * negative_slope (also at 0)
        assertValues(x.grad(), new int[] {6}, 1e-7, 0.2, 0.2, 0.2, 0.2, 1, 1);
        Tensor away = Antorcha.tensor(new float[] {-2, -0.7f, -0.1f, 0.1f, 0.6f, 1.9f, -1.3f, 2.4f}, 2, 4);
        GradCheck.Result r = GradCheck.check(in -> new LeakyReLU(0.2).forward(in[0]), away);
        assertThat(r.passed()).as(r.message()).isTrue();
    }

    @Test
    void smoothActivationsPassGradCheck() {
        Antorcha.manualSeed(5);
        Module[] layers = {new Sigmoid(), new Tanh(), new Softmax(1), new LogSoftmax(1), new Softmax(0),
                new Sequential(new Linear(4, 3), new Tanh(), new Linear(3, 2))};
        for (Module m : layers) {
            Tensor x = Antorcha.randn(3, 4).mul(2);
            GradCheck.Result r = GradCheck.check(in -> m.forward(in[0]), x);
            assertThat(r.passed()).as(m + ": " + r.message()).isTrue();
        }
    }

    @Test
    void linearGradientsAreThoseOfXWtPlusB() {
        Linear l = new Linear(3, 2);
        Tensor x = Antorcha.tensor(new float[][] {{1, 2, 3}, {-1, 0, 4}});
        l.forward(x).sum().backward();
        // d/dW sum(x Wᵀ + b) = column sums of x for every output row; d/db = batch size.
        assertValues(l.weight.grad(), new int[] {2, 3}, 0, 0, 2, 7, 0, 2, 7);
        assertValues(l.bias.grad(), new int[] {2}, 0, 2, 2);
        try (NoGrad _ = Antorcha.noGrad()) {
            assertThat(l.forward(x).requiresGrad()).isFalse();
        }
    }
}
