package dev.antorcha.backend.cpu;

import dev.antorcha.tensor.DType;
import dev.antorcha.tensor.Tensor;

/**
 * The CPU backend's row-wise normalisations, layer norm and softmax over the last dim: from
 * contiguous tensors to the arrays and offsets of {@link LayerNormKernels} (float32 rows on the SIMD
 * loops when the backend runs {@link PanamaKernels}) and {@link SoftmaxKernels}. {@link CpuBackend}
 * delegates to it.
 */
final class CpuBackendNorm {
    private CpuBackendNorm() {
    }

    static void layerNorm(FloatKernels k, Tensor x, Tensor w, Tensor b, double eps, int n, Tensor out, Tensor mean, Tensor rstd) {
        int rows = rows("layer_norm", x, n, w, b, out);
        check("layer_norm", rows, mean, rstd);
        if (x.dtype() == DType.FLOAT64) {
            LayerNormKernels.forward(CpuStorage.doubles(x), off(x), d(w), off(w), d(b), off(b), CpuStorage.doubles(out), off(out),
                    CpuStorage.doubles(mean), off(mean), CpuStorage.doubles(rstd), off(rstd), rows, n, eps);
        } else {
            LayerNormKernels.forward(k instanceof PanamaKernels, CpuStorage.floats(x), off(x), f(w), off(w), f(b), off(b),
                    CpuStorage.floats(out), off(out), CpuStorage.doubles(mean), off(mean), CpuStorage.doubles(rstd), off(rstd),
                    rows, n, eps);
        }
    }

    static void layerNormBackward(FloatKernels k, Tensor g, Tensor x, Tensor mean, Tensor rstd, Tensor w, int n,
                                  Tensor dx, Tensor dw, Tensor db) {
        int rows = rows("layer_norm_backward", x, n, g, w, dx, dw, db);
        check("layer_norm_backward", rows, mean, rstd);
        if (x.dtype() == DType.FLOAT64) {
            LayerNormKernels.backward(CpuStorage.doubles(g), off(g), CpuStorage.doubles(x), off(x), CpuStorage.doubles(mean),
                    off(mean), CpuStorage.doubles(rstd), off(rstd), d(w), off(w), d(dx), off(dx), d(dw), off(dw), d(db), off(db),
                    rows, n);
        } else {
            LayerNormKernels.backward(k instanceof PanamaKernels, CpuStorage.floats(g), off(g), CpuStorage.floats(x), off(x),
                    CpuStorage.doubles(mean), off(mean), CpuStorage.doubles(rstd), off(rstd), f(w), off(w), f(dx), off(dx),
                    f(dw), off(dw), f(db), off(db), rows, n);
        }
    }

    static void softmax(FloatKernels k, Tensor x, Tensor out) {
        int n = x.dim() == 0 ? 1 : x.size(-1), rows = rows("softmax", x, n, out);
        if (x.dtype() == DType.FLOAT64) {
            SoftmaxKernels.forward(CpuStorage.doubles(x), off(x), CpuStorage.doubles(out), off(out), rows, n);
        } else {
            SoftmaxKernels.forward(k instanceof PanamaKernels, CpuStorage.floats(x), off(x), CpuStorage.floats(out), off(out), rows, n);
        }
    }

    static void softmaxBackward(Tensor y, Tensor g, Tensor dx) {
        int n = y.dim() == 0 ? 1 : y.size(-1), rows = rows("softmax_backward", y, n, g, dx);
        if (y.dtype() == DType.FLOAT64) {
            SoftmaxKernels.backward(CpuStorage.doubles(y), off(y), CpuStorage.doubles(g), off(g), CpuStorage.doubles(dx), off(dx),
                    rows, n);
        } else {
            SoftmaxKernels.backward(CpuStorage.floats(y), off(y), CpuStorage.floats(g), off(g), CpuStorage.floats(dx), off(dx),
                    rows, n);
        }
    }

    static void logSoftmax(FloatKernels k, Tensor x, Tensor out) {
        int n = x.dim() == 0 ? 1 : x.size(-1), rows = rows("log_softmax", x, n, out);
        if (x.dtype() == DType.FLOAT64) {
            SoftmaxKernels.logForward(CpuStorage.doubles(x), off(x), CpuStorage.doubles(out), off(out), rows, n);
        } else {
            SoftmaxKernels.logForward(k instanceof PanamaKernels, CpuStorage.floats(x), off(x), CpuStorage.floats(out), off(out),
                    rows, n);
        }
    }

    static void logSoftmaxBackward(FloatKernels k, Tensor y, Tensor g, Tensor dx) {
        int n = y.dim() == 0 ? 1 : y.size(-1), rows = rows("log_softmax_backward", y, n, g, dx);
        if (y.dtype() == DType.FLOAT64) {
            SoftmaxKernels.logBackward(CpuStorage.doubles(y), off(y), CpuStorage.doubles(g), off(g), CpuStorage.doubles(dx), off(dx),
                    rows, n);
        } else {
            SoftmaxKernels.logBackward(k instanceof PanamaKernels, CpuStorage.floats(y), off(y), CpuStorage.floats(g), off(g),
                    CpuStorage.floats(dx), off(dx), rows, n);
        }
    }

    static void logSoftmaxBackwardOneHot(FloatKernels k, Tensor y, Tensor index, Tensor pick, Tensor dx) {
        int n = y.dim() == 0 ? 1 : y.size(-1), rows = rows("log_softmax_backward", y, n, dx);
        if (index.dtype() != DType.INT64 || !index.isContiguous() || index.numel() != rows || pick.dtype() != y.dtype()
                || !pick.isContiguous() || pick.numel() != rows) {
            throw new IllegalArgumentException("log_softmax_backward: one int64 index and one " + y.dtype().torchName()
                    + " value per row of " + y.shape() + " (contiguous), got index " + index.dtype().torchName() + " "
                    + index.shape() + " and values " + pick.dtype().torchName() + " " + pick.shape());
        }
        long[] idx = CpuStorage.longs(index);
        int io = off(index);
        for (int r = 0; r < rows; r++) {
            long c = idx[io + r];
            if (c < 0 || c >= n) {
                throw new IllegalArgumentException("log_softmax_backward: index " + c + " out of range for rows of " + n
                        + " (row " + r + ")");
            }
        }
        if (y.dtype() == DType.FLOAT64) {
            SoftmaxKernels.logBackwardOneHot(CpuStorage.doubles(y), off(y), idx, io, CpuStorage.doubles(pick), off(pick),
                    CpuStorage.doubles(dx), off(dx), rows, n);
        } else {
            SoftmaxKernels.logBackwardOneHot(k instanceof PanamaKernels, CpuStorage.floats(y), off(y), idx, io,
                    CpuStorage.floats(pick), off(pick), CpuStorage.floats(dx), off(dx), rows, n);
        }
    }

    /**
     * The number of groups: {@code x}'s elements over {@code n}. Every tensor given must be contiguous and of
     * {@code x}'s dtype (float32 or float64); those of {@code x}'s size (output, gradients) or of {@code n}
     * elements (weight, bias and their gradients) are told apart by their element count.
     */
    private static int rows(String op, Tensor x, int n, Tensor... ts) {
        long numel = x.numel();
        if (n < 1 || numel % n != 0 || (x.dtype() != DType.FLOAT32 && x.dtype() != DType.FLOAT64)) {
            throw new IllegalArgumentException(op + " kernels take a float32 or float64 input whose size is a multiple of the "
                    + "group size " + n + ", got " + x.dtype() + " " + x.shape());
        }
        for (Tensor t : ts) {
            if (t == null) continue;
            if (!t.isContiguous() || t.dtype() != x.dtype() || (t.numel() != numel && t.numel() != n) || !x.isContiguous()) {
                throw new IllegalArgumentException(op + " kernels take contiguous tensors of one dtype, of the input's size "
                        + x.shape() + " or of the group size " + n + ", got " + t.dtype() + " " + t.shape());
            }
        }
        return (int) (numel / n);
    }

    private static void check(String op, int rows, Tensor mean, Tensor rstd) {
        for (Tensor t : new Tensor[] {mean, rstd}) {
            if (t.dtype() != DType.FLOAT64 || !t.isContiguous() || t.numel() != rows) {
                throw new IllegalArgumentException(op + " kernels keep mean and rstd in contiguous float64 tensors of " + rows
                        + " elements (one per group), got " + t.dtype() + " " + t.shape());
            }
        }
    }

    private static float[] f(Tensor t) {
        return t == null ? null : CpuStorage.floats(t);
    }

    private static double[] d(Tensor t) {
        return t == null ? null : CpuStorage.doubles(t);
    }

    private static int off(Tensor t) {
        return t == null ? 0 : t.layout().offset();
    }
}
