package dev.antorcha.ops;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.antorcha.Antorcha;
import dev.antorcha.tensor.DType;
import dev.antorcha.tensor.Tensor;
import org.junit.jupiter.api.Test;

/**
 * softmax and log_softmax on bfloat16 compute in float32 and round once. References: the exact
 * values (computed here in double from the bfloat16 inputs) and PyTorch 1.13's CPU results on the
 * same inputs ({@code torch.softmax(x, 1)}, {@code torch.log_softmax(x, 1)}, then {@code backward(g)}).
 * PyTorch's bfloat16 kernels round some intermediates (log_softmax's sum and its log) to bfloat16,
 * so where those roundings matter its results are farther from the exact ones than ours.
 */
class Bfloat16SoftmaxTest {
    private static final float[] X = {1.0f, 2.0f, 3.0f, -1.5f, 0.1f, 0.25f, 0.5f, 10.0f, -3.0f, 7.3f};
    private static final float[] G = {1.0f, -2.0f, 0.5f, 0.0f, 3.0f, 0.5f, 0.25f, -1.0f, 2.0f, 1.0f};

    private static Tensor x() {
        return Antorcha.tensor(X, 2, 5).to(DType.BFLOAT16).requiresGrad(true);
    }

    private static Tensor g() {
        return Antorcha.tensor(G, 2, 5).to(DType.BFLOAT16);
    }

    /** The bfloat16 inputs, as doubles. */
    private static double[] bf(float[] v) {
        float[] r = Antorcha.tensor(v).to(DType.BFLOAT16).toFloatArray();
        double[] d = new double[r.length];
        for (int i = 0; i < r.length; i++) d[i] = r[i];
        return d;
    }

    /** Exact softmax (log = false) or log-softmax of each row of 5, and their gradients for upstream {@code g}. */
    private static double[][] exact(boolean log) {
        double[] x = bf(X), g = bf(G), y = new double[10], dx = new double[10];
        for (int r = 0; r < 2; r++) {
            double max = Double.NEGATIVE_INFINITY, sum = 0, gsum = 0, gy = 0;
            for (int j = 0; j < 5; j++) max = Math.max(max, x[5 * r + j]);
            for (int j = 0; j < 5; j++) sum += Math.exp(x[5 * r + j] - max);
            for (int j = 0; j < 5; j++) {
                double p = Math.exp(x[5 * r + j] - max) / sum;
                y[5 * r + j] = log ? Math.log(p) : p;
                gsum += g[5 * r + j];
                gy += g[5 * r + j] * p;
            }
            for (int j = 0; j < 5; j++) {
                double p = Math.exp(x[5 * r + j] - max) / sum;
                dx[5 * r + j] = log ? g[5 * r + j] - p * gsum : p * (g[5 * r + j] - gy);
            }
        }
        return new double[][] {y, dx};
    }

    @Test
    void softmaxIsTheExactValueRoundedAndPyTorchs() {
        Tensor x = x();
        Tensor y = x.softmax(1);
        assertThat(y.dtype()).isEqualTo(DType.BFLOAT16);
        y.backward(g());
        assertThat(x.grad().dtype()).isEqualTo(DType.BFLOAT16);
        double[][] e = exact(false);
        within(y.toFloatArray(), e[0], 1);
        within(x.grad().toFloatArray(), e[1], 1);
        assertThat(y.toFloatArray()).containsExactly(0.08642578125f, 0.234375f, 0.63671875f, 0.007080078125f, 0.03515625f,
                5.459785461425781e-05f, 7.009506225585938e-05f, 0.9375f, 2.115964889526367e-06f, 0.0634765625f);
        relative(x.grad().toFloatArray(), 0.03, 0.0830078125f, -0.478515625f, 0.291015625f, -0.000293731689453125f,
                0.10400390625f, 7.486343383789062e-05f, 7.867813110351562e-05f, -0.1171875f, 6.079673767089844e-06f,
                0.119140625f);
    }

    @Test
    void logSoftmaxIsTheExactValueRoundedAndNearPyTorchs() {
        Tensor x = x();
        Tensor y = x.logSoftmax(1);
        assertThat(y.dtype()).isEqualTo(DType.BFLOAT16);
        y.backward(g());
        double[][] e = exact(true);
        within(y.toFloatArray(), e[0], 1);
        within(x.grad().toFloatArray(), e[1], 1);
        // PyTorch rounds the row's sum of exponentials to bfloat16 (1.068 -> 1.0703): -0.0679 where exact is -0.0659
        relative(y.toFloatArray(), 0.03, -2.453125f, -1.453125f, -0.451171875f, -4.9375f, -3.34375f,
                -9.8125f, -9.5625f, -0.06787109375f, -13.0625f, -2.75f);
        relative(x.grad().toFloatArray(), 0.03, 0.78515625f, -2.578125f, -1.09375f, -0.0179443359375f, 2.90625f,
                0.5f, 0.25f, -3.5625f, 2.0f, 0.82421875f);
    }

    @Test
    void float16IsRefusedAsPyTorch113RefusesIt() {
        Tensor h = Antorcha.tensor(X, 2, 5).to(DType.FLOAT16);
        assertThatThrownBy(() -> h.softmax(1)).isInstanceOf(IllegalArgumentException.class).hasMessageContaining("float16");
        assertThatThrownBy(() -> h.logSoftmax(1)).isInstanceOf(IllegalArgumentException.class).hasMessageContaining("float16");
    }

    /** Within {@code ulps} bfloat16 places (8 significant bits) of the exact values. */
    private static void within(float[] actual, double[] exact, int ulps) {
        for (int i = 0; i < exact.length; i++) {
            double ulp = Math.ulp((float) exact[i]) * (1 << 16);
            assertThat(Math.abs(actual[i] - exact[i])).as("element %d: %s vs exact %s", i, actual[i], exact[i])
                    .isLessThanOrEqualTo(ulps * ulp);
        }
    }

    private static void relative(float[] actual, double tol, float... expected) {
        for (int i = 0; i < expected.length; i++) {
            assertThat((double) actual[i]).as("element %d vs PyTorch's %s", i, expected[i])
                    .isCloseTo(expected[i], org.assertj.core.data.Offset.offset(tol * Math.abs(expected[i]) + 1e-9));
        }
    }
}
