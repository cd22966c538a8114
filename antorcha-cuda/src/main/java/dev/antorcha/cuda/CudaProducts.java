package dev.antorcha.cuda;

import static dev.antorcha.cuda.CudaKernels.THREADS;
import static dev.antorcha.cuda.CudaKernels.base;
import static dev.antorcha.cuda.CudaKernels.blocks;
import static dev.antorcha.cuda.CudaKernels.floating;
import static dev.antorcha.cuda.CudaKernels.onThisDevice;

import dev.antorcha.backend.ConvParams;
import dev.antorcha.tensor.DType;
import dev.antorcha.tensor.Layout;
import dev.antorcha.tensor.Tensor;
import java.util.List;

/**
 * The CUDA backend's matrix products on cuBLAS: {@code matmul} (views and batches, row-major
 * through swapped operands), {@code linear} (the bias by a row kernel) and the convolutions, lowered
 * by im2col and col2im to products. Each method returns {@code false} where it does not cover the
 * case, and the backend runs the op on the host.
 */
final class CudaProducts {
    private final CudaBackend backend;
    private final Gpu gpu;
    private final CudaKernels kernels;

    CudaProducts(CudaBackend backend, Gpu gpu, CudaKernels kernels) {
        this.backend = backend;
        this.gpu = gpu;
        this.kernels = kernels;
    }

    // ---- products ------------------------------------------------------------------------------

    /** How cuBLAS reads a 2-D row-major view {@code [rows, cols]}: as its transpose, or itself transposed. */
    private record Operand(int op, int ld) {
        /** The operand's reading, or null when neither dim has unit stride (a copy is needed). */
        static Operand of(int rows, int cols, int rowStride, int colStride) {
            if ((colStride == 1 || cols == 1) && (rows == 1 || rowStride >= Math.max(1, cols))) {
                return new Operand(Cublas.OP_N, rows == 1 ? Math.max(1, cols) : rowStride);
            }
            if ((rowStride == 1 || rows == 1) && (cols == 1 || colStride >= Math.max(1, rows))) {
                return new Operand(Cublas.OP_T, cols == 1 ? Math.max(1, rows) : colStride);
            }
            return null;
        }
    }

    /**
     * Row-major {@code C[m,n] = A[m,k]·B[k,n]} as cuBLAS's column-major {@code Cᵀ = Bᵀ·Aᵀ}: B goes
     * first. Operands given by pointer and strides; C contiguous with {@code ldc = n}.
     */
    private boolean gemm(DType dtype, int m, int n, int k, long a, int aRs, int aCs, long b, int bRs, int bCs, long c, boolean accumulate) {
        return gemm(dtype, m, n, k, a, aRs, aCs, b, bRs, bCs, c, n, accumulate);
    }

    /** As above, C's rows {@code ldc} apart. */
    private boolean gemm(DType dtype, int m, int n, int k, long a, int aRs, int aCs, long b, int bRs, int bCs, long c, int ldc,
                         boolean accumulate) {
        Operand oa = Operand.of(m, k, aRs, aCs), ob = Operand.of(k, n, bRs, bCs);
        if (oa == null || ob == null || (m > 1 && ldc < n)) return false;
        Gpu.Blas blas = gpu.blas();
        gpu.bind();   // cuBLAS works in the calling thread's current context
        int ld = Math.max(1, m > 1 ? ldc : n);
        if (dtype == DType.FLOAT32) {
            blas.sgemm(ob.op(), oa.op(), n, m, k, 1f, b, ob.ld(), a, oa.ld(), accumulate ? 1f : 0f, c, ld);
        } else {
            blas.dgemm(ob.op(), oa.op(), n, m, k, 1.0, b, ob.ld(), a, oa.ld(), accumulate ? 1.0 : 0.0, c, ld);
        }
        return true;
    }

    /** {@code b} copied for repeated products ({@code packRight}: later changes to b are not seen). */
    record Packed(Tensor b) implements dev.antorcha.backend.PackedMatrix {
        @Override
        public int rows() {
            return b.size(0);
        }

        @Override
        public int cols() {
            return b.size(1);
        }
    }

    /** {@code out = a @ b} for a packed (contiguous) {@code b} and an {@code out} whose rows may lie apart. */
    boolean matmulPacked(Tensor a, Tensor b, Tensor out) {
        DType d = out.dtype();
        if (!onThisDevice(a, b, out) || !floating(d) || a.dtype() != d || b.dtype() != d || a.dim() != 2 || out.dim() != 2
                || out.size(1) > 1 && out.layout().strides()[1] != 1) {
            return false;
        }
        int m = a.size(0), k = a.size(1), n = b.size(1);
        if (m == 0 || n == 0) return true;
        if (k == 0) return false;
        Layout la = a.layout();
        return gemm(d, m, n, k, CudaBackend.pointer(a), la.strides()[0], la.strides()[1], CudaBackend.pointer(b), n, 1,
                CudaBackend.pointer(out), out.layout().strides()[0], false);
    }

    boolean matmul(Tensor a, Tensor b, Tensor out) {
        DType d = out.dtype();
        if (!onThisDevice(a, b, out) || !floating(d) || a.dtype() != d || b.dtype() != d || !out.isContiguous()
                || a.dim() < 2 || b.dim() < 2) {
            return false;
        }
        Layout la = a.layout(), lb = b.layout(), lo = out.layout();
        int r = lo.rank(), m = lo.shape()[r - 2], n = lo.shape()[r - 1], k = la.shape()[la.rank() - 1];
        int aRs = la.strides()[la.rank() - 2], aCs = la.strides()[la.rank() - 1];
        int bRs = lb.strides()[lb.rank() - 2], bCs = lb.strides()[lb.rank() - 1];
        if (Operand.of(m, k, aRs, aCs) == null || Operand.of(k, n, bRs, bCs) == null) return false;
        int[] batch = java.util.Arrays.copyOf(lo.shape(), r - 2);
        int[] aB = batchStrides(la, batch), bB = batchStrides(lb, batch);
        long batches = 1;
        for (int s : batch) batches *= s;
        if (m == 0 || n == 0) return true;
        if (k == 0) return kernels.fill(out, 0);
        int item = d.itemSize();
        int[] idx = new int[batch.length];
        for (long t = 0; t < batches; t++) {
            long ao = la.offset(), bo = lb.offset();
            for (int q = 0; q < batch.length; q++) {
                ao += (long) idx[q] * aB[q];
                bo += (long) idx[q] * bB[q];
            }
            long co = lo.offset() + t * m * n;
            gemm(d, m, n, k, base(a) + ao * item, aRs, aCs, base(b) + bo * item, bRs, bCs, base(out) + co * item, false);
            for (int q = batch.length - 1; q >= 0 && ++idx[q] == batch[q]; q--) idx[q] = 0;
        }
        return true;
    }

    /** The strides of {@code l}'s batch dims broadcast to {@code batch}: {@link Layout#expand}'s rule, the matrix dims kept. */
    private static int[] batchStrides(Layout l, int[] batch) {
        int[] target = java.util.Arrays.copyOf(batch, batch.length + 2);
        target[batch.length] = l.shape()[l.rank() - 2];
        target[batch.length + 1] = l.shape()[l.rank() - 1];
        return java.util.Arrays.copyOf(l.expand(target).strides(), batch.length);
    }

    /** {@code out = x·Wᵀ + b} for float32: the product by cuBLAS, the bias by a row kernel. */
    boolean linear(Tensor x, Tensor w, Tensor b, Tensor out) {
        if (!onThisDevice(x, w, b, out) || x.dtype() != DType.FLOAT32 || w.dtype() != DType.FLOAT32 || out.dtype() != DType.FLOAT32
                || w.dim() != 2 || !out.isContiguous() || b != null && (b.dtype() != DType.FLOAT32 || !b.isContiguous())) {
            return false;
        }
        int in = w.size(1), outF = w.size(0), rows = in == 0 ? 0 : x.numel() / Math.max(1, in);
        if (x.dim() == 0) return false;
        Layout lx = x.layout();
        int xRs, xCs;
        if (x.dim() == 2) {
            xRs = lx.strides()[0];
            xCs = lx.strides()[1];
        } else if (x.isContiguous()) {
            xRs = in;
            xCs = 1;
        } else {
            return false;
        }
        Layout lw = w.layout();
        // Wᵀ as a [in, outF] view: rows stride = W's column stride
        if (!gemm(DType.FLOAT32, rows, outF, in, CudaBackend.pointer(x), xRs, xCs, CudaBackend.pointer(w), lw.strides()[1],
                lw.strides()[0], CudaBackend.pointer(out), false)) {
            return false;
        }
        if (b != null && (long) rows * outF > 0) {
            Gpu.Kernel f = gpu.function("rows", List.of(), "add_rows");
            long total = (long) rows * outF;
            try (KernelArgs a = new KernelArgs()) {
                gpu.launch(f, blocks(total), THREADS, 0, a.pointer(CudaBackend.pointer(out)).pointer(CudaBackend.pointer(b))
                        .pointer(CudaBackend.pointer(out)).i64(rows).i64(outF));
            }
        }
        return true;
    }

    // ---- convolution: im2col and cuBLAS ---------------------------------------------------------

    /** Most bytes of patch columns a convolution lays out at a time (the batch in chunks beyond it). */
    private static final long COLUMN_BYTES = 256L << 20;

    /** A convolution's sizes, read from its operands: x [n, c, h, w], w [o, c, kh, kw], out [n, o, oh, ow]. */
    private record ConvShape(int n, int c, int h, int w, int o, int kh, int kw, int oh, int ow, ConvParams p) {
        long ckk() {
            return (long) c * kh * kw;
        }

        long ohw() {
            return (long) oh * ow;
        }

        /** Images per chunk: their columns fit {@link #COLUMN_BYTES}. */
        int chunk() {
            return (int) Math.max(1, Math.min(n, COLUMN_BYTES / Math.max(1, 4 * ckk() * ohw())));
        }
    }

    private static boolean convCase(ConvParams p, Tensor... ts) {
        if (p.groups() != 1) return false;
        for (Tensor t : ts) if (t != null && (t.dtype() != DType.FLOAT32 || !t.isContiguous() || t.dim() < 1)) return false;
        return true;
    }

    /** Runs im2col or col2im over images {@code [n0, n0 + nb)}. */
    private void lower(String kernel, Tensor image, int n0, int nb, Tensor col, ConvShape s) {
        long total = kernel.equals("im2col") ? nb * s.ckk() * s.ohw() : (long) nb * s.c() * s.h() * s.w();
        if (total == 0) return;
        long imageOffset = (long) n0 * s.c() * s.h() * s.w() * 4;
        Gpu.Kernel f = gpu.function("conv", List.of(), kernel);
        ConvParams p = s.p();
        try (KernelArgs a = new KernelArgs()) {
            KernelArgs args = kernel.equals("im2col")
                    ? a.pointer(CudaBackend.pointer(image) + imageOffset).pointer(CudaBackend.pointer(col))
                    : a.pointer(CudaBackend.pointer(col)).pointer(CudaBackend.pointer(image) + imageOffset);
            gpu.launch(f, blocks(total), THREADS, 0, args.i64(total).i32(s.c()).i32(s.h()).i32(s.w()).i32(s.oh()).i32(s.ow())
                    .i32(s.kh()).i32(s.kw()).i32(p.strideH()).i32(p.strideW()).i32(p.padH()).i32(p.padW()).i32(p.dilationH())
                    .i32(p.dilationW()));
        }
    }

    /** Row-major products {@code C[i] = A[i]·B[i]} for {@code batch} matrices {@code stride} elements apart (0: shared). */
    private boolean gemmBatched(int m, int n, int k, long a, int aRs, int aCs, long aStride, long b, int bRs, int bCs, long bStride,
                                long c, long cStride, int batch) {
        Operand oa = Operand.of(m, k, aRs, aCs), ob = Operand.of(k, n, bRs, bCs);
        if (oa == null || ob == null) return false;
        Gpu.Blas blas = gpu.blas();
        gpu.bind();
        blas.sgemmBatched(ob.op(), oa.op(), n, m, k, 1f, b, ob.ld(), bStride, a, oa.ld(), aStride, 0f, c, Math.max(1, n), cStride, batch);
        return true;
    }

    boolean conv2d(Tensor x, Tensor w, Tensor b, ConvParams p, Tensor out) {
        if (!onThisDevice(x, w, b, out) || !convCase(p, x, w, b, out) || x.dim() != 4 || w.dim() != 4) return false;
        ConvShape s = new ConvShape(x.size(0), x.size(1), x.size(2), x.size(3), w.size(0), w.size(2), w.size(3), out.size(2),
                out.size(3), p);
        if (s.ckk() > Integer.MAX_VALUE || s.ohw() > Integer.MAX_VALUE) return false;
        int ckk = (int) s.ckk(), ohw = (int) s.ohw(), chunk = s.chunk();
        Tensor col = backend.uninitialized(DType.FLOAT32, chunk * ckk * ohw);
        for (int n0 = 0; n0 < s.n(); n0 += chunk) {
            int nb = Math.min(chunk, s.n() - n0);
            lower("im2col", x, n0, nb, col, s);
            long y0 = CudaBackend.pointer(out) + 4L * n0 * s.o() * ohw;
            // y[n] [o, ohw] = W [o, ckk] · col[n] [ckk, ohw]
            if (!gemmBatched(s.o(), ohw, ckk, CudaBackend.pointer(w), ckk, 1, 0, CudaBackend.pointer(col), ohw, 1, (long) ckk * ohw,
                    y0, (long) s.o() * ohw, nb)) {
                return false;
            }
        }
        if (b != null && out.numel() > 0) {
            Gpu.Kernel f = gpu.function("conv", List.of(), "add_channel_bias");
            try (KernelArgs a = new KernelArgs()) {
                gpu.launch(f, blocks(out.numel()), THREADS, 0, a.pointer(CudaBackend.pointer(out))
                        .pointer(CudaBackend.pointer(b)).i64(out.numel()).i32(s.o()).i64(ohw));
            }
        }
        return true;
    }

    boolean conv2dInputGrad(Tensor gradOut, Tensor w, ConvParams p, Tensor gradIn) {
        if (!onThisDevice(gradOut, w, gradIn) || !convCase(p, gradOut, w, gradIn) || gradIn.dim() != 4 || w.dim() != 4) return false;
        ConvShape s = new ConvShape(gradIn.size(0), gradIn.size(1), gradIn.size(2), gradIn.size(3), w.size(0), w.size(2), w.size(3),
                gradOut.size(2), gradOut.size(3), p);
        if (s.ckk() > Integer.MAX_VALUE || s.ohw() > Integer.MAX_VALUE) return false;
        int ckk = (int) s.ckk(), ohw = (int) s.ohw(), chunk = s.chunk();
        Tensor col = backend.uninitialized(DType.FLOAT32, chunk * ckk * ohw);
        for (int n0 = 0; n0 < s.n(); n0 += chunk) {
            int nb = Math.min(chunk, s.n() - n0);
            long g0 = CudaBackend.pointer(gradOut) + 4L * n0 * s.o() * ohw;
            // dcol[n] [ckk, ohw] = Wᵀ [ckk, o] · dy[n] [o, ohw]
            if (!gemmBatched(ckk, ohw, s.o(), CudaBackend.pointer(w), 1, ckk, 0, g0, ohw, 1, (long) s.o() * ohw,
                    CudaBackend.pointer(col), (long) ckk * ohw, nb)) {
                return false;
            }
            lower("col2im", gradIn, n0, nb, col, s);
        }
        return true;
    }

    boolean conv2dWeightGrad(Tensor gradOut, Tensor x, ConvParams p, Tensor gradW) {
        if (!onThisDevice(gradOut, x, gradW) || !convCase(p, gradOut, x, gradW) || x.dim() != 4 || gradW.dim() != 4) return false;
        ConvShape s = new ConvShape(x.size(0), x.size(1), x.size(2), x.size(3), gradW.size(0), gradW.size(2), gradW.size(3),
                gradOut.size(2), gradOut.size(3), p);
        if (s.ckk() > Integer.MAX_VALUE || s.ohw() > Integer.MAX_VALUE) return false;
        int ckk = (int) s.ckk(), ohw = (int) s.ohw(), chunk = s.chunk();
        if (s.n() == 0) return kernels.fill(gradW, 0);
        Tensor col = backend.uninitialized(DType.FLOAT32, chunk * ckk * ohw);
        for (int n0 = 0; n0 < s.n(); n0 += chunk) {
            int nb = Math.min(chunk, s.n() - n0);
            lower("im2col", x, n0, nb, col, s);
            for (int i = 0; i < nb; i++) {
                long g = CudaBackend.pointer(gradOut) + 4L * (n0 + i) * s.o() * ohw, c = CudaBackend.pointer(col) + 4L * i * ckk * ohw;
                // dW [o, ckk] (+)= dy[n] [o, ohw] · col[n]ᵀ [ohw, ckk]
                if (!gemm(DType.FLOAT32, s.o(), ckk, ohw, g, ohw, 1, c, 1, ohw, CudaBackend.pointer(gradW), n0 + i > 0)) return false;
            }
        }
        return true;
    }

}
