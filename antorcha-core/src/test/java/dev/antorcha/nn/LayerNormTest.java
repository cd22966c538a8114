package dev.antorcha.nn;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import dev.antorcha.Antorcha;
import dev.antorcha.autograd.NoGrad;
import dev.antorcha.nn.functional.F;
import dev.antorcha.tensor.DType;
import dev.antorcha.tensor.Tensor;
import org.junit.jupiter.api.Test;

/**
 * LayerNorm against hand-computed groups: the biased variance, eps inside the square root, a large
 * offset that a one-pass variance would lose, the gradients of weight and bias summed over the
 * leading dims, PyTorch's defaults, keys, printed form and argument messages.
 */
class LayerNormTest {
    private static final double EPS = 1e-5;

    private static void assertValues(Tensor t, double tol, double... expected) {
        double[] v = t.toDoubleArray();
        assertThat(v).hasSize(expected.length);
        for (int i = 0; i < v.length; i++) assertThat(v[i]).as("element " + i + " of " + t).isCloseTo(expected[i], within(tol));
    }

    @Test
    void normalisesEachGroupWithTheBiasedVariance() {
        // groups {1, 2, 3, 4} (mean 2.5, biased var 1.25) and {2, 2, 6, 6} (mean 4, var 4)
        Tensor x = Antorcha.tensor(new float[] {1, 2, 3, 4, 2, 2, 6, 6}, 2, 4);
        Tensor y = new LayerNorm(4).forward(x);
        double s = Math.sqrt(1.25 + EPS), t = Math.sqrt(4 + EPS);
        assertValues(y, 1e-6, -1.5 / s, -0.5 / s, 0.5 / s, 1.5 / s, -2 / t, -2 / t, 2 / t, 2 / t);
        assertThat(y.shape().toArray()).containsExactly(2, 4);
        assertThat(y.dtype()).isEqualTo(DType.FLOAT32);
    }

    @Test
    void epsIsInsideTheSquareRoot() {
        // variance 1e-6 < eps: (x - mean) / sqrt(1e-6 + 1e-5), not / (1e-3 + 1e-5)
        Tensor x = Antorcha.tensor(new double[] {-1e-3, 1e-3}, 1, 2);
        Tensor y = F.layerNorm(x, new int[] {2}, null, null, EPS);
        double s = Math.sqrt(1e-6 + EPS);
        assertValues(y, 1e-12, -1e-3 / s, 1e-3 / s);
        assertThat(y.dtype()).isEqualTo(DType.FLOAT64);
    }

    @Test
    void aLargeGroupOffsetDoesNotSpoilTheVariance() {
        // float32 x^2 ~ 1e8 has an ulp of 8: a one-pass E[x^2] - E[x]^2 would lose the variance 0.3125
        Tensor x = Antorcha.tensor(new float[] {10000, 10000.5f, 10001, 10001.5f}, 1, 4);
        double s = Math.sqrt(0.3125 + EPS);
        assertValues(new LayerNorm(4).forward(x), 1e-5, -0.75 / s, -0.25 / s, 0.25 / s, 0.75 / s);
    }

    @Test
    void weightAndBiasScaleAndShiftOverTheLastTwoDims() {
        LayerNorm ln = new LayerNorm(new int[] {2, 2}, 0.0, true);
        try (NoGrad _ = NoGrad.enter()) {
            ln.weight.copy_(Antorcha.tensor(new float[] {1, 2, 3, 4}, 2, 2));
            ln.bias.copy_(Antorcha.tensor(new float[] {0, 0, 1, -1}, 2, 2));
        }
        Tensor x = Antorcha.tensor(new float[] {1, 3, 1, 3, 0, 0, 4, 4}, 2, 2, 2);   // x̂ = -1,1,-1,1 and -1,-1,1,1
        Tensor y = ln.forward(x);
        assertValues(y, 1e-6, -1, 2, -2, 3, -1, -2, 4, 3);
        Tensor g = Antorcha.tensor(new float[] {1, 1, 1, 1, 2, 0, 0, 1}, 2, 2, 2);
        y.backward(g);
        // dweight = Σ_batch g·x̂, dbias = Σ_batch g
        assertValues(ln.weight.grad(), 1e-6, -1 - 2, 1 + 0, -1 + 0, 1 + 1);
        assertValues(ln.bias.grad(), 1e-6, 3, 1, 1, 2);
    }

    @Test
    void float64ModuleComputesInFloat64() {
        LayerNorm ln = new LayerNorm(3);
        ln.to(DType.FLOAT64);
        Tensor x = Antorcha.tensor(new double[] {1, 2, 4}, 3);
        double mean = 7 / 3.0, var = ((1 - mean) * (1 - mean) + (2 - mean) * (2 - mean) + (4 - mean) * (4 - mean)) / 3;
        double s = Math.sqrt(var + EPS);
        Tensor y = ln.forward(x);
        assertThat(y.dtype()).isEqualTo(DType.FLOAT64);
        assertValues(y, 1e-14, (1 - mean) / s, (2 - mean) / s, (4 - mean) / s);
    }

    @Test
    void defaultsKeysAndPrintedForm() {
        LayerNorm ln = new LayerNorm(6);
        assertThat(ln.toString()).isEqualTo("LayerNorm((6,), eps=1e-05, elementwise_affine=True)");
        assertThat(ln.stateDict().keySet()).containsExactly("weight", "bias");
        assertValues(ln.weight, 0, 1, 1, 1, 1, 1, 1);
        assertValues(ln.bias, 0, 0, 0, 0, 0, 0, 0);
        assertThat(new LayerNorm(new int[] {3, 4}, 1e-6, false).toString())
                .isEqualTo("LayerNorm((3, 4), eps=1e-06, elementwise_affine=False)");
        assertThat(new LayerNorm(new int[] {3, 4}, 1e-6, false).stateDict()).isEmpty();
        assertThat(ln.weight.shape().toArray()).containsExactly(6);
    }

    @Test
    void argumentChecksUsePyTorchsMessages() {
        Tensor x = Antorcha.ones(2, 3, 5);
        assertThatThrownBy(() -> new LayerNorm(6).forward(x)).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("Given normalized_shape=[6], expected input with shape [*, 6], but got input of size[2, 3, 5]");
        assertThatThrownBy(() -> F.layerNorm(x, new int[] {5}, Antorcha.ones(4), null, EPS))
                .hasMessage("Expected weight to be of same shape as normalized_shape, but got weight of shape [4] "
                        + "and normalized_shape = [5]");
        assertThatThrownBy(() -> F.layerNorm(x, new int[] {5}, null, Antorcha.ones(1, 5), EPS))
                .hasMessage("Expected bias to be of same shape as normalized_shape, but got bias of shape [1, 5] "
                        + "and normalized_shape = [5]");
        assertThatThrownBy(() -> F.layerNorm(x, new int[] {}, null, null, EPS))
                .hasMessageStartingWith("Expected normalized_shape to be at least 1-dimensional");
        assertThatThrownBy(() -> F.layerNorm(Antorcha.ones(5), new int[] {2, 5}, null, null, EPS))
                .hasMessage("Given normalized_shape=[2, 5], expected input with shape [*, 2, 5], but got input of size[5]");
        assertThatThrownBy(() -> new LayerNorm(-1)).hasMessageContaining("negative dimension -1");
        assertThatThrownBy(() -> F.layerNorm(Antorcha.tensor(new long[] {1, 2}), new int[] {2}, null, null, EPS))
                .hasMessageContaining("not implemented for 'Long'");
    }
}
