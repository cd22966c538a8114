package dev.antorcha.cuda;

import static dev.antorcha.cuda.CudaKernels.THREADS;
import static dev.antorcha.cuda.CudaKernels.blocks;
import static dev.antorcha.cuda.CudaKernels.onThisDevice;

import dev.antorcha.backend.AdadeltaStep;
import dev.antorcha.backend.AdamStep;
import dev.antorcha.backend.Pool2d;
import dev.antorcha.backend.SgdStep;
import dev.antorcha.tensor.DType;
import dev.antorcha.tensor.Tensor;
import java.util.List;

/**
 * The CUDA backend's kernels of a training step beyond the products: max pooling and its
 * gradient, dropout's product, an LSTM step's gates and their gradient, and the optimizers' steps
 * (Adam, SGD, Adadelta). Each method returns
 * {@code false} where it does not cover the case, and the backend runs the op on the host.
 */
final class CudaSteps {
    private final Gpu gpu;
    private final CudaKernels kernels;

    CudaSteps(Gpu gpu, CudaKernels kernels) {
        this.gpu = gpu;
        this.kernels = kernels;
    }

    // ---- pooling -------------------------------------------------------------------------------

    boolean maxPool2d(Tensor x, Pool2d p, Tensor out, Tensor indices) {
        if (!onThisDevice(x, out, indices) || x.dtype() != DType.FLOAT32 || out.dtype() != DType.FLOAT32
                || indices.dtype() != DType.INT64 || !x.isContiguous() || !out.isContiguous() || !indices.isContiguous()) {
            return false;
        }
        long total = out.numel();
        if (total == 0) return true;
        Gpu.Kernel f = gpu.function("pool", List.of(), "max_pool2d");
        try (KernelArgs a = new KernelArgs()) {
            gpu.launch(f, blocks(total), THREADS, 0, a.pointer(CudaBackend.pointer(x)).pointer(CudaBackend.pointer(out))
                    .pointer(CudaBackend.pointer(indices)).i64(total).i32(x.size(-2)).i32(x.size(-1)).i32(out.size(-2))
                    .i32(out.size(-1)).i32(p.kernelH()).i32(p.kernelW()).i32(p.strideH()).i32(p.strideW()).i32(p.padH())
                    .i32(p.padW()).i32(p.dilationH()).i32(p.dilationW()));
        }
        return true;
    }

    boolean maxPool2dBackward(Tensor grad, Tensor indices, Tensor dx) {
        if (!onThisDevice(grad, indices, dx) || grad.dtype() != DType.FLOAT32 || dx.dtype() != DType.FLOAT32
                || !grad.isContiguous() || !indices.isContiguous() || !dx.isContiguous()) {
            return false;
        }
        if (!kernels.fill(dx, 0)) return false;
        long total = grad.numel();
        if (total == 0) return true;
        Gpu.Kernel f = gpu.function("pool", List.of(), "max_pool2d_backward");
        try (KernelArgs a = new KernelArgs()) {
            gpu.launch(f, blocks(total), THREADS, 0, a.pointer(CudaBackend.pointer(grad))
                    .pointer(CudaBackend.pointer(indices)).pointer(CudaBackend.pointer(dx)).i64(total)
                    .i32(dx.size(-2) * dx.size(-1)).i32(grad.size(-2) * grad.size(-1)));
        }
        return true;
    }

    /** Dropout's product: the mask's uniform draws become the scale or 0, and out = x · mask. */
    boolean dropout(Tensor x, Tensor mask, double p, Tensor out) {
        if (!onThisDevice(x, mask, out) || !dense(x, mask, out)) return false;
        long n = x.numel();
        if (n == 0) return true;
        Gpu.Kernel f = gpu.function("dropout", List.of(), "dropout");
        try (KernelArgs a = new KernelArgs()) {
            gpu.launch(f, blocks(n), THREADS, 0, a.i64(n).pointer(CudaBackend.pointer(x)).pointer(CudaBackend.pointer(mask))
                    .pointer(CudaBackend.pointer(out)).f32((float) p).f32((float) (1.0 / (1.0 - p))));
        }
        return true;
    }

    // ---- recurrent cells ---------------------------------------------------------------------

    /** Float32 rows with unit stride along dim 1: the recurrent kernels' operands (null: an absent one). */
    private static boolean rows(Tensor... ts) {
        for (Tensor t : ts) {
            if (t == null) continue;
            if (t.dtype() != DType.FLOAT32 || t.dim() != 2 || t.size(1) > 1 && t.layout().strides()[1] != 1) return false;
        }
        return true;
    }

    private static long ptr(Tensor t) {
        return t == null ? 0 : CudaBackend.pointer(t);
    }

    private static long ld(Tensor t) {
        return t == null ? 0 : t.layout().strides()[0];
    }

    boolean lstmCell(Tensor gi, Tensor gh, Tensor c, Tensor hOut, Tensor cOut, Tensor work) {
        if (!onThisDevice(gi, gh, c, hOut, cOut, work) || !rows(gi, gh, c, hOut, cOut, work)) return false;
        long n = hOut.size(0);
        int hs = hOut.size(1);
        if (n * hs == 0) return true;
        Gpu.Kernel f = gpu.function("recurrent", List.of(), "lstm_cell");
        try (KernelArgs a = new KernelArgs()) {
            gpu.launch(f, blocks(n * hs), THREADS, 0, a.pointer(ptr(gi)).i64(ld(gi)).pointer(ptr(gh)).i64(ld(gh)).pointer(ptr(c))
                    .i64(ld(c)).pointer(ptr(hOut)).i64(ld(hOut)).pointer(ptr(cOut)).i64(ld(cOut)).pointer(ptr(work)).i64(ld(work))
                    .i64(n).i32(hs));
        }
        return true;
    }

    boolean lstmCellBackward(Tensor dh, Tensor dc, Tensor c, Tensor work, Tensor dGates, Tensor dcPrev) {
        if (!onThisDevice(dh, dc, c, work, dGates, dcPrev) || !rows(dh, dc, c, work, dGates, dcPrev)) return false;
        long n = dh.size(0);
        int hs = dh.size(1);
        if (n * hs == 0) return true;
        Gpu.Kernel f = gpu.function("recurrent", List.of(), "lstm_cell_backward");
        try (KernelArgs a = new KernelArgs()) {
            gpu.launch(f, blocks(n * hs), THREADS, 0, a.pointer(ptr(dh)).i64(ld(dh)).pointer(ptr(dc)).i64(ld(dc)).pointer(ptr(c))
                    .i64(ld(c)).pointer(ptr(work)).i64(ld(work)).pointer(ptr(dGates)).i64(ld(dGates)).pointer(ptr(dcPrev))
                    .i64(ld(dcPrev)).i64(n).i32(hs));
        }
        return true;
    }

    // ---- optimizer steps ---------------------------------------------------------------------

    private static boolean dense(Tensor... ts) {
        int n = -1;
        for (Tensor t : ts) {
            if (t == null) continue;
            if (t.dtype() != DType.FLOAT32 || !t.isContiguous()) return false;
            if (n >= 0 && t.numel() != n) return false;
            n = t.numel();
        }
        return true;
    }

    private static long ptrOrNull(Tensor t) {
        return t == null ? 0 : CudaBackend.pointer(t);
    }

    boolean adam(Tensor p, Tensor g, Tensor m, Tensor v, Tensor vmax, AdamStep s) {
        if (!onThisDevice(p, g, m, v, vmax) || !dense(p, g, m, v, vmax)) return false;
        long n = p.numel();
        if (n == 0) return true;
        Gpu.Kernel f = gpu.function("optim", List.of(), "adam");
        try (KernelArgs a = new KernelArgs()) {
            gpu.launch(f, blocks(n), THREADS, 0, a.i64(n).pointer(ptrOrNull(p)).pointer(ptrOrNull(g)).pointer(ptrOrNull(m))
                    .pointer(ptrOrNull(v)).pointer(ptrOrNull(vmax)).f32((float) s.decay()).f32((float) s.weightDecay())
                    .f32((float) s.beta1()).f32((float) s.oneMinusBeta1()).f32((float) s.beta2()).f32((float) s.oneMinusBeta2())
                    .f32((float) s.bc2Sqrt()).f32((float) s.eps()).f32((float) s.negStep()).i32(s.decoupled() ? 1 : 0)
                    .i32(s.l2() ? 1 : 0));
        }
        return true;
    }

    boolean adadelta(Tensor p, Tensor g, Tensor sa, Tensor ad, AdadeltaStep s) {
        if (!onThisDevice(p, g, sa, ad) || !dense(p, g, sa, ad)) return false;
        long n = p.numel();
        if (n == 0) return true;
        Gpu.Kernel f = gpu.function("optim", List.of(), "adadelta");
        try (KernelArgs a = new KernelArgs()) {
            gpu.launch(f, blocks(n), THREADS, 0, a.i64(n).pointer(ptrOrNull(p)).pointer(ptrOrNull(g))
                    .pointer(ptrOrNull(sa)).pointer(ptrOrNull(ad)).f32((float) s.rho()).f32((float) s.oneMinusRho())
                    .f32((float) s.eps()).f32((float) s.negLr()).f32((float) s.weightDecay()).i32(s.l2() ? 1 : 0));
        }
        return true;
    }

    boolean sgd(Tensor p, Tensor g, Tensor buf, SgdStep s) {
        if (!onThisDevice(p, g, buf) || !dense(p, g, buf)) return false;
        long n = p.numel();
        if (n == 0) return true;
        Gpu.Kernel f = gpu.function("optim", List.of(), "sgd");
        try (KernelArgs a = new KernelArgs()) {
            gpu.launch(f, blocks(n), THREADS, 0, a.i64(n).pointer(ptrOrNull(p)).pointer(ptrOrNull(g)).pointer(ptrOrNull(buf))
                    .f32((float) s.negLr()).f32((float) s.momentum()).f32((float) s.keep()).f32((float) s.weightDecay())
                    .i32(s.decay() ? 1 : 0).i32(s.nesterov() ? 1 : 0).i32(s.first() ? 1 : 0));
        }
        return true;
    }
}
