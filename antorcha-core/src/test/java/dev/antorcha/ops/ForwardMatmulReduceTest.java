package dev.antorcha.ops;

import dev.antorcha.backend.cpu.CpuStorage;
import static dev.antorcha.ops.OpsTestSupport.assertValues;
import static dev.antorcha.ops.OpsTestSupport.doubles;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import dev.antorcha.Antorcha;
import dev.antorcha.tensor.DType;
import dev.antorcha.tensor.Tensor;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** Forward values of matmul (vs a naive double loop), reductions, and the softmax family. */
class ForwardMatmulReduceTest {

    /** Naive batched product in double: a [B, m, k] · b [B, k, n], row-major arrays. */
    private static double[] naive(double[] a, double[] b, int batch, int m, int k, int n, boolean bBroadcast) {
        double[] c = new double[batch * m * n];
        for (int t = 0; t < batch; t++) {
            for (int i = 0; i < m; i++) {
                for (int j = 0; j < n; j++) {
                    double s = 0;
                    for (int p = 0; p < k; p++) {
                        s += a[t * m * k + i * k + p] * b[(bBroadcast ? 0 : t * k * n) + p * n + j];
                    }
                    c[t * m * n + i * n + j] = s;
                }
            }
        }
        return c;
    }

    private static void assertClose(Tensor out, int[] shape, double[] want, int k) {
        assertThat(out.dtype()).isEqualTo(DType.FLOAT32);
        assertValues(out, shape, 2e-5 * Math.sqrt(k) * 4, want);
    }

    @Test
    void matmulVectorForms() {
        Antorcha.manualSeed(1);
        Tensor u = Antorcha.randn(5), v = Antorcha.randn(5), m = Antorcha.randn(5, 3), w = Antorcha.randn(3, 5);
        double[] du = doubles(u), dv = doubles(v);
        Tensor dot = u.matmul(v);
        assertThat(dot.dim()).isZero();
        double want = 0;
        for (int i = 0; i < 5; i++) want += du[i] * dv[i];
        assertThat((double) dot.item()).isCloseTo(want, within(1e-5));
        // 1D·2D: u as a row vector, the dim removed again -> [3]
        assertClose(u.matmul(m), new int[] {3}, naive(du, doubles(m), 1, 1, 5, 3, false), 5);
        // 2D·1D: v as a column vector -> [3]
        assertClose(w.matmul(v), new int[] {3}, naive(doubles(w), dv, 1, 3, 5, 1, false), 5);
        assertThatThrownBy(() -> u.matmul(Antorcha.randn(4)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("5").hasMessageContaining("4");
    }

    static Stream<Arguments> matrixShapes() {
        return Stream.of(
                Arguments.of(1, 3, 4, 2, false), Arguments.of(1, 7, 13, 9, false), Arguments.of(1, 1, 1, 1, false),
                Arguments.of(4, 3, 4, 2, false),   // 3D·3D
                Arguments.of(4, 5, 6, 7, true),    // 3D·2D (b broadcast over the batch)
                // beyond the packing blocks (KC 256, NC 512) and the parallel threshold
                Arguments.of(1, 33, 300, 530, false));
    }

    @ParameterizedTest(name = "batch {0}: [{1}x{2}]·[{2}x{3}] b2D={4}")
    @MethodSource("matrixShapes")
    void matmulMatchesNaiveLoop(int batch, int m, int k, int n, boolean b2d) {
        Antorcha.manualSeed(m * 1000L + k);
        Tensor a = batch == 1 ? Antorcha.randn(m, k) : Antorcha.randn(batch, m, k);
        Tensor b = b2d || batch == 1 ? Antorcha.randn(k, n) : Antorcha.randn(batch, k, n);
        int[] shape = batch == 1 ? new int[] {m, n} : new int[] {batch, m, n};
        double[] want = naive(doubles(a), doubles(b), batch, m, k, n, b2d);
        assertClose(a.matmul(b), shape, want, k);
        if (batch == 1) assertClose(a.mm(b), shape, want, k);
        // transposed (strided) operands give the same result without a copy
        Tensor at = a.transpose(-1, -2).contiguousCopy().transpose(-1, -2);
        Tensor bt = b.transpose(-1, -2).contiguousCopy().transpose(-1, -2);
        if (m > 1 && k > 1) assertThat(at.isContiguous()).isFalse();
        assertClose(at.matmul(bt), shape, want, k);
    }

    @Test
    void matmulBroadcastsBatchDims() {
        Antorcha.manualSeed(2);
        Tensor a = Antorcha.randn(2, 1, 3, 4), b = Antorcha.randn(5, 4, 2);
        Tensor out = a.matmul(b);
        assertThat(out.shape().toArray()).containsExactly(2, 5, 3, 2);
        double[] da = doubles(a), db = doubles(b), o = doubles(out);
        for (int i = 0; i < 2; i++) {
            for (int j = 0; j < 5; j++) {
                for (int r = 0; r < 3; r++) {
                    for (int c = 0; c < 2; c++) {
                        double s = 0;
                        for (int p = 0; p < 4; p++) s += da[i * 12 + r * 4 + p] * db[j * 8 + p * 2 + c];
                        assertThat(o[((i * 5 + j) * 3 + r) * 2 + c]).isCloseTo(s, within(1e-5));
                    }
                }
            }
        }
    }

    @Test
    void matmulHandValues() {
        Tensor a = Antorcha.tensor(new float[][] {{1, 2}, {3, 4}, {5, 6}});
        Tensor b = Antorcha.tensor(new float[][] {{7, 8, 9}, {10, 11, 12}});
        assertValues(a.matmul(b), new int[] {3, 3}, 0, 27, 30, 33, 61, 68, 75, 95, 106, 117);
        assertValues(a.t().matmul(a), new int[] {2, 2}, 0, 35, 44, 44, 56);
    }

    @Test
    void mmShapeErrorsNameBothShapes() {
        assertThatThrownBy(() -> Antorcha.zeros(128, 784).mm(Antorcha.zeros(100, 784)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("mat1 and mat2 shapes cannot be multiplied (128x784 and 100x784)");
        assertThatThrownBy(() -> Antorcha.zeros(3).mm(Antorcha.zeros(3, 3)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("matrix");
    }

    /** x[i][j][k] = distinct values, reductions compared with loops over the logical index. */
    @Test
    void reductionsOverDimsWithKeepDimShapes() {
        Tensor x = Antorcha.tensor(new float[] {
                3, -1, 4, 1, 5, -9, 2, 6, 5, 3, 5, 8,
                9, 7, 9, 3, -2, 3, 8, 4, 6, 2, 6, 4}, 2, 3, 4);
        // sum over dim 1 -> [2,4]
        assertValues(x.sum(1), new int[] {2, 4}, 0, 13, -7, 11, 15, 13, 12, 23, 11);
        assertValues(x.sum(1, true), new int[] {2, 1, 4}, 0, 13, -7, 11, 15, 13, 12, 23, 11);
        assertValues(x.sum(new int[] {0, 2}, false), new int[] {3}, 0, 35, 17, 39);
        assertValues(x.sum(new int[] {0, 2}, true), new int[] {1, 3, 1}, 0, 35, 17, 39);
        assertValues(x.sum(-1), new int[] {2, 3}, 0, 7, 4, 21, 28, 13, 18);
        assertValues(x.sum(), new int[] {}, 0, 91);
        assertValues(x.mean(2), new int[] {2, 3}, 1e-6, 1.75, 1, 5.25, 7, 3.25, 4.5);
        assertValues(x.mean(0, true), new int[] {1, 3, 4}, 1e-6, 6, 3, 6.5, 2, 1.5, -3, 5, 5, 5.5, 2.5, 5.5, 6);
        assertValues(x.mean(), new int[] {}, 1e-6, 91 / 24.0);
        assertValues(x.max(2, false).values(), new int[] {2, 3}, 0, 4, 6, 8, 9, 8, 6);
        assertValues(x.max(0, true).values(), new int[] {1, 3, 4}, 0, 9, 7, 9, 3, 5, 3, 8, 6, 6, 3, 6, 8);
        assertValues(x.min(1, false).values(), new int[] {2, 4}, 0, 3, -9, 2, 1, -2, 2, 6, 3);
        assertValues(x.max(), new int[] {}, 0, 9);
        assertValues(x.min(), new int[] {}, 0, -9);
        Tensor am = x.argmax(2);
        assertThat(am.dtype()).isEqualTo(DType.INT64);
        assertThat(am.shape().toArray()).containsExactly(2, 3);
        assertThat(am.toLongArray()).containsExactly(2, 3, 3, 0, 2, 0);   // ties: first index
        assertThat(x.argmax(1, true).shape().toArray()).containsExactly(2, 1, 4);
        assertThat(x.argmax(1, true).toLongArray()).containsExactly(1, 2, 2, 2, 0, 0, 0, 1);
        assertThat(x.argmin(2, false).toLongArray()).containsExactly(1, 1, 1, 3, 0, 1);
        assertThat(x.argmax().dim()).isZero();
        assertThat(x.argmax().longItem()).isEqualTo(12);
        // var: unbiased by default
        assertValues(x.var(2, false), new int[] {2, 3}, 1e-5,
                varOf(1, 3, -1, 4, 1), varOf(1, 5, -9, 2, 6), varOf(1, 5, 3, 5, 8),
                varOf(1, 9, 7, 9, 3), varOf(1, -2, 3, 8, 4), varOf(1, 6, 2, 6, 4));
        assertValues(x.var(new int[] {0, 1}, true, 0), new int[] {1, 1, 4}, 1e-5,
                varOf(0, 3, 5, 5, 9, -2, 6), varOf(0, -1, -9, 3, 7, 3, 2),
                varOf(0, 4, 2, 5, 9, 8, 6), varOf(0, 1, 6, 8, 3, 4, 4));
        assertValues(Antorcha.tensor(new float[] {1, 2, 3, 4}).var(), new int[] {}, 1e-6, 5 / 3.0);
    }

    private static double varOf(int correction, double... v) {
        double mean = 0, ss = 0;
        for (double d : v) mean += d / v.length;
        for (double d : v) ss += (d - mean) * (d - mean);
        return ss / (v.length - correction);
    }

    @Test
    void reductionsOfNonContiguousTensorFollowLogicalOrder() {
        Antorcha.manualSeed(4);
        Tensor base = Antorcha.randn(4, 3, 5);
        float[] b = CpuStorage.floats(base);    // contiguous: b[(p*3 + q)*5 + r] = base[p][q][r]
        // x[i][j][k] = base[j][k][i + 1]: permuted (strided) and narrowed (non-zero offset), [4,4,3]
        Tensor x = base.permute(2, 0, 1).narrow(0, 1, 4);
        assertThat(x.isContiguous()).isFalse();
        assertThat(x.layout().offset()).isEqualTo(1);
        double[] sum1 = new double[4 * 3], max2 = new double[4 * 4], sumAll = {0};
        long[] argmin0 = new long[4 * 3];
        double[] min0 = new double[4 * 3];
        java.util.Arrays.fill(max2, Double.NEGATIVE_INFINITY);
        java.util.Arrays.fill(min0, Double.POSITIVE_INFINITY);
        for (int i = 0; i < 4; i++) {
            for (int j = 0; j < 4; j++) {
                for (int k = 0; k < 3; k++) {
                    double e = b[(j * 3 + k) * 5 + i + 1];
                    sum1[i * 3 + k] += e;
                    max2[i * 4 + j] = Math.max(max2[i * 4 + j], e);
                    if (e < min0[j * 3 + k]) {
                        min0[j * 3 + k] = e;
                        argmin0[j * 3 + k] = i;
                    }
                    sumAll[0] += e;
                }
            }
        }
        assertValues(x.sum(1), new int[] {4, 3}, 1e-5, sum1);
        assertValues(x.max(2, true).values(), new int[] {4, 4, 1}, 0, max2);
        assertValues(x.min(0, false).values(), new int[] {4, 3}, 0, min0);
        assertThat(x.argmin(0, false).toLongArray()).containsExactly(argmin0);
        assertValues(x.mean(new int[] {1}, false), new int[] {4, 3},
                1e-5, java.util.Arrays.stream(sum1).map(s -> s / 4).toArray());
        assertValues(x.sum(), new int[] {}, 1e-4, sumAll[0]);
        // a contiguous row block at an offset: base[2] summed over its last dim
        double[] rows = new double[3];
        for (int q = 0; q < 3; q++) for (int r = 0; r < 5; r++) rows[q] += b[(2 * 3 + q) * 5 + r];
        assertValues(base.select(0, 2).sum(1), new int[] {3}, 1e-5, rows);
    }

    @Test
    void longSumsStayAccurate() {
        // 10,000 elements: the SIMD and 8-way scalar sums must both stay close to the double sum
        Antorcha.manualSeed(8);
        Tensor x = Antorcha.rand(10_000);
        double want = 0;
        for (double d : doubles(x)) want += d;
        assertThat((double) x.sum().item()).isCloseTo(want, within(want * 1e-5));
        assertThat((double) x.max().item()).isEqualTo(java.util.Arrays.stream(doubles(x)).max().orElseThrow());
    }

    private static final float[][] EXTREME_ROWS = {
            {100, -100, 80, -80},
            {-100, -100, -80, -80},
            {100, 100, 80, 80},
            {80, 80, 80, 80},
            {-100, 0, 100, 0.5f},
    };

    private static double lse(float[] row) {
        double m = Double.NEGATIVE_INFINITY;
        for (float v : row) m = Math.max(m, v);
        double s = 0;
        for (float v : row) s += Math.exp(v - m);
        return m + Math.log(s);
    }

    @Test
    void softmaxFamilyIsStableForLargeLogits() {
        Tensor x = Antorcha.tensor(EXTREME_ROWS);
        float[] sm = x.softmax(1).toFloatArray(), lsm = x.logSoftmax(1).toFloatArray();
        float[] lsum = x.logsumexp(1, false).toFloatArray();
        assertThat(x.logsumexp(1, true).shape().toArray()).containsExactly(5, 1);
        for (int r = 0; r < EXTREME_ROWS.length; r++) {
            double l = lse(EXTREME_ROWS[r]);
            assertThat((double) lsum[r]).as("logsumexp row %d", r).isFinite().isCloseTo(l, within(1e-4));
            double total = 0;
            for (int c = 0; c < 4; c++) {
                double wantLog = EXTREME_ROWS[r][c] - l;
                assertThat((double) lsm[r * 4 + c]).as("logSoftmax[%d,%d]", r, c).isFinite()
                        .isCloseTo(wantLog, within(1e-4));
                assertThat((double) sm[r * 4 + c]).as("softmax[%d,%d]", r, c).isFinite()
                        .isCloseTo(Math.exp(wantLog), within(1e-6));
                total += sm[r * 4 + c];
            }
            assertThat(total).isCloseTo(1, within(1e-6));
        }
        // along dim 0 as well: columns of the transpose are the rows above
        float[] sm0 = x.t().softmax(0).t().toFloatArray();
        assertThat(sm0).containsExactly(sm);
        float[] lse0 = x.t().logsumexp(0, false).toFloatArray();
        for (int r = 0; r < EXTREME_ROWS.length; r++) assertThat((double) lse0[r]).isCloseTo(lse(EXTREME_ROWS[r]), within(1e-4));
    }

    @Test
    void softmaxHandValues() {
        Tensor x = Antorcha.tensor(new float[] {0, (float) Math.log(3)}, 1, 2);
        assertValues(x.softmax(1), new int[] {1, 2}, 1e-6, 0.25, 0.75);
        assertValues(x.softmax(0), new int[] {1, 2}, 0, 1, 1);
        assertValues(x.logSoftmax(1), new int[] {1, 2}, 1e-6, Math.log(0.25), Math.log(0.75));
        assertValues(x.logsumexp(1, false), new int[] {1}, 1e-6, Math.log(4));
    }
}
