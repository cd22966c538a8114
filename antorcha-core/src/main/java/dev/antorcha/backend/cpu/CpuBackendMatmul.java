package dev.antorcha.backend.cpu;

import dev.antorcha.backend.BinaryOp;
import dev.antorcha.tensor.DType;
import dev.antorcha.tensor.Layout;
import dev.antorcha.tensor.Shape;
import dev.antorcha.tensor.Tensor;

/**
 * The CPU backend's matrix products: from tensors (batch dims broadcast, any strides) to the arrays,
 * offsets and strides of {@link Gemm} (float32) and {@link DoubleGemm} (float64), and a linear
 * layer's product with its bias. {@link CpuBackend} delegates to it.
 */
final class CpuBackendMatmul {
    private CpuBackendMatmul() {
    }

    /** {@code out = a @ b} over broadcast batch dims, on {@link Gemm} or {@link DoubleGemm}; any strides. */
    static void matmul(FloatKernels k, DoubleGemmKernels dk, Tensor a, Tensor b, Tensor out) {
        Layout la = a.layout(), lb = b.layout(), lo = out.layout();
        int r = lo.rank();
        int m = lo.shape()[r - 2], n = lo.shape()[r - 1], kk = la.shape()[la.rank() - 1];
        int[] batch = java.util.Arrays.copyOf(lo.shape(), r - 2);
        int[] aBatch = batchStrides(la, batch), bBatch = batchStrides(lb, batch);
        int aRs = la.strides()[la.rank() - 2], aCs = la.strides()[la.rank() - 1];
        int bRs = lb.strides()[lb.rank() - 2], bCs = lb.strides()[lb.rank() - 1];
        boolean f64 = out.dtype() == DType.FLOAT64;
        float[] as = f64 ? null : CpuStorage.floats(a), bs = f64 ? null : CpuStorage.floats(b);
        float[] os = f64 ? null : CpuStorage.floats(out);
        double[] ad = f64 ? CpuStorage.doubles(a) : null, bd = f64 ? CpuStorage.doubles(b) : null;
        double[] od = f64 ? CpuStorage.doubles(out) : null;
        int batches = Shape.numel(batch);
        int[] idx = new int[batch.length];
        for (int t = 0; t < batches; t++) {
            int ao = la.offset(), bo = lb.offset(), oo = lo.offset() + t * m * n;
            for (int d = 0; d < batch.length; d++) {
                ao += idx[d] * aBatch[d];
                bo += idx[d] * bBatch[d];
            }
            if (f64) DoubleGemm.gemm(dk, m, n, kk, ad, ao, aRs, aCs, bd, bo, bRs, bCs, od, oo, n, false);
            else Gemm.gemm(k, m, n, kk, as, ao, aRs, aCs, bs, bo, bRs, bCs, os, oo, n);
            for (int d = batch.length - 1; d >= 0 && ++idx[d] == batch[d]; d--) idx[d] = 0;
        }
    }

    /** Strides of {@code l}'s batch dims (all but the last two) broadcast to {@code batch}. */
    private static int[] batchStrides(Layout l, int[] batch) {
        int lb = l.rank() - 2;
        int[] st = new int[batch.length];
        for (int d = 0; d < batch.length; d++) {
            int j = d - (batch.length - lb);
            st[d] = j >= 0 && l.shape()[j] != 1 ? l.strides()[j] : 0;
        }
        return st;
    }

    /**
     * {@code out = x Wᵀ + b}: for a 2-D float input and a contiguous bias, the bias added by the
     * product's tasks to their blocks of the output (same bits as a second pass); otherwise the
     * product, then the addition.
     */
    static void linear(CpuBackend be, FloatKernels k, DoubleGemmKernels dk, Tensor x, Tensor w, Tensor b, Tensor out) {
        Tensor wT = w.viewOf(w.layout().transpose(0, 1));
        boolean f32 = out.dtype() == DType.FLOAT32, f64 = out.dtype() == DType.FLOAT64;
        if (b != null && (f32 || f64) && x.dim() == 2 && out.isContiguous() && b.dim() == 1 && b.isContiguous()
                && b.dtype() == out.dtype() && x.dtype() == out.dtype() && w.dtype() == out.dtype() && b.size(0) == out.size(1)) {
            Layout la = x.layout(), lb = wT.layout();
            int m = out.size(0), n = out.size(1), kk = x.size(1), aRs = la.strides()[0], aCs = la.strides()[1];
            int bRs = lb.strides()[0], bCs = lb.strides()[1], oOff = out.layout().offset(), biasOff = b.layout().offset();
            if (f32) {
                Gemm.gemm(k, m, n, kk, CpuStorage.floats(x), la.offset(), aRs, aCs, CpuStorage.floats(wT), lb.offset(), bRs, bCs,
                        CpuStorage.floats(out), oOff, n, false, true, CpuStorage.floats(b), biasOff);
            } else {
                DoubleGemm.gemm(dk, m, n, kk, CpuStorage.doubles(x), la.offset(), aRs, aCs, CpuStorage.doubles(wT), lb.offset(), bRs,
                        bCs, CpuStorage.doubles(out), oOff, n, false, CpuStorage.doubles(b), biasOff);
            }
            return;
        }
        matmul(k, dk, x, wT, out);
        if (b != null) be.binary(BinaryOp.ADD, out, b, out);
    }
}
