package dev.antorcha.backend.cpu;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import dev.antorcha.Antorcha;
import dev.antorcha.tensor.DType;
import dev.antorcha.tensor.Tensor;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

/**
 * The recurrent-cell kernels: the SIMD forwards (float32 and float64) against the scalar ones (a few ulps: the
 * Vector API's exp and tanh are not Math's), the SIMD LSTM backward against the scalar one (the same bits),
 * and the float32 kernels against the float64 ones.
 */
class RecurrentKernelsTest {

    private static final CpuBackend SCALAR = new CpuBackend(VectorizationProvider.scalarKernels());

    private static void close(Tensor a, Tensor b, double tol, String what) {
        double[] x = a.toDoubleArray(), y = b.toDoubleArray();
        assertThat(x.length).isEqualTo(y.length);
        for (int i = 0; i < x.length; i++) assertThat(x[i]).as("%s element %d", what, i).isCloseTo(y[i], within(tol));
    }

    /** Runs both cells' forward on {@code be}: h, c, LSTM work, GRU h, GRU work. */
    private static Tensor[] cells(CpuBackend be, Tensor gi4, Tensor gh4, Tensor c, Tensor gi3, Tensor gh3, Tensor h) {
        int n = c.size(0), hs = c.size(1);
        DType dt = c.dtype();
        Tensor hOut = be.empty(dt, n, hs), cOut = be.empty(dt, n, hs), w = be.empty(dt, n, 5 * hs);
        be.lstmCell(gi4, gh4, c, hOut, cOut, w);
        Tensor gOut = be.empty(dt, n, hs), gw = be.empty(dt, n, 4 * hs);
        be.gruCell(gi3, gh3, h, gOut, gw);
        return new Tensor[] {hOut, cOut, w, gOut, gw};
    }

    @Test
    void simdForwardMatchesTheScalarLoopsAtEveryTailLength() {
        var simd = VectorizationProvider.simdKernels();
        Assumptions.assumeTrue(simd.isPresent(), "jdk.incubator.vector absent: only the scalar kernels exist");
        CpuBackend vector = new CpuBackend(simd.get());
        Antorcha.manualSeed(21);
        int before = Antorcha.getNumThreads();
        try {
            for (int threads : new int[] {1, 2}) {
                Antorcha.setNumThreads(threads);
                for (int hs : new int[] {1, 7, 8, 16, 19, 200}) {
                    int n = hs == 200 ? 21 : 3;   // 21 rows of 200: split among the threads
                    Tensor gi4 = Antorcha.randn(n, 4 * hs).mul(3), gh4 = Antorcha.randn(n, 4 * hs), c = Antorcha.randn(n, hs);
                    Tensor gi3 = Antorcha.randn(n, 3 * hs).mul(3), gh3 = Antorcha.randn(n, 3 * hs), h = Antorcha.randn(n, hs);
                    Tensor[] a = cells(SCALAR, gi4, gh4, c, gi3, gh3, h), b = cells(vector, gi4, gh4, c, gi3, gh3, h);
                    for (int k = 0; k < a.length; k++) close(b[k], a[k], 2e-6, threads + " threads, hidden " + hs + " result " + k);
                    // float64: the SIMD exp and tanh are within a few ulps of Math's (values are at most about 1)
                    Tensor[] a64 = cells(SCALAR, gi4.toDouble(), gh4.toDouble(), c.toDouble(), gi3.toDouble(), gh3.toDouble(), h.toDouble());
                    Tensor[] b64 = cells(vector, gi4.toDouble(), gh4.toDouble(), c.toDouble(), gi3.toDouble(), gh3.toDouble(), h.toDouble());
                    for (int k = 0; k < a64.length; k++) {
                        close(b64[k], a64[k], 1e-14, "float64, " + threads + " threads, hidden " + hs + " result " + k);
                    }
                }
            }
        } finally {
            Antorcha.setNumThreads(before);
        }
    }

    @Test
    void simdLstmBackwardGivesTheScalarLoopsBitsOnAnyThreadCount() {
        var simd = VectorizationProvider.simdKernels();
        Assumptions.assumeTrue(simd.isPresent(), "jdk.incubator.vector absent: only the scalar kernels exist");
        CpuBackend vector = new CpuBackend(simd.get());
        Antorcha.manualSeed(24);
        int before = Antorcha.getNumThreads();
        try {
            for (int threads : new int[] {1, 2}) {
                Antorcha.setNumThreads(threads);
                for (int hs : new int[] {1, 3, 4, 7, 8, 16, 19, 51, 200}) {
                    int n = hs >= 51 ? 21 : 3;   // enough rows to be split among the threads
                    for (DType dt : new DType[] {DType.FLOAT32, DType.FLOAT64}) {
                        Tensor w = Antorcha.rand(n, 5 * hs).to(dt), dh = Antorcha.randn(n, hs).to(dt);
                        Tensor dc = Antorcha.randn(n, hs).to(dt), c = Antorcha.randn(n, hs).to(dt);
                        for (boolean first : new boolean[] {false, true}) {   // the first step: no incoming dc, no previous c
                            Tensor[] a = backward(SCALAR, dh, first ? null : dc, first ? null : c, w);
                            Tensor[] b = backward(vector, dh, first ? null : dc, first ? null : c, w);
                            for (int k = 0; k < 2; k++) {
                                assertThat(b[k].toDoubleArray()).as("%s hidden %d, %d threads, first %s, result %d", dt, hs, threads, first, k)
                                        .containsExactly(a[k].toDoubleArray());
                            }
                        }
                    }
                }
            }
        } finally {
            Antorcha.setNumThreads(before);
        }
    }

    private static Tensor[] backward(CpuBackend be, Tensor dh, Tensor dc, Tensor c, Tensor w) {
        int n = dh.size(0), hs = dh.size(1);
        Tensor dg = be.empty(dh.dtype(), n, 4 * hs), dcp = be.empty(dh.dtype(), n, hs);
        be.lstmCellBackward(dh, dc, c, w, dg, dcp);
        return new Tensor[] {dg, dcp};
    }

    @Test
    void float32KernelsAgreeWithFloat64AndTakeRowStridedViews() {
        Antorcha.manualSeed(22);
        int n = 4, hs = 5;
        Tensor gi = Antorcha.randn(n, 4 * hs), gh = Antorcha.randn(n, 4 * hs), c = Antorcha.randn(n, hs);
        // outputs into the halves of one [N, 2H] tensor, as the LSTM cell op writes them
        Tensor hc = SCALAR.empty(DType.FLOAT32, n, 2 * hs), w = SCALAR.empty(DType.FLOAT32, n, 5 * hs);
        Tensor h = hc.viewOf(hc.layout().narrow(1, 0, hs)), cn = hc.viewOf(hc.layout().narrow(1, hs, hs));
        SCALAR.lstmCell(gi, gh, c, h, cn, w);
        Tensor h64 = SCALAR.empty(DType.FLOAT64, n, hs), c64 = SCALAR.empty(DType.FLOAT64, n, hs), w64 = SCALAR.empty(DType.FLOAT64, n, 5 * hs);
        SCALAR.lstmCell(gi.toDouble(), gh.toDouble(), c.toDouble(), h64, c64, w64);
        close(h, h64, 1e-6, "h");
        close(cn, c64, 1e-6, "c");
        Tensor dh = Antorcha.randn(n, hs), dc = Antorcha.randn(n, hs);
        Tensor dg = SCALAR.empty(DType.FLOAT32, n, 4 * hs), dcp = SCALAR.empty(DType.FLOAT32, n, hs);
        SCALAR.lstmCellBackward(dh, dc, c, w, dg, dcp);
        Tensor dg64 = SCALAR.empty(DType.FLOAT64, n, 4 * hs), dcp64 = SCALAR.empty(DType.FLOAT64, n, hs);
        SCALAR.lstmCellBackward(dh.toDouble(), dc.toDouble(), c.toDouble(), w64, dg64, dcp64);
        close(dg, dg64, 1e-5, "dgates");
        close(dcp, dcp64, 1e-5, "dc");
    }

    @Test
    void packedProductsGiveTheBitsOfThePlainMatmulOnAnyThreadCount() {
        Antorcha.manualSeed(23);
        int before = dev.antorcha.Antorcha.getNumThreads();
        try {
            for (int threads : new int[] {1, 2}) {
                Antorcha.setNumThreads(threads);
                // [m, k] x [k, n]: the word model's step (W_hh transposed), two k-blocks with ragged edges
                for (int[] s : new int[][] {{20, 200, 800}, {13, 300, 37}, {1, 5, 3}}) {
                    int m = s[0], kk = s[1], n = s[2];
                    Tensor a = Antorcha.randn(m, kk), w = Antorcha.randn(n, kk);
                    Tensor b = w.viewOf(w.layout().transpose(0, 1));
                    for (DType dt : new DType[] {DType.FLOAT32, DType.FLOAT64}) {
                        Tensor ad = a.to(dt), bd = dt == DType.FLOAT32 ? b : w.to(dt).t();
                        Tensor expected = SCALAR.empty(dt, m, n), actual = SCALAR.empty(dt, m, n);
                        CpuBackend.INSTANCE.matmul(ad, bd, expected);
                        var packed = CpuBackend.INSTANCE.packRight(bd);
                        assertThat(packed.rows()).isEqualTo(kk);
                        assertThat(packed.cols()).isEqualTo(n);
                        CpuBackend.INSTANCE.matmulPacked(ad, packed, actual);
                        assertThat(actual.toDoubleArray()).as("%s %dx%dx%d on %d threads", dt, m, kk, n, threads)
                                .containsExactly(expected.toDoubleArray());
                    }
                }
            }
        } finally {
            Antorcha.setNumThreads(before);
        }
        var p = CpuBackend.INSTANCE.packRight(Antorcha.randn(3, 4));
        assertThatThrownBy(() -> CpuBackend.INSTANCE.matmulPacked(Antorcha.randn(2, 5), p, Antorcha.zeros(2, 4)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("expected a [m, 3]");
    }

    @Test
    void operandsOfTheWrongRankOrDtypeAreRefusedByName() {
        Tensor g = Antorcha.randn(2, 8), c = Antorcha.randn(2, 2);
        assertThatThrownBy(() -> SCALAR.lstmCell(g, g, c.toDouble(), Antorcha.zeros(2, 2), Antorcha.zeros(2, 2), Antorcha.zeros(2, 10)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("lstm_cell kernels").hasMessageContaining("float64");
        assertThatThrownBy(() -> SCALAR.gruCell(g, g, Antorcha.zeros(2), Antorcha.zeros(2, 2), Antorcha.zeros(2, 8)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("gru_cell kernels");
    }
}
