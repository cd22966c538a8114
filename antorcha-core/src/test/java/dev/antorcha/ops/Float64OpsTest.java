package dev.antorcha.ops;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.antorcha.Antorcha;
import dev.antorcha.nn.functional.F;
import dev.antorcha.tensor.DType;
import dev.antorcha.tensor.Tensor;
import org.junit.jupiter.api.Test;

/**
 * float64 is computed in double: each result is compared bit for bit with the same expression
 * evaluated by Java in double, on inputs that float32 cannot hold (so a float32 path anywhere
 * would change the last bits), and PyTorch's result dtypes for float32/float64 mixes.
 */
class Float64OpsTest {
    private static final double[] A = {0.1, 1.0 / 3, -2.718281828459045, 1e-9 + 1};
    private static final double[] B = {0.7, -1.0 / 7, 3.141592653589793, 2.5e-11};

    /**
     * A float64 sum over leading dims (a bias gradient) sums each column where it lies: the bits of
     * the same sum over a strided view of the same values, which copies the columns out first.
     */
    @Test
    void sumOverLeadingDimsGivesTheCopysBits() {
        Antorcha.manualSeed(21);
        for (int[] shape : new int[][] {{97, 204}, {5, 3}, {4, 7}, {3, 2, 9}, {8, 5, 2}}) {
            int last = shape.length - 1;
            Tensor x = Antorcha.randn(shape).toDouble().mul(1e3 / 3).add(0.1);   // full double mantissas: sums round
            Tensor strided = x.transpose(0, last).contiguous().transpose(0, last);   // the same values, not contiguous
            assertThat(strided.isContiguous()).isFalse();
            int[] lead = shape.length == 3 ? new int[] {0, 1} : new int[] {0};
            double[] direct = x.sum(lead, false).toDoubleArray(), copied = strided.sum(lead, false).toDoubleArray();
            assertThat(direct.length).isEqualTo(copied.length);
            for (int j = 0; j < direct.length; j++) {
                assertThat(Double.doubleToRawLongBits(direct[j])).as("%s column %d", java.util.Arrays.toString(shape), j)
                        .isEqualTo(Double.doubleToRawLongBits(copied[j]));
            }
        }
    }

    @Test
    void elementWiseOpsAreDoubleArithmetic() {
        Tensor a = Antorcha.tensor(A), b = Antorcha.tensor(B);
        assertThat(a.dtype()).isEqualTo(DType.FLOAT64);
        double[] add = a.add(b).toDoubleArray(), mul = a.mul(b).toDoubleArray(), div = a.div(b).toDoubleArray();
        double[] exp = a.exp().toDoubleArray(), tanh = a.tanh().toDoubleArray(), sig = a.sigmoid().toDoubleArray();
        double[] scaled = a.mul(0.1).toDoubleArray();
        for (int i = 0; i < A.length; i++) {
            assertThat(add[i]).isEqualTo(A[i] + B[i]);
            assertThat(mul[i]).isEqualTo(A[i] * B[i]);
            assertThat(div[i]).isEqualTo(A[i] / B[i]);
            assertThat(exp[i]).isEqualTo(Math.exp(A[i]));
            assertThat(tanh[i]).isEqualTo(Math.tanh(A[i]));
            assertThat(sig[i]).isEqualTo(1.0 / (1.0 + Math.exp(-A[i])));
            assertThat(scaled[i]).as("a python float scales a float64 tensor in double").isEqualTo(A[i] * 0.1);
        }
        assertThat(a.add(b).sum().doubleItem()).isEqualTo((A[0] + B[0] + (A[1] + B[1])) + (A[2] + B[2] + (A[3] + B[3])));
        assertThat(Antorcha.tensor(new double[] {0.1}).add(0.2).doubleItem()).isEqualTo(0.30000000000000004);
    }

    @Test
    void matmulAndReductionsInDouble() {
        Tensor a = Antorcha.tensor(A, 2, 2), b = Antorcha.tensor(B, 2, 2);
        double[] c = a.matmul(b).toDoubleArray();
        assertThat(c).containsExactly(dot(A[0], B[0], A[1], B[2]), dot(A[0], B[1], A[1], B[3]),
                dot(A[2], B[0], A[3], B[2]), dot(A[2], B[1], A[3], B[3]));
        assertThat(a.max().doubleItem()).isEqualTo(A[3]);
        assertThat(a.mean().doubleItem()).isEqualTo(((A[0] + A[1]) + (A[2] + A[3])) / 4);
        assertThat(a.sum(1).toDoubleArray()).containsExactly(A[0] + A[1], A[2] + A[3]);
        assertThat(a.t().contiguous().toDoubleArray()).containsExactly(A[0], A[2], A[1], A[3]);
    }

    /**
     * {@code x0·y0 + x1·y1} as the matrix multiply sums it: a fused multiply-add onto the first
     * product with the SIMD kernels, a product then a sum with the scalar ones.
     */
    private static double dot(double x0, double y0, double x1, double y1) {
        boolean fused = dev.antorcha.backend.cpu.VectorizationProvider.kernels().lanes() > 1;
        return fused ? Math.fma(x1, y1, x0 * y0) : x0 * y0 + x1 * y1;
    }

    @Test
    void resultDtypesFollowPyTorch() {
        Tensor f64 = Antorcha.tensor(A), f32 = Antorcha.tensor(new float[] {1, 2, 3, 4});
        assertThat(f32.add(f64).dtype()).isEqualTo(DType.FLOAT64);
        assertThat(f64.mul(2.5).dtype()).isEqualTo(DType.FLOAT64);
        assertThat(f32.mul(2.5).dtype()).isEqualTo(DType.FLOAT32);
        // a zero-dim float64 tensor does not promote a float32 tensor (same category)
        assertThat(f32.add(Antorcha.tensor(new double[] {0.5}, new int[0])).dtype()).isEqualTo(DType.FLOAT32);
        assertThat(Antorcha.tensor(new long[] {1, 2}).add(Antorcha.tensor(new double[] {0.5, 1})).dtype())
                .isEqualTo(DType.FLOAT64);
        assertThat(f64.gt(0).dtype()).isEqualTo(DType.BOOL);
        assertThat(f64.sum().dtype()).isEqualTo(DType.FLOAT64);
        assertThat(f64.argmax().dtype()).isEqualTo(DType.INT64);
        assertThat(f64.to(DType.FLOAT32).toFloatArray()[0]).isEqualTo(0.1f);
        assertThat(f64.to(DType.INT64).toLongArray()).containsExactly(0, 0, -2, 1);
    }

    @Test
    void mixedDtypesInAProductAreRefusedAsPyTorchDoes() {
        Tensor f64 = Antorcha.tensor(A, 2, 2), f32 = Antorcha.ones(2, 2);
        assertThatThrownBy(() -> f32.matmul(f64)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("expected scalar type Float but found Double");
        assertThatThrownBy(() -> F.linear(f64, f32, null)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("expected scalar type Double but found Float");
    }

    @Test
    void gradientsAreFloat64() {
        Tensor x = Antorcha.tensor(A).requiresGrad(true);
        Tensor w = Antorcha.tensor(B).requiresGrad(true);
        x.mul(w).exp().sum().backward();
        assertThat(x.grad().dtype()).isEqualTo(DType.FLOAT64);
        double[] gx = x.grad().toDoubleArray();
        for (int i = 0; i < A.length; i++) assertThat(gx[i]).isEqualTo(Math.exp(A[i] * B[i]) * B[i]);
        // through a dtype conversion the gradient comes back in the input's dtype
        Tensor f = Antorcha.tensor(new float[] {0.5f, 2f}).requiresGrad(true);
        f.to(DType.FLOAT64).mul(Antorcha.tensor(new double[] {0.1, 0.3})).sum().backward();
        assertThat(f.grad().dtype()).isEqualTo(DType.FLOAT32);
        assertThat(f.grad().toFloatArray()).containsExactly(0.1f, 0.3f);
    }

    @Test
    void crossEntropyInDouble() {
        double[] logits = {0.1, 2.0 / 3, -1.25, 800, 801, 799};
        Tensor x = Antorcha.tensor(logits, 2, 3).requiresGrad(true);
        Tensor loss = F.crossEntropy(x, Antorcha.tensor(new long[] {2, 1}));
        double r0 = Math.log(Math.exp(0.1 - 2.0 / 3) + 1 + Math.exp(-1.25 - 2.0 / 3)) + 2.0 / 3 + 1.25;
        double r1 = Math.log(Math.exp(-1) + 1 + Math.exp(-2));
        assertThat(loss.dtype()).isEqualTo(DType.FLOAT64);
        assertThat(loss.doubleItem()).isCloseTo((r0 + r1) / 2, org.assertj.core.data.Offset.offset(1e-15));
        loss.backward();
        assertThat(x.grad().dtype()).isEqualTo(DType.FLOAT64);
    }
}
