package dev.antorcha.backend.cpu;

import dev.antorcha.backend.ConvParams;
import dev.antorcha.backend.Pool2d;
import dev.antorcha.tensor.DType;
import dev.antorcha.tensor.Tensor;

/**
 * The CPU backend's convolution and pooling methods: from tensors to the arrays and offsets of
 * {@link ConvKernels} and {@link PoolKernels}, float32 with the backend's kernels {@code k},
 * float64 with the scalar loops. {@link CpuBackend} delegates to it.
 */
final class CpuBackendLayers {
    private CpuBackendLayers() {
    }

    // ---- convolution -----------------------------------------------------------------------

    static void conv2d(FloatKernels k, Tensor x, Tensor w, Tensor b, ConvParams p, Tensor out) {
        ConvKernels.Dims d = convDims(x, w, out);
        if (out.dtype() == DType.FLOAT64) {
            ConvKernels.forward(CpuStorage.doubles(x), CpuBackend.contiguousOffset(x), CpuStorage.doubles(w), CpuBackend.contiguousOffset(w),
                    b == null ? null : CpuStorage.doubles(b), b == null ? 0 : CpuBackend.contiguousOffset(b),
                    CpuStorage.doubles(out), CpuBackend.contiguousOffset(out), d, p);
        } else {
            ConvKernels.forward(k, CpuStorage.floats(x), CpuBackend.contiguousOffset(x), CpuStorage.floats(w), CpuBackend.contiguousOffset(w),
                    b == null ? null : CpuStorage.floats(b), b == null ? 0 : CpuBackend.contiguousOffset(b),
                    CpuStorage.floats(out), CpuBackend.contiguousOffset(out), d, p);
        }
    }

    static void conv2dInputGrad(FloatKernels k, Tensor gradOut, Tensor w, ConvParams p, Tensor gradIn) {
        ConvKernels.Dims d = convDims(gradIn, w, gradOut);
        if (gradIn.dtype() == DType.FLOAT64) {
            ConvKernels.inputGrad(CpuStorage.doubles(gradOut), CpuBackend.contiguousOffset(gradOut), CpuStorage.doubles(w),
                    CpuBackend.contiguousOffset(w), CpuStorage.doubles(gradIn), CpuBackend.contiguousOffset(gradIn), d, p);
        } else {
            ConvKernels.inputGrad(k, CpuStorage.floats(gradOut), CpuBackend.contiguousOffset(gradOut), CpuStorage.floats(w),
                    CpuBackend.contiguousOffset(w), CpuStorage.floats(gradIn), CpuBackend.contiguousOffset(gradIn), d, p);
        }
    }

    static void conv2dWeightGrad(FloatKernels k, Tensor gradOut, Tensor x, ConvParams p, Tensor gradW) {
        ConvKernels.Dims d = convDims(x, gradW, gradOut);
        if (gradW.dtype() == DType.FLOAT64) {
            ConvKernels.weightGrad(CpuStorage.doubles(gradOut), CpuBackend.contiguousOffset(gradOut), CpuStorage.doubles(x),
                    CpuBackend.contiguousOffset(x), CpuStorage.doubles(gradW), CpuBackend.contiguousOffset(gradW), d, p);
        } else {
            ConvKernels.weightGrad(k, CpuStorage.floats(gradOut), CpuBackend.contiguousOffset(gradOut), CpuStorage.floats(x),
                    CpuBackend.contiguousOffset(x), CpuStorage.floats(gradW), CpuBackend.contiguousOffset(gradW), d, p);
        }
    }

    /** The sizes of a convolution from its input {@code [N, C, H, W]}, weight and output {@code [N, O, Ho, Wo]}. */
    private static ConvKernels.Dims convDims(Tensor x, Tensor w, Tensor out) {
        int[] xs = x.layout().shape(), ws = w.layout().shape(), os = out.layout().shape();
        for (Tensor t : new Tensor[] {x, w, out}) {
            if (t.dtype() != DType.FLOAT32 && t.dtype() != DType.FLOAT64 || t.dtype() != out.dtype() || t.dim() != 4) {
                throw new IllegalArgumentException("conv2d kernels take 4-D float32 or float64 tensors of one dtype, got "
                        + t.dtype() + " " + t.shape());
            }
        }
        return new ConvKernels.Dims(xs[0], xs[1], xs[2], xs[3], os[1], ws[2], ws[3], os[2], os[3]);
    }

    // ---- pooling ---------------------------------------------------------------------------

    static void maxPool2d(FloatKernels k, Tensor x, Pool2d window, Tensor out, Tensor indices) {
        int h = x.size(-2), w = x.size(-1), oh = out.size(-2), ow = out.size(-1), planes = planes(out);
        int xo = CpuBackend.contiguousOffset(x), yo = CpuBackend.contiguousOffset(out);
        if (CpuBackend.contiguousOffset(indices) != yo) throw new IllegalArgumentException("indices and out must start at the same position");
        if (x.dtype() == DType.FLOAT64) {
            PoolKernels.maxPool(CpuStorage.doubles(x), xo, CpuStorage.doubles(out), CpuStorage.longs(indices), yo, planes, h, w, oh, ow, window);
        } else {
            PoolKernels.maxPool(k, CpuStorage.floats(x), xo, CpuStorage.floats(out), CpuStorage.longs(indices), yo, planes, h, w, oh, ow, window);
        }
    }

    static void maxPool2dBackward(FloatKernels k, Tensor grad, Tensor indices, Tensor dx) {
        int hw = dx.size(-2) * dx.size(-1), ohw = grad.size(-2) * grad.size(-1), planes = planes(dx);
        int go = CpuBackend.contiguousOffset(grad), io = CpuBackend.contiguousOffset(indices), dxo = CpuBackend.contiguousOffset(dx);
        if (dx.dtype() == DType.FLOAT64) {
            PoolKernels.maxPoolBackward(CpuStorage.doubles(grad), go, CpuStorage.longs(indices), io, CpuStorage.doubles(dx), dxo, planes, hw, ohw);
        } else {
            PoolKernels.maxPoolBackward(CpuStorage.floats(grad), go, CpuStorage.longs(indices), io, CpuStorage.floats(dx), dxo, planes, hw, ohw);
        }
    }

    static void avgPool2d(FloatKernels k, Tensor x, Pool2d window, boolean countIncludePad, int divisorOverride, Tensor out) {
        int h = x.size(-2), w = x.size(-1), oh = out.size(-2), ow = out.size(-1), planes = planes(out);
        int xo = CpuBackend.contiguousOffset(x), yo = CpuBackend.contiguousOffset(out);
        if (x.dtype() == DType.FLOAT64) {
            PoolKernels.avgPool(CpuStorage.doubles(x), xo, CpuStorage.doubles(out), yo, planes, h, w, oh, ow, window, countIncludePad, divisorOverride);
        } else {
            PoolKernels.avgPool(CpuStorage.floats(x), xo, CpuStorage.floats(out), yo, planes, h, w, oh, ow, window, countIncludePad, divisorOverride);
        }
    }

    static void avgPool2dBackward(FloatKernels k, Tensor grad, Pool2d window, boolean countIncludePad, int divisorOverride, Tensor dx) {
        int h = dx.size(-2), w = dx.size(-1), oh = grad.size(-2), ow = grad.size(-1), planes = planes(dx);
        int go = CpuBackend.contiguousOffset(grad), dxo = CpuBackend.contiguousOffset(dx);
        if (dx.dtype() == DType.FLOAT64) {
            PoolKernels.avgPoolBackward(CpuStorage.doubles(grad), go, CpuStorage.doubles(dx), dxo, planes, h, w, oh, ow, window, countIncludePad, divisorOverride);
        } else {
            PoolKernels.avgPoolBackward(CpuStorage.floats(grad), go, CpuStorage.floats(dx), dxo, planes, h, w, oh, ow, window, countIncludePad, divisorOverride);
        }
    }

    static void adaptiveAvgPool2d(FloatKernels k, Tensor x, Tensor out) {
        int h = x.size(-2), w = x.size(-1), oh = out.size(-2), ow = out.size(-1), planes = planes(out);
        int xo = CpuBackend.contiguousOffset(x), yo = CpuBackend.contiguousOffset(out);
        if (x.dtype() == DType.FLOAT64) {
            PoolKernels.adaptiveAvgPool(CpuStorage.doubles(x), xo, CpuStorage.doubles(out), yo, planes, h, w, oh, ow);
        } else {
            PoolKernels.adaptiveAvgPool(CpuStorage.floats(x), xo, CpuStorage.floats(out), yo, planes, h, w, oh, ow);
        }
    }

    static void adaptiveAvgPool2dBackward(FloatKernels k, Tensor grad, Tensor dx) {
        int h = dx.size(-2), w = dx.size(-1), oh = grad.size(-2), ow = grad.size(-1), planes = planes(dx);
        int go = CpuBackend.contiguousOffset(grad), dxo = CpuBackend.contiguousOffset(dx);
        if (dx.dtype() == DType.FLOAT64) {
            PoolKernels.adaptiveAvgPoolBackward(CpuStorage.doubles(grad), go, CpuStorage.doubles(dx), dxo, planes, h, w, oh, ow);
        } else {
            PoolKernels.adaptiveAvgPoolBackward(CpuStorage.floats(grad), go, CpuStorage.floats(dx), dxo, planes, h, w, oh, ow);
        }
    }

    /** The number of {@code [H, W]} planes of a pooling tensor: the product of its leading dims. */
    private static int planes(Tensor t) {
        return t.numel() == 0 ? 0 : t.numel() / (t.size(-2) * t.size(-1));
    }
}
