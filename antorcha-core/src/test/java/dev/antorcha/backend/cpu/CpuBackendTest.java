package dev.antorcha.backend.cpu;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.antorcha.Antorcha;
import dev.antorcha.backend.BinaryOp;
import dev.antorcha.backend.ReduceOp;
import dev.antorcha.backend.UnaryOp;
import dev.antorcha.tensor.DType;
import dev.antorcha.tensor.Generator;
import dev.antorcha.tensor.Layout;
import dev.antorcha.tensor.Tensor;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The CPU backend on each kernel set ({@code new CpuBackend(kernels)}), with strided operands,
 * against naive loops that read elements through the layouts.
 */
class CpuBackendTest {

    static List<CpuBackend> backends() {
        return KernelsTest.kernels().stream().map(CpuBackend::new).toList();
    }

    /** Element {@code idx} of a float tensor, read through its layout. */
    static float at(Tensor t, int... idx) {
        return CpuStorage.floats(t)[t.layout().indexOf(idx)];
    }

    static Tensor randn(long seed, int... shape) {
        return Antorcha.randn(new Generator(seed), shape);
    }

    /** Naive {@code a @ b} of 2-D views in double. */
    static double[][] naiveMatmul(Tensor a, Tensor b) {
        int m = a.size(0), k = a.size(1), n = b.size(1);
        double[][] c = new double[m][n];
        for (int i = 0; i < m; i++) {
            for (int j = 0; j < n; j++) {
                double s = 0;
                for (int p = 0; p < k; p++) s += (double) at(a, i, p) * at(b, p, j);
                c[i][j] = s;
            }
        }
        return c;
    }

    static void assertClose(Tensor out, double[][] ref, double tol) {
        for (int i = 0; i < ref.length; i++) {
            for (int j = 0; j < ref[i].length; j++) {
                assertThat((double) at(out, i, j)).as("[%d][%d]", i, j)
                        .isCloseTo(ref[i][j], org.assertj.core.data.Offset.offset(tol * (1 + Math.abs(ref[i][j]))));
            }
        }
    }

    @ParameterizedTest
    @MethodSource("backends")
    void matmulOfTransposedViews(CpuBackend be) {
        Tensor a = randn(1, 53, 37).t();                   // [37,53], column-major view
        Tensor b = randn(2, 29, 53).t();                   // [53,29]
        assertThat(a.isContiguous()).isFalse();
        Tensor out = be.empty(DType.FLOAT32, 37, 29);
        be.matmul(a, b, out);
        assertClose(out, naiveMatmul(a, b), 1e-5);
        Tensor c = randn(3, 37, 53);                       // contiguous a, strided b
        Tensor out2 = be.empty(DType.FLOAT32, 37, 29);
        be.matmul(c, b, out2);
        assertClose(out2, naiveMatmul(c, b), 1e-5);
    }

    @ParameterizedTest
    @MethodSource("backends")
    void largeMatmulCrossesBlocksAndIsDeterministic(CpuBackend be) {
        // k = 300 > one k-panel, n = 600 > one n-panel, enough work for the parallel path
        Tensor a = randn(4, 70, 300);
        Tensor b = randn(5, 600, 300).t();
        Tensor out = be.empty(DType.FLOAT32, 70, 600);
        be.matmul(a, b, out);
        assertClose(out, naiveMatmul(a, b), 2e-5);
        Tensor again = be.empty(DType.FLOAT32, 70, 600);
        be.matmul(a, b, again);
        assertThat(again.toFloatArray()).as("bitwise the same on every run").containsExactly(out.toFloatArray());
    }

    @ParameterizedTest
    @MethodSource("backends")
    void batchedMatmulBroadcastsBatchDims(CpuBackend be) {
        Tensor a = randn(6, 2, 1, 4, 5);
        Tensor b = randn(7, 3, 6, 5).transpose(1, 2);      // [3,5,6], strided
        Tensor out = be.empty(DType.FLOAT32, 2, 3, 4, 6);
        be.matmul(a, b, out);
        for (int x = 0; x < 2; x++) {
            for (int y = 0; y < 3; y++) {
                Tensor ai = a.select(0, x).select(0, 0), bi = b.select(0, y);
                Tensor oi = out.select(0, x).select(0, y);
                assertClose(oi, naiveMatmul(ai, bi), 1e-5);
            }
        }
    }

    @ParameterizedTest
    @MethodSource("backends")
    void stridedBinaryWithBroadcastAndStridedOutput(CpuBackend be) {
        Tensor a = randn(8, 9, 11).t();                    // [11,9] strided
        Tensor row = randn(9, 9).unsqueeze(0);             // [1,9] broadcast over rows
        Tensor col = randn(10, 11, 1);                     // [11,1] broadcast over columns
        for (BinaryOp op : new BinaryOp[] {BinaryOp.ADD, BinaryOp.MUL, BinaryOp.MAXIMUM, BinaryOp.GT}) {
            Tensor out = be.empty(DType.FLOAT32, 9, 11).t();   // a strided output
            be.binary(op, a, row, out);
            Tensor out2 = be.empty(DType.FLOAT32, 11, 9);
            be.binary(op, col, a, out2);
            for (int i = 0; i < 11; i++) {
                for (int j = 0; j < 9; j++) {
                    double x = at(a, i, j);
                    assertThat(at(out, i, j)).as(op + " [%d][%d]", i, j)
                            .isEqualTo((float) KernelsTest.binaryRef(op, x, at(row, 0, j)));
                    assertThat(at(out2, i, j)).as(op + " col [%d][%d]", i, j)
                            .isEqualTo((float) KernelsTest.binaryRef(op, at(col, i, 0), x));
                }
            }
        }
    }

    @ParameterizedTest
    @MethodSource("backends")
    void binaryMayWriteIntoItsFirstOperand(CpuBackend be) {
        Tensor a = Antorcha.arange(0, 40, 1);
        Tensor b = Antorcha.full(0.5, 40);
        be.binary(BinaryOp.MUL, a, b, a);
        for (int i = 0; i < 40; i++) assertThat(at(a, i)).isEqualTo(i * 0.5f);
    }

    @ParameterizedTest
    @MethodSource("backends")
    void unaryAndCopyOnStridedViews(CpuBackend be) {
        Tensor x = randn(11, 6, 10).permute(1, 0).narrow(0, 2, 7);   // [7,6], offset and strides
        Tensor out = be.empty(DType.FLOAT32, 7, 6);
        be.unary(UnaryOp.TANH, x, out, 0, 0);
        Tensor clamped = be.empty(DType.FLOAT32, 7, 6);
        be.unary(UnaryOp.CLAMP, x, clamped, -0.5f, 0.25f);
        Tensor longs = be.empty(DType.INT64, 7, 6);
        be.copy(x.mul(10), longs);
        for (int i = 0; i < 7; i++) {
            for (int j = 0; j < 6; j++) {
                float v = at(x, i, j);
                assertThat(at(out, i, j)).isEqualTo((float) Math.tanh(v));
                assertThat(at(clamped, i, j)).isEqualTo(Math.min(Math.max(v, -0.5f), 0.25f));
                assertThat(CpuStorage.longs(longs)[i * 6 + j]).isEqualTo((long) (v * 10f));
            }
        }
    }

    @ParameterizedTest
    @MethodSource("backends")
    void reductionsOverNonContiguousDims(CpuBackend be) {
        Tensor x = randn(12, 4, 5, 6).permute(2, 0, 1);   // [6,4,5], strides [1,30,6]
        for (ReduceOp op : ReduceOp.values()) {
            Tensor out = be.empty(DType.FLOAT32, 1, 4, 1);
            be.reduce(op, x, new int[] {0, 2}, out);
            for (int j = 0; j < 4; j++) {
                double acc = op == ReduceOp.SUM ? 0 : at(x, 0, j, 0);
                for (int i = 0; i < 6; i++) {
                    for (int k = 0; k < 5; k++) {
                        float v = at(x, i, j, k);
                        acc = switch (op) {
                            case SUM -> acc + v;
                            case MAX -> Math.max(acc, v);
                            case MIN -> Math.min(acc, v);
                        };
                    }
                }
                double tol = op == ReduceOp.SUM ? 1e-5 : 0;
                assertThat((double) at(out, 0, j, 0)).as(op + " row %d", j)
                        .isCloseTo(acc, org.assertj.core.data.Offset.offset(tol));
            }
            Tensor middle = be.empty(DType.FLOAT32, 6, 1, 5);   // reduce the strided middle dim only
            be.reduce(op, x, new int[] {1}, middle);
            for (int i = 0; i < 6; i++) {
                for (int k = 0; k < 5; k++) {
                    double acc = op == ReduceOp.SUM ? 0 : at(x, i, 0, k);
                    for (int j = 0; j < 4; j++) {
                        float v = at(x, i, j, k);
                        acc = op == ReduceOp.SUM ? acc + v : op == ReduceOp.MAX ? Math.max(acc, v) : Math.min(acc, v);
                    }
                    assertThat((double) at(middle, i, 0, k))
                            .isCloseTo(acc, org.assertj.core.data.Offset.offset(op == ReduceOp.SUM ? 1e-5 : 0));
                }
            }
        }
        assertThatThrownBy(() -> be.reduce(ReduceOp.MAX, Antorcha.zeros(0, 3), new int[] {0},
                be.empty(DType.FLOAT32, 1, 3))).isExactlyInstanceOf(IllegalArgumentException.class);
    }

    @ParameterizedTest
    @MethodSource("backends")
    void argReduceAndIndexing(CpuBackend be) {
        Tensor x = Antorcha.tensor(new float[] {3f, 9f, 9f, 1f, 5f, Float.NaN, 2f, 0f}, 2, 4).t();  // [4,2]
        Tensor idx = be.empty(DType.INT64, 1, 2);
        be.argReduce(true, x, 0, idx);
        assertThat(idx.toLongArray()).containsExactly(1L, 1L);     // first of tied maxima; NaN wins
        be.argReduce(false, x, 0, idx);
        assertThat(idx.toLongArray()).containsExactly(3L, 1L);
        Tensor src = Antorcha.arange(0, 12, 1).view(3, 4);
        Tensor rows = be.empty(DType.FLOAT32, 2, 4);
        be.indexSelect(src, 0, Antorcha.tensor(new long[] {2, -3}, 2), rows);
        assertThat(rows.toFloatArray()).containsExactly(8f, 9f, 10f, 11f, 0f, 1f, 2f, 3f);
        Tensor acc = be.empty(DType.FLOAT32, 3, 4);
        be.indexAdd(acc, 0, Antorcha.tensor(new long[] {1, 1}, 2), rows);
        assertThat(acc.toFloatArray()).containsExactly(0f, 0f, 0f, 0f, 8f, 10f, 12f, 14f, 0f, 0f, 0f, 0f);
        Tensor g = be.empty(DType.FLOAT32, 3, 1);
        be.gather(src, 1, Antorcha.tensor(new long[] {3, 0, 2}, 3, 1), g);
        assertThat(g.toFloatArray()).containsExactly(3f, 4f, 10f);
        Tensor sc = be.empty(DType.FLOAT32, 3, 4);
        be.scatterAdd(sc, 1, Antorcha.tensor(new long[] {3, 3, 0}, 3, 1), Antorcha.ones(3, 1));
        assertThat(sc.toFloatArray()).containsExactly(0f, 0f, 0f, 1f, 0f, 0f, 0f, 1f, 1f, 0f, 0f, 0f);
    }

    @ParameterizedTest
    @MethodSource("backends")
    void whereBroadcastsAllThree(CpuBackend be) {
        Tensor cond = Antorcha.tensor(new float[] {1f, 0f, 1f}, 3).gt(0.5);
        Tensor a = Antorcha.tensor(new float[] {10f, 20f}, 2, 1);
        Tensor b = Antorcha.full(-1, 1);
        Tensor out = be.empty(DType.FLOAT32, 2, 3);
        be.where(cond, a, b, out);
        assertThat(out.toFloatArray()).containsExactly(10f, -1f, 10f, 20f, -1f, 20f);
        assertThat(be.device()).isEqualTo(dev.antorcha.tensor.Device.CPU);
        assertThat(new Layout(new int[] {2, 3}, new int[] {3, 1}, 0)).isEqualTo(out.layout());
    }
}
