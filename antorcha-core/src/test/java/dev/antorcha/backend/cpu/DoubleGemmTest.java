package dev.antorcha.backend.cpu;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The float64 matrix multiply ({@link DoubleGemm}) with both micro-kernels, against a naive triple
 * loop: bit for bit against the arithmetic it promises (for each block of {@link DoubleGemm#KC}
 * steps one chain over the steps in order, a fused multiply-add for the SIMD kernel, a product
 * then a sum for the scalar one, the blocks' sums added to C in order) and within rounding of
 * the plain sum; on odd shapes, plain, transposed and strided operands, with and without
 * accumulation, on one and two threads.
 */
class DoubleGemmTest {

    /** The scalar kernel always; the SIMD kernel when this JVM has jdk.incubator.vector. */
    static List<DoubleGemmKernels> kernels() {
        List<DoubleGemmKernels> all = new ArrayList<>();
        for (FloatKernels k : KernelsTest.kernels()) all.add(DoubleGemmKernels.matching(k));
        return all;
    }

    /** A logical matrix stored with an offset and strides; the cells it does not use hold NaN. */
    private record Stored(double[] data, int off, int rs, int cs) {
        static Stored of(double[] x, int rows, int cols, String layout) {
            return switch (layout) {
                case "row" -> fill(x, rows, cols, 0, cols, 1, rows * cols);
                case "col" -> fill(x, rows, cols, 0, 1, rows, rows * cols);
                // every other column of a wider matrix, from offset 3: no stride is 1
                default -> fill(x, rows, cols, 3, 2 * cols + 1, 2, 3 + rows * (2 * cols + 1));
            };
        }

        private static Stored fill(double[] x, int rows, int cols, int off, int rs, int cs, int size) {
            double[] d = new double[size];
            java.util.Arrays.fill(d, Double.NaN);
            for (int i = 0; i < rows; i++) for (int j = 0; j < cols; j++) d[off + i * rs + j * cs] = x[i * cols + j];
            return new Stored(d, off, rs, cs);
        }
    }

    private static double[] random(SplittableRandom r, int n) {
        double[] x = new double[n];
        for (int i = 0; i < n; i++) x[i] = r.nextDouble(-1, 1);
        return x;
    }

    /** The promised arithmetic for row-major A [m,kk] and B [kk,n], added to {@code c0} when not null. */
    private static double[] promised(DoubleGemmKernels k, int m, int n, int kk, double[] a, double[] b, double[] c0) {
        boolean fused = k instanceof PanamaDoubleGemmKernels;
        double[] c = new double[m * n];
        for (int i = 0; i < m; i++) {
            for (int j = 0; j < n; j++) {
                double total = c0 == null ? 0 : c0[i * n + j];
                for (int p0 = 0; p0 < Math.max(kk, 1); p0 += DoubleGemm.KC) {
                    double acc = 0;
                    for (int p = p0; p < Math.min(kk, p0 + DoubleGemm.KC); p++) {
                        acc = fused ? Math.fma(a[i * kk + p], b[p * n + j], acc) : acc + a[i * kk + p] * b[p * n + j];
                    }
                    total = p0 == 0 && c0 == null ? acc : total + acc;
                }
                c[i * n + j] = total;
            }
        }
        return c;
    }

    /** The textbook triple loop, one sum per element over every step: an independent check of the values. */
    private static double[] naive(int m, int n, int kk, double[] a, double[] b) {
        double[] c = new double[m * n];
        for (int i = 0; i < m; i++) {
            for (int j = 0; j < n; j++) {
                double s = 0;
                for (int p = 0; p < kk; p++) s += a[i * kk + p] * b[p * n + j];
                c[i * n + j] = s;
            }
        }
        return c;
    }

    /** C [m,n] inside a wider buffer (row stride n + 3, offset 2); the cells around it must stay untouched. */
    private static double[] run(DoubleGemmKernels k, int m, int n, int kk, Stored a, Stored b, double[] c0) {
        int ldc = n + 3, off = 2;
        double[] c = new double[off + m * ldc + 1];
        java.util.Arrays.fill(c, -7.25);
        for (int i = 0; i < m; i++) {
            for (int j = 0; j < n; j++) c[off + i * ldc + j] = c0 == null ? Double.NaN : c0[i * n + j];   // NaN: must be written
        }
        DoubleGemm.gemm(k, m, n, kk, a.data(), a.off(), a.rs(), a.cs(), b.data(), b.off(), b.rs(), b.cs(), c, off, ldc, c0 != null);
        double[] out = new double[m * n];
        for (int i = 0; i < m; i++) {
            for (int j = 0; j < n; j++) out[i * n + j] = c[off + i * ldc + j];
            for (int j = n; j < ldc; j++) if (i < m - 1 || j < n + 1) assertThat(c[off + i * ldc + j]).isEqualTo(-7.25);
        }
        assertThat(c[0]).isEqualTo(-7.25);
        assertThat(c[1]).isEqualTo(-7.25);
        return out;
    }

    static List<Object[]> cases() {
        List<Object[]> all = new ArrayList<>();
        int[][] shapes = {{1, 1, 1}, {7, 5, 13}, {37, 41, 300}, {13, 9, 600}, {6, 8, 256}, {97, 204, 51}, {1, 17, 3}, {20, 1, 7},
            {16, 9, 270}, {32, 6, 40}, {23, 5, 30}};   // last row panels of 4, 8 and 11 rows
        String[] layouts = {"row", "col", "strided"};
        for (DoubleGemmKernels k : kernels()) {
            for (int[] s : shapes) {
                for (String la : layouts) for (String lb : layouts) all.add(new Object[] {k, s[0], s[1], s[2], la, lb});
            }
        }
        return all;
    }

    @ParameterizedTest(name = "{0} {1}x{3}·{3}x{2} A {4} B {5}")
    @MethodSource("cases")
    void productGivesThePromisedBitsAndTheNaiveValues(DoubleGemmKernels k, int m, int n, int kk, String la, String lb) {
        SplittableRandom r = new SplittableRandom(m * 31L + n * 7L + kk);
        double[] a = random(r, m * kk), b = random(r, kk * n), c0 = random(r, m * n);
        Stored sa = Stored.of(a, m, kk, la), sb = Stored.of(b, kk, n, lb);

        double[] c = run(k, m, n, kk, sa, sb, null);
        assertThat(c).containsExactly(promised(k, m, n, kk, a, b, null));
        double[] plain = naive(m, n, kk, a, b);
        for (int i = 0; i < c.length; i++) assertThat(c[i]).as("element %d", i).isCloseTo(plain[i], org.assertj.core.data.Offset.offset(1e-12 * kk));

        // C += A·B: the blocks' sums added to the C that was there
        assertThat(run(k, m, n, kk, sa, sb, c0)).containsExactly(promised(k, m, n, kk, a, b, c0));
    }

    @ParameterizedTest
    @MethodSource("kernels")
    void resultsDoNotDependOnTheThreadCount(DoubleGemmKernels k) {
        // several row and column tasks (more than 72 rows, more than 32 panels), two k-blocks, in parallel
        int m = 150, n = 270, kk = 300;
        SplittableRandom r = new SplittableRandom(5);
        double[] a = random(r, m * kk), b = random(r, kk * n);
        Stored sa = Stored.of(a, m, kk, "row"), sb = Stored.of(b, kk, n, "col");
        double[] expected = promised(k, m, n, kk, a, b, null);
        int before = Parallel.threads();
        try {
            for (int threads = 1; threads <= 2; threads++) {
                Parallel.setThreads(threads);
                assertThat(run(k, m, n, kk, sa, sb, null)).as("%d threads", threads).containsExactly(expected);
            }
        } finally {
            Parallel.setThreads(before);
        }
    }

    @ParameterizedTest
    @MethodSource("kernels")
    void emptyInnerDimensionGivesZerosOrLeavesC(DoubleGemmKernels k) {
        Stored a = Stored.of(new double[0], 3, 0, "row"), b = Stored.of(new double[0], 0, 4, "row");
        assertThat(run(k, 3, 4, 0, a, b, null)).containsOnly(0.0);
        double[] c0 = {1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12};
        assertThat(run(k, 3, 4, 0, a, b, c0)).containsExactly(c0);
    }

    /** Every A panel, full or not, row-major, column-major or strided, for every length 1–21: the defined values, zero padding, nothing else written. */
    @ParameterizedTest
    @MethodSource("kernels")
    void panelOfAIsPackedAsDefined(DoubleGemmKernels k) {
        SplittableRandom r = new SplittableRandom(17);
        int mr = DoubleGemm.MR, cols = 23;
        for (String layout : new String[] {"row", "col", "strided"}) {
            Stored a = Stored.of(random(r, mr * cols), mr, cols, layout);
            for (int rows : new int[] {mr, mr - 1, 1}) {
                for (int kc = 1; kc <= 21; kc++) {
                    double[] ap = new double[mr * kc + 7];
                    java.util.Arrays.fill(ap, Double.NaN);
                    k.packA(a.data(), a.off() + a.cs(), a.rs(), a.cs(), kc, rows, ap, 5);   // from column 1
                    for (int p = 0; p < kc; p++) {
                        for (int i = 0; i < mr; i++) {
                            double expected = i < rows ? a.data()[a.off() + i * a.rs() + (p + 1) * a.cs()] : 0.0;
                            assertThat(ap[5 + p * mr + i]).as("%s, %d rows, kc %d, step %d, row %d", layout, rows, kc, p, i)
                                    .isEqualTo(expected);
                        }
                    }
                    assertThat(ap[4]).as("before the panel").isNaN();
                    assertThat(ap[5 + mr * kc]).as("after the panel, kc %d", kc).isNaN();
                }
            }
        }
    }

    /** Every B panel, full or not (1 to nr columns), row-major, column-major or strided, for every length 1–21: the defined values, zero padding, nothing else written. */
    @ParameterizedTest
    @MethodSource("kernels")
    void panelOfBIsPackedAsDefined(DoubleGemmKernels k) {
        SplittableRandom r = new SplittableRandom(19);
        int nr = k.nr(), steps = 23;
        for (String layout : new String[] {"row", "col", "strided"}) {
            Stored b = Stored.of(random(r, steps * (nr + 1)), steps, nr + 1, layout);
            for (int cols = 1; cols <= nr; cols++) {
                for (int kc = 1; kc <= 21; kc++) {
                    double[] bp = new double[nr * kc + 7];
                    java.util.Arrays.fill(bp, Double.NaN);
                    k.packB(b.data(), b.off() + b.rs() + b.cs(), b.rs(), b.cs(), kc, cols, bp, 5);   // from step 1, column 1
                    for (int p = 0; p < kc; p++) {
                        for (int j = 0; j < nr; j++) {
                            double expected = j < cols ? b.data()[b.off() + (p + 1) * b.rs() + (j + 1) * b.cs()] : 0.0;
                            assertThat(bp[5 + p * nr + j]).as("%s, %d columns, kc %d, step %d, column %d", layout, cols, kc, p, j)
                                    .isEqualTo(expected);
                        }
                    }
                    assertThat(bp[4]).as("before the panel").isNaN();
                    assertThat(bp[5 + nr * kc]).as("after the panel, kc %d", kc).isNaN();
                }
            }
        }
    }
}
