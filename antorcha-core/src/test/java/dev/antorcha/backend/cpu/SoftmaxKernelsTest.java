package dev.antorcha.backend.cpu;

import static org.assertj.core.api.Assertions.assertThat;

import dev.antorcha.Antorcha;
import dev.antorcha.tensor.DType;
import dev.antorcha.tensor.Tensor;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * Softmax and log-softmax over the last dim on their fused kernels against the float64 composition
 * {@code exp(x − max) / Σ exp(x − max)} differentiated by autograd (softmax over another dim still
 * takes that composition, so it serves as the reference after a transpose): random rows, scores
 * of ±100, attention's masked -inf entries, a fully masked row (NaN, as torch), and bitwise the
 * same with one thread or two.
 */
class SoftmaxKernelsTest {

    private static Tensor values(SplittableRandom r, double scale, int rows, int n) {
        float[] v = new float[rows * n];
        for (int i = 0; i < v.length; i++) v[i] = (float) (r.nextGaussian() * scale);
        return Antorcha.tensor(v, rows, n);
    }

    /** Softmax along dim 1 of {@code x [rows, n]} through the composition: x is transposed, normalised along dim 0. */
    private static Tensor reference(Tensor x) {
        return reference(x, false);
    }

    /** As above, or log-softmax through its composition. */
    private static Tensor reference(Tensor x, boolean log) {
        Tensor t = x.transpose(0, 1);
        return (log ? t.logSoftmax(0) : t.softmax(0)).transpose(0, 1);
    }

    private static void assertClose(Tensor actual, Tensor expected, double tol, String what) {
        double[] a = actual.toDoubleArray(), e = expected.toDoubleArray();
        assertThat(a).as(what).hasSameSizeAs(e);
        for (int i = 0; i < a.length; i++) {
            if (Double.isNaN(e[i])) {
                assertThat(a[i]).as("%s [%d]", what, i).isNaN();
                continue;
            }
            assertThat(Math.abs(a[i] - e[i])).as("%s [%d]: %s vs %s", what, i, a[i], e[i]).isLessThanOrEqualTo(tol * (1 + Math.abs(e[i])));
        }
    }

    @Test
    void lastDimSoftmaxAndItsGradientEqualTheFloat64Composition() {
        SplittableRandom r = new SplittableRandom(5);
        int[][] shapes = {{1, 1}, {3, 7}, {64, 64}, {5, 1000}, {300, 200}};
        for (int[] s : shapes) {
            for (double scale : new double[] {1, 100}) {
                for (DType dtype : new DType[] {DType.FLOAT32, DType.FLOAT64}) {
                    for (boolean log : new boolean[] {false, true}) {
                        Tensor x = values(r, scale, s[0], s[1]), g = values(r, 1, s[0], s[1]);
                        Tensor xd = x.to(DType.FLOAT64).requiresGrad(true), xt = x.to(dtype).requiresGrad(true);
                        Tensor ref = reference(xd, log), y = log ? xt.logSoftmax(-1) : xt.softmax(-1);
                        ref.backward(g.to(DType.FLOAT64));
                        y.backward(g.to(dtype));
                        double tol = dtype == DType.FLOAT64 ? 1e-12 : 1e-6;
                        String what = (log ? "log_softmax " : "softmax ") + dtype + " " + s[0] + "x" + s[1] + " scale " + scale;
                        assertClose(y, ref, tol, what + " y");
                        assertClose(xt.grad(), xd.grad(), tol, what + " dx");
                    }
                }
            }
        }
    }

    /** The scalar and the SIMD rows, called directly: the default backend takes only one of them. */
    @Test
    void scalarAndSimdKernelsBothMatchTheComposition() {
        SplittableRandom r = new SplittableRandom(8);
        for (FloatKernels k : KernelsTest.kernels()) {
            CpuBackend be = new CpuBackend(k);
            for (int[] s : new int[][] {{4, 3}, {64, 64}, {7, 37}, {3, 1000}}) {
                for (boolean log : new boolean[] {false, true}) {
                    Tensor x = values(r, 10, s[0], s[1]), g = values(r, 1, s[0], s[1]);
                    Tensor xd = x.to(DType.FLOAT64).requiresGrad(true), ref = reference(xd, log);
                    ref.backward(g.to(DType.FLOAT64));
                    Tensor y = be.empty(DType.FLOAT32, s), dx = be.empty(DType.FLOAT32, s);
                    if (log) {
                        be.logSoftmax(x, y);
                        be.logSoftmaxBackward(y, g, dx);
                    } else {
                        be.softmax(x, y);
                        be.softmaxBackward(y, g, dx);
                    }
                    String what = (log ? "log_softmax " : "softmax ") + k.description() + " " + s[0] + "x" + s[1];
                    assertClose(y, ref, 1e-6, what + " y");
                    assertClose(dx, xd.grad(), 1e-6, what + " dx");
                }
            }
        }
    }

    @Test
    void maskedScoresGiveZeroWeightAndAFullyMaskedRowGivesNaN() {
        float inf = Float.NEGATIVE_INFINITY;
        Tensor x = Antorcha.tensor(new float[] {1, inf, 3, inf, inf, inf, 0, 0, inf}, 3, 3);
        Tensor y = x.softmax(-1);
        double e = Math.exp(-2);
        assertClose(y, Antorcha.tensor(new double[] {e / (1 + e), 0, 1 / (1 + e), Double.NaN, Double.NaN, Double.NaN, 0.5, 0.5, 0}, 3, 3),
                1e-7, "masked");
        assertClose(y, reference(x.to(DType.FLOAT64)), 1e-7, "masked vs composition");
    }

    @Test
    void resultsDoNotDependOnTheNumberOfThreads() {
        int before = Antorcha.getNumThreads();
        try {
            float[][] one = run(1), two = run(2);
            for (int i = 0; i < one.length; i++) assertThat(two[i]).as("output %d", i).isEqualTo(one[i]);
        } finally {
            Antorcha.setNumThreads(before);
        }
    }

    private static float[][] run(int threads) {
        Antorcha.setNumThreads(threads);
        SplittableRandom r = new SplittableRandom(9);
        Tensor x = values(r, 3, 2048, 64).requiresGrad(true), g = values(r, 1, 2048, 64);
        Tensor y = x.softmax(-1);
        y.backward(g);
        Tensor x2 = x.detach().requiresGrad(true), ly = x2.logSoftmax(-1);
        ly.backward(g);
        return new float[][] {y.toFloatArray(), x.grad().toFloatArray(), ly.toFloatArray(), x2.grad().toFloatArray()};
    }
}
