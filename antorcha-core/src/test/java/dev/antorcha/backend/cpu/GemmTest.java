package dev.antorcha.backend.cpu;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.SplittableRandom;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The whole matrix multiply (packing, blocks of the inner dimension, partial tiles and panels,
 * the parallel pass) against the arithmetic it promises, element by element and bit for bit: for
 * each block of {@link Gemm#KC} steps a chain over every step in order (a fused multiply-add for
 * the SIMD kernels, a product then a sum for the scalar ones), and the blocks' sums added in
 * order. That order is what makes results independent of the thread count.
 */
class GemmTest {
    private static final String KERNELS = "dev.antorcha.backend.cpu.KernelsTest#kernels";

    /** Row-major m×k values, about half the columns all zero and a quarter of the rest zero (an image batch). */
    private static float[] sparse(SplittableRandom r, int rows, int cols) {
        float[] x = new float[rows * cols];
        boolean[] blank = new boolean[cols];
        for (int j = 0; j < cols; j++) blank[j] = r.nextInt(2) == 0;
        for (int i = 0; i < rows; i++) {
            for (int j = 0; j < cols; j++) x[i * cols + j] = blank[j] || r.nextInt(4) == 0 ? 0f : (float) r.nextDouble(0, 1);
        }
        return x;
    }

    private static float[] dense(SplittableRandom r, int n) {
        float[] x = new float[n];
        for (int i = 0; i < n; i++) x[i] = (float) r.nextDouble(-1, 1);
        return x;
    }

    /** The promised arithmetic for A row-major m×k and B row-major k×n. */
    private static float[] reference(FloatKernels k, int m, int n, int kk, float[] a, float[] b) {
        boolean fused = k.lanes() > 1;
        float[] c = new float[m * n];
        for (int i = 0; i < m; i++) {
            for (int j = 0; j < n; j++) {
                float total = 0;
                for (int p0 = 0; p0 < kk; p0 += Gemm.KC) {
                    float acc = 0;
                    for (int p = p0; p < Math.min(kk, p0 + Gemm.KC); p++) {
                        acc = fused ? Math.fma(a[i * kk + p], b[p * n + j], acc) : acc + a[i * kk + p] * b[p * n + j];
                    }
                    total = p0 == 0 ? acc : total + acc;
                }
                c[i * n + j] = total;
            }
        }
        return c;
    }

    /** {@code C = A · B} for row-major A and B. */
    private static float[] gemm(FloatKernels k, int m, int n, int kk, float[] a, float[] b) {
        return gemm(k, m, n, kk, a, kk, 1, b, n, 1);
    }

    /** {@code C = A · B} for A and B stored with the given row and column strides; C row-major. */
    private static float[] gemm(FloatKernels k, int m, int n, int kk, float[] a, int aRs, int aCs, float[] b, int bRs, int bCs) {
        float[] c = new float[m * n];
        java.util.Arrays.fill(c, Float.NaN);   // every element must be written
        Gemm.gemm(k, m, n, kk, a, 0, aRs, aCs, b, 0, bRs, bCs, c, 0, n);
        return c;
    }

    @ParameterizedTest
    @MethodSource(KERNELS)
    void wholeProductGivesThePromisedBits(FloatKernels k) {
        SplittableRandom r = new SplittableRandom(1);
        // two k-blocks, partial row panels and column panels; big enough to run in parallel
        int m = 131, n = 45, kk = 784;
        float[] a = sparse(r, m, kk), b = dense(r, kk * n);
        float[] expected = reference(k, m, n, kk, a, b);
        assertThat(gemm(k, m, n, kk, a, b)).containsExactly(expected);
        // the same operands as transposed views (column-major storage): the other packing paths
        float[] at = new float[kk * m], bt = new float[n * kk];
        for (int i = 0; i < m; i++) for (int p = 0; p < kk; p++) at[p * m + i] = a[i * kk + p];
        for (int p = 0; p < kk; p++) for (int j = 0; j < n; j++) bt[j * kk + p] = b[p * n + j];
        assertThat(gemm(k, m, n, kk, at, 1, m, bt, 1, kk)).containsExactly(expected);
    }

    /**
     * A last row panel of every height (1 to 11 of MR = 12 rows: the narrower edge tiles and the
     * whole one), with a partial column panel and two k-blocks (the second added to C), gives the
     * promised bits.
     */
    @ParameterizedTest
    @MethodSource(KERNELS)
    void lastRowPanelsOfEveryHeightGiveThePromisedBits(FloatKernels k) {
        SplittableRandom r = new SplittableRandom(9);
        int n = 21, kk = Gemm.KC + 40;
        for (int m = Gemm.MR + 1; m < 2 * Gemm.MR; m++) {
            float[] a = dense(r, m * kk), b = dense(r, kk * n);
            assertThat(gemm(k, m, n, kk, a, b)).as("%d rows", m).containsExactly(reference(k, m, n, kk, a, b));
        }
    }

    /**
     * Products whose packed B exceeds one block (2 MB): 2,100 columns are two blocks of columns,
     * and 5,200 steps of 100 columns are two blocks of k-blocks, the second ending in a partial
     * k-block; 2,100 and 600 columns are several column groups, so A is packed once for all of
     * them (30 and 107 rows: partial row panels). Same bits as the promised order, with each
     * operand plain and transposed.
     */
    @ParameterizedTest
    @MethodSource(KERNELS)
    void productsPackedInSeveralBlocksGiveThePromisedBits(FloatKernels k) {
        SplittableRandom r = new SplittableRandom(5);
        for (int[] shape : new int[][] {{30, 2100, 300}, {20, 100, 5200}, {107, 600, 530}}) {
            int m = shape[0], n = shape[1], kk = shape[2];
            float[] a = dense(r, m * kk), b = dense(r, kk * n);
            float[] expected = reference(k, m, n, kk, a, b);
            assertThat(gemm(k, m, n, kk, a, b)).as("%dx%dx%d", m, kk, n).containsExactly(expected);
            float[] at = new float[kk * m], bt = new float[n * kk];
            for (int i = 0; i < m; i++) for (int p = 0; p < kk; p++) at[p * m + i] = a[i * kk + p];
            for (int p = 0; p < kk; p++) for (int j = 0; j < n; j++) bt[j * kk + p] = b[p * n + j];
            assertThat(gemm(k, m, n, kk, a, kk, 1, bt, 1, kk)).as("%dx%dx%d, B transposed", m, kk, n).containsExactly(expected);
            assertThat(gemm(k, m, n, kk, at, 1, m, b, n, 1)).as("%dx%dx%d, A transposed", m, kk, n).containsExactly(expected);
        }
    }

    /** A row-major panel packed by the kernels (the SIMD transposes) holds what the definition says, for every length. */
    @ParameterizedTest
    @MethodSource(KERNELS)
    void rowMajorPanelIsPackedAsDefined(FloatKernels k) {
        SplittableRandom r = new SplittableRandom(7);
        int rs = 53;
        float[] a = dense(r, Gemm.MR * rs + 3);
        for (int kc = 1; kc <= 50; kc++) {
            float[] ap = new float[Gemm.MR * kc + 7];
            java.util.Arrays.fill(ap, Float.NaN);
            k.gemmPackA(a, 3, rs, kc, ap, 5);
            for (int p = 0; p < kc; p++) {
                for (int i = 0; i < Gemm.MR; i++) {
                    assertThat(ap[5 + p * Gemm.MR + i]).as("kc %d, step %d, row %d", kc, p, i).isEqualTo(a[3 + i * rs + p]);
                }
            }
            assertThat(ap[0]).as("before the panel").isNaN();
            assertThat(ap[5 + Gemm.MR * kc]).as("after the panel, kc %d", kc).isNaN();
        }
    }

    @ParameterizedTest
    @MethodSource(KERNELS)
    void transposedPanelIsPackedAsDefined(FloatKernels k) {
        SplittableRandom r = new SplittableRandom(11);
        int nr = k.gemmNr(), cs = 61;
        float[] b = dense(r, nr * cs + 3);
        for (int kc = 1; kc <= 50; kc++) {
            float[] bp = new float[nr * kc + 7];
            java.util.Arrays.fill(bp, Float.NaN);
            k.gemmPackBColumns(b, 3, cs, kc, bp, 5);
            for (int p = 0; p < kc; p++) {
                for (int j = 0; j < nr; j++) {
                    assertThat(bp[5 + p * nr + j]).as("kc %d, step %d, column %d", kc, p, j).isEqualTo(b[3 + j * cs + p]);
                }
            }
            assertThat(bp[0]).as("before the panel").isNaN();
            assertThat(bp[5 + nr * kc]).as("after the panel, kc %d", kc).isNaN();
        }
    }

    @ParameterizedTest
    @MethodSource(KERNELS)
    void columnMajorPanelsOfAArePackedAsDefined(FloatKernels k) {
        SplittableRandom r = new SplittableRandom(13);
        int mr = Gemm.MR, cs = 3 * mr + 5;
        float[] a = dense(r, cs * 40 + 7);
        for (int full = 1; full <= 3; full++) {
            for (int kc = 1; kc <= 30; kc++) {
                float[] ap = new float[full * mr * kc + 9];
                java.util.Arrays.fill(ap, Float.NaN);
                k.gemmPackAColumns(a, 7, cs, kc, full, ap, 4);
                for (int ip = 0; ip < full; ip++) {
                    for (int p = 0; p < kc; p++) {
                        for (int i = 0; i < mr; i++) {
                            assertThat(ap[4 + ip * mr * kc + p * mr + i]).as("%d panels, kc %d, panel %d, step %d, row %d", full, kc, ip, p, i)
                                    .isEqualTo(a[7 + p * cs + ip * mr + i]);
                        }
                    }
                }
                assertThat(ap[3]).as("before the panels").isNaN();
                assertThat(ap[4 + full * mr * kc]).as("after the panels").isNaN();
            }
        }
    }

    @ParameterizedTest
    @MethodSource(KERNELS)
    void zeroTimesInfinityIsNaNInTheSum(FloatKernels k) {
        SplittableRandom r = new SplittableRandom(3);
        int m = 40, n = 20, kk = 64;
        float[] a = sparse(r, m, kk), b = dense(r, kk * n);
        int p = 0;
        while (a[p] != 0f || a[kk + p] != 0f) p++;         // a step where rows 0 and 1 are zero
        b[p * n + 3] = Float.POSITIVE_INFINITY;
        b[(p + 1) * n + 5] = Float.NaN;
        float[] c = gemm(k, m, n, kk, a, b), expected = reference(k, m, n, kk, a, b);
        assertThat(c[3]).isNaN();                            // 0 · ∞ in the sum
        assertThat(c).containsExactly(expected);
    }

    @ParameterizedTest
    @MethodSource(KERNELS)
    void allZeroOperandsGiveZeros(FloatKernels k) {
        int m = 13, n = 37, kk = 9;
        float[] c = gemm(k, m, n, kk, new float[m * kk], new float[kk * n]);
        assertThat(c).containsOnly(0f);
    }
}
