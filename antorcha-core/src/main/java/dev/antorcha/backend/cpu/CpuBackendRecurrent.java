package dev.antorcha.backend.cpu;

import dev.antorcha.tensor.DType;
import dev.antorcha.tensor.Tensor;

/**
 * The CPU backend's recurrent-cell methods: from tensors (2-D, unit stride along the row, rows
 * possibly apart as in narrow views) to the arrays, row offsets and row strides of
 * {@link RecurrentKernels}; float32 forwards on {@link PanamaRecurrentKernels} when the backend
 * runs the SIMD kernels. {@link CpuBackend} delegates to it.
 */
final class CpuBackendRecurrent {
    private CpuBackendRecurrent() {
    }

    static void lstmCell(FloatKernels k, Tensor gi, Tensor gh, Tensor c, Tensor hOut, Tensor cOut, Tensor work) {
        int n = rows("lstm_cell", gi, gh, c, hOut, cOut, work), hs = hOut.size(1);
        if (gi.dtype() == DType.FLOAT64) {
            RecurrentKernels.lstmForward(CpuStorage.doubles(gi), off(gi), ld(gi), CpuStorage.doubles(gh), off(gh), ld(gh),
                    c == null ? null : CpuStorage.doubles(c), off(c), ld(c), CpuStorage.doubles(hOut), off(hOut), ld(hOut),
                    CpuStorage.doubles(cOut), off(cOut), ld(cOut), CpuStorage.doubles(work), off(work), ld(work), n, hs);
        } else if (k instanceof PanamaKernels) {
            PanamaRecurrentKernels.lstmForward(CpuStorage.floats(gi), off(gi), ld(gi), CpuStorage.floats(gh), off(gh), ld(gh),
                    c == null ? null : CpuStorage.floats(c), off(c), ld(c), CpuStorage.floats(hOut), off(hOut), ld(hOut),
                    CpuStorage.floats(cOut), off(cOut), ld(cOut), CpuStorage.floats(work), off(work), ld(work), n, hs);
        } else {
            RecurrentKernels.lstmForward(CpuStorage.floats(gi), off(gi), ld(gi), CpuStorage.floats(gh), off(gh), ld(gh),
                    c == null ? null : CpuStorage.floats(c), off(c), ld(c), CpuStorage.floats(hOut), off(hOut), ld(hOut),
                    CpuStorage.floats(cOut), off(cOut), ld(cOut), CpuStorage.floats(work), off(work), ld(work), n, hs, 0);
        }
    }

    static void lstmCellBackward(Tensor dh, Tensor dc, Tensor c, Tensor work, Tensor dGates, Tensor dcPrev) {
        int n = rows("lstm_cell_backward", dh, dc, c, work, dGates, dcPrev), hs = dh.size(1);
        if (dh.dtype() == DType.FLOAT64) {
            RecurrentKernels.lstmBackward(CpuStorage.doubles(dh), off(dh), ld(dh), dc == null ? null : CpuStorage.doubles(dc),
                    off(dc), ld(dc), c == null ? null : CpuStorage.doubles(c), off(c), ld(c), CpuStorage.doubles(work), off(work),
                    ld(work), CpuStorage.doubles(dGates), off(dGates), ld(dGates), CpuStorage.doubles(dcPrev), off(dcPrev),
                    ld(dcPrev), n, hs);
        } else {
            RecurrentKernels.lstmBackward(CpuStorage.floats(dh), off(dh), ld(dh), dc == null ? null : CpuStorage.floats(dc),
                    off(dc), ld(dc), c == null ? null : CpuStorage.floats(c), off(c), ld(c), CpuStorage.floats(work), off(work),
                    ld(work), CpuStorage.floats(dGates), off(dGates), ld(dGates), CpuStorage.floats(dcPrev), off(dcPrev),
                    ld(dcPrev), n, hs);
        }
    }

    static void gruCell(FloatKernels k, Tensor gi, Tensor gh, Tensor h, Tensor hOut, Tensor work) {
        int n = rows("gru_cell", gi, gh, h, hOut, work), hs = hOut.size(1);
        if (gi.dtype() == DType.FLOAT64) {
            RecurrentKernels.gruForward(CpuStorage.doubles(gi), off(gi), ld(gi), CpuStorage.doubles(gh), off(gh), ld(gh),
                    CpuStorage.doubles(h), off(h), ld(h), CpuStorage.doubles(hOut), off(hOut), ld(hOut),
                    CpuStorage.doubles(work), off(work), ld(work), n, hs);
        } else if (k instanceof PanamaKernels) {
            PanamaRecurrentKernels.gruForward(CpuStorage.floats(gi), off(gi), ld(gi), CpuStorage.floats(gh), off(gh), ld(gh),
                    CpuStorage.floats(h), off(h), ld(h), CpuStorage.floats(hOut), off(hOut), ld(hOut),
                    CpuStorage.floats(work), off(work), ld(work), n, hs);
        } else {
            RecurrentKernels.gruForward(CpuStorage.floats(gi), off(gi), ld(gi), CpuStorage.floats(gh), off(gh), ld(gh),
                    CpuStorage.floats(h), off(h), ld(h), CpuStorage.floats(hOut), off(hOut), ld(hOut),
                    CpuStorage.floats(work), off(work), ld(work), n, hs, 0);
        }
    }

    static void gruCellBackward(Tensor dh, Tensor h, Tensor work, Tensor dGi, Tensor dGh, Tensor dhPrev) {
        int n = rows("gru_cell_backward", dh, h, work, dGi, dGh, dhPrev), hs = dh.size(1);
        if (dh.dtype() == DType.FLOAT64) {
            RecurrentKernels.gruBackward(CpuStorage.doubles(dh), off(dh), ld(dh), CpuStorage.doubles(h), off(h), ld(h),
                    CpuStorage.doubles(work), off(work), ld(work), CpuStorage.doubles(dGi), off(dGi), ld(dGi),
                    CpuStorage.doubles(dGh), off(dGh), ld(dGh), CpuStorage.doubles(dhPrev), off(dhPrev), ld(dhPrev), n, hs);
        } else {
            RecurrentKernels.gruBackward(CpuStorage.floats(dh), off(dh), ld(dh), CpuStorage.floats(h), off(h), ld(h),
                    CpuStorage.floats(work), off(work), ld(work), CpuStorage.floats(dGi), off(dGi), ld(dGi),
                    CpuStorage.floats(dGh), off(dGh), ld(dGh), CpuStorage.floats(dhPrev), off(dhPrev), ld(dhPrev), n, hs);
        }
    }

    /** The common row count of the operands (null ones skipped), each checked 2-D, of one floating dtype, unit stride in a row. */
    private static int rows(String op, Tensor... ts) {
        Tensor first = ts[0];
        for (Tensor t : ts) {
            if (t == null) continue;
            if (t.dim() != 2 || t.size(0) != first.size(0) || t.dtype() != first.dtype()
                    || (t.dtype() != DType.FLOAT32 && t.dtype() != DType.FLOAT64) || (t.size(1) > 1 && t.layout().strides()[1] != 1)) {
                throw new IllegalArgumentException(op + " kernels take 2-D float32 or float64 tensors of one dtype and row count, "
                        + "unit stride within a row; got " + t.dtype().torchName() + " " + t.shape() + " strides "
                        + java.util.Arrays.toString(t.layout().strides()) + " beside " + first.dtype().torchName() + " " + first.shape());
            }
        }
        return first.size(0);
    }

    private static int off(Tensor t) {
        return t == null ? 0 : t.layout().offset();
    }

    private static int ld(Tensor t) {
        return t == null ? 0 : t.layout().strides()[0];
    }
}
