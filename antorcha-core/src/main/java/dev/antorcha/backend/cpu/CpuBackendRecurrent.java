package dev.antorcha.backend.cpu;

import dev.antorcha.backend.PackedMatrix;
import dev.antorcha.tensor.DType;
import dev.antorcha.tensor.Tensor;

/**
 * The CPU backend's recurrent-cell methods: from tensors (2-D, unit stride along the row, rows
 * possibly apart as in narrow views) to the arrays, row offsets and row strides of
 * {@link RecurrentKernels}; the forwards on {@link PanamaRecurrentKernels} when the backend runs
 * the SIMD kernels, their rows split among threads. {@link CpuBackend} delegates to it.
 */
final class CpuBackendRecurrent {
    private CpuBackendRecurrent() {
    }

    static void lstmCell(FloatKernels k, Tensor gi, Tensor gh, Tensor c, Tensor hOut, Tensor cOut, Tensor work) {
        int n = rows("lstm_cell", gi, gh, c, hOut, cOut, work), hs = hOut.size(1);
        boolean simd = k instanceof PanamaKernels;
        // rows split among threads: each element is computed alone, so the bits do not depend on the split
        int tasks = simd ? rowTasks(n, 5 * hs) : 1;
        if (gi.dtype() == DType.FLOAT64) {
            double[] giv = CpuStorage.doubles(gi), ghv = CpuStorage.doubles(gh), cv = c == null ? null : CpuStorage.doubles(c);
            double[] hv = CpuStorage.doubles(hOut), cnv = CpuStorage.doubles(cOut), wv = CpuStorage.doubles(work);
            Parallel.forEach(tasks, tasks > 1, t -> {
                int r0 = t * n / tasks, r1 = (t + 1) * n / tasks;
                int gio = off(gi) + r0 * ld(gi), gho = off(gh) + r0 * ld(gh), co = off(c) + r0 * ld(c);
                int ho = off(hOut) + r0 * ld(hOut), cno = off(cOut) + r0 * ld(cOut), wo = off(work) + r0 * ld(work);
                if (simd) {
                    PanamaRecurrentKernels.lstmForward(giv, gio, ld(gi), ghv, gho, ld(gh), cv, co, ld(c), hv, ho, ld(hOut),
                            cnv, cno, ld(cOut), wv, wo, ld(work), r1 - r0, hs);
                } else {
                    RecurrentKernels.lstmForward(giv, gio, ld(gi), ghv, gho, ld(gh), cv, co, ld(c), hv, ho, ld(hOut),
                            cnv, cno, ld(cOut), wv, wo, ld(work), r1 - r0, hs);
                }
            });
        } else {
            float[] giv = CpuStorage.floats(gi), ghv = CpuStorage.floats(gh), cv = c == null ? null : CpuStorage.floats(c);
            float[] hv = CpuStorage.floats(hOut), cnv = CpuStorage.floats(cOut), wv = CpuStorage.floats(work);
            Parallel.forEach(tasks, tasks > 1, t -> {
                int r0 = t * n / tasks, r1 = (t + 1) * n / tasks;
                int gio = off(gi) + r0 * ld(gi), gho = off(gh) + r0 * ld(gh), co = off(c) + r0 * ld(c);
                int ho = off(hOut) + r0 * ld(hOut), cno = off(cOut) + r0 * ld(cOut), wo = off(work) + r0 * ld(work);
                if (simd) {
                    PanamaRecurrentKernels.lstmForward(giv, gio, ld(gi), ghv, gho, ld(gh), cv, co, ld(c), hv, ho, ld(hOut),
                            cnv, cno, ld(cOut), wv, wo, ld(work), r1 - r0, hs);
                } else {
                    RecurrentKernels.lstmForward(giv, gio, ld(gi), ghv, gho, ld(gh), cv, co, ld(c), hv, ho, ld(hOut),
                            cnv, cno, ld(cOut), wv, wo, ld(work), r1 - r0, hs);
                }
            });
        }
    }

    static void lstmCellBackward(FloatKernels k, Tensor dh, Tensor dc, Tensor c, Tensor work, Tensor dGates, Tensor dcPrev) {
        int n = rows("lstm_cell_backward", dh, dc, c, work, dGates, dcPrev), hs = dh.size(1);
        boolean simd = k instanceof PanamaKernels;
        // rows split among threads as in the forward: each element alone, the same bits for any split
        int tasks = simd ? rowTasks(n, 5 * hs) : 1;
        Parallel.forEach(tasks, tasks > 1, t -> lstmBackwardRows(simd, dh, dc, c, work, dGates, dcPrev, t * n / tasks,
                (t + 1) * n / tasks, hs));
    }

    /** Rows {@code [r0, r1)} of {@link #lstmCellBackward}. */
    private static void lstmBackwardRows(boolean simd, Tensor dh, Tensor dc, Tensor c, Tensor work, Tensor dg, Tensor dcp,
                                         int r0, int r1, int hs) {
        int n = r1 - r0, dho = at(dh, r0), dco = at(dc, r0), co = at(c, r0), wo = at(work, r0), go = at(dg, r0), po = at(dcp, r0);
        if (dh.dtype() == DType.FLOAT64) {
            double[] dcv = dc == null ? null : CpuStorage.doubles(dc), cv = c == null ? null : CpuStorage.doubles(c);
            if (simd) {
                PanamaRecurrentKernels.lstmBackward(CpuStorage.doubles(dh), dho, ld(dh), dcv, dco, ld(dc), cv, co, ld(c),
                        CpuStorage.doubles(work), wo, ld(work), CpuStorage.doubles(dg), go, ld(dg), CpuStorage.doubles(dcp), po,
                        ld(dcp), n, hs);
            } else {
                RecurrentKernels.lstmBackward(CpuStorage.doubles(dh), dho, ld(dh), dcv, dco, ld(dc), cv, co, ld(c),
                        CpuStorage.doubles(work), wo, ld(work), CpuStorage.doubles(dg), go, ld(dg), CpuStorage.doubles(dcp), po,
                        ld(dcp), n, hs);
            }
        } else {
            float[] dcv = dc == null ? null : CpuStorage.floats(dc), cv = c == null ? null : CpuStorage.floats(c);
            if (simd) {
                PanamaRecurrentKernels.lstmBackward(CpuStorage.floats(dh), dho, ld(dh), dcv, dco, ld(dc), cv, co, ld(c),
                        CpuStorage.floats(work), wo, ld(work), CpuStorage.floats(dg), go, ld(dg), CpuStorage.floats(dcp), po,
                        ld(dcp), n, hs);
            } else {
                RecurrentKernels.lstmBackward(CpuStorage.floats(dh), dho, ld(dh), dcv, dco, ld(dc), cv, co, ld(c),
                        CpuStorage.floats(work), wo, ld(work), CpuStorage.floats(dg), go, ld(dg), CpuStorage.floats(dcp), po,
                        ld(dcp), n, hs);
            }
        }
    }

    /** Where row {@code r} of {@code t} starts (0 for a null operand). */
    private static int at(Tensor t, int r) {
        return off(t) + r * ld(t);
    }

    static void gruCell(FloatKernels k, Tensor gi, Tensor gh, Tensor h, Tensor hOut, Tensor work) {
        int n = rows("gru_cell", gi, gh, h, hOut, work), hs = hOut.size(1);
        boolean simd = k instanceof PanamaKernels;
        int tasks = simd ? rowTasks(n, 3 * hs) : 1;
        if (gi.dtype() == DType.FLOAT64) {
            double[] giv = CpuStorage.doubles(gi), ghv = CpuStorage.doubles(gh), hv = CpuStorage.doubles(h);
            double[] ov = CpuStorage.doubles(hOut), wv = CpuStorage.doubles(work);
            Parallel.forEach(tasks, tasks > 1, t -> {
                int r0 = t * n / tasks, r1 = (t + 1) * n / tasks;
                int gio = off(gi) + r0 * ld(gi), gho = off(gh) + r0 * ld(gh), hpo = off(h) + r0 * ld(h);
                int oo = off(hOut) + r0 * ld(hOut), wo = off(work) + r0 * ld(work);
                if (simd) {
                    PanamaRecurrentKernels.gruForward(giv, gio, ld(gi), ghv, gho, ld(gh), hv, hpo, ld(h), ov, oo, ld(hOut),
                            wv, wo, ld(work), r1 - r0, hs);
                } else {
                    RecurrentKernels.gruForward(giv, gio, ld(gi), ghv, gho, ld(gh), hv, hpo, ld(h), ov, oo, ld(hOut),
                            wv, wo, ld(work), r1 - r0, hs);
                }
            });
        } else {
            float[] giv = CpuStorage.floats(gi), ghv = CpuStorage.floats(gh), hv = CpuStorage.floats(h);
            float[] ov = CpuStorage.floats(hOut), wv = CpuStorage.floats(work);
            Parallel.forEach(tasks, tasks > 1, t -> {
                int r0 = t * n / tasks, r1 = (t + 1) * n / tasks;
                int gio = off(gi) + r0 * ld(gi), gho = off(gh) + r0 * ld(gh), hpo = off(h) + r0 * ld(h);
                int oo = off(hOut) + r0 * ld(hOut), wo = off(work) + r0 * ld(work);
                if (simd) {
                    PanamaRecurrentKernels.gruForward(giv, gio, ld(gi), ghv, gho, ld(gh), hv, hpo, ld(h), ov, oo, ld(hOut),
                            wv, wo, ld(work), r1 - r0, hs);
                } else {
                    RecurrentKernels.gruForward(giv, gio, ld(gi), ghv, gho, ld(gh), hv, hpo, ld(h), ov, oo, ld(hOut),
                            wv, wo, ld(work), r1 - r0, hs);
                }
            });
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

    // ---- the recurrent product against a weight packed once ----------------------------------

    /** A float32 right operand packed as {@link Gemm#multiplyPacked} reads it. */
    private record PackedFloats(float[] bp, int rows, int cols) implements PackedMatrix {
    }

    /** Any other dtype: a private copy, multiplied by the plain matmul. */
    private record PackedCopy(Tensor b, int rows, int cols) implements PackedMatrix {
    }

    private static final ThreadLocal<float[][]> PACKED_A = ThreadLocal.withInitial(() -> new float[1][]);

    static PackedMatrix packRight(FloatKernels k, Tensor b) {
        if (b.dim() != 2 || !b.dtype().isFloatingPoint()) {
            throw new IllegalArgumentException("packRight takes a 2-D floating matrix, got " + b.dtype().torchName() + " " + b.shape());
        }
        int kk = b.size(0), n = b.size(1);
        if (b.dtype() != DType.FLOAT32) return new PackedCopy(b.contiguousCopy(), kk, n);
        int[] st = b.layout().strides();
        float[] bp = new float[Gemm.packedBSize(kk, n, k.gemmNr())];
        Gemm.packB(k, CpuStorage.floats(b), b.layout().offset(), st[0], st[1], kk, n, k.gemmNr(), bp);
        return new PackedFloats(bp, kk, n);
    }

    static void matmulPacked(CpuBackend be, FloatKernels k, Tensor a, PackedMatrix b, Tensor out) {
        int m = a.dim() == 2 ? a.size(0) : -1;
        if (a.dim() != 2 || a.size(1) != b.rows() || out.dim() != 2 || out.size(0) != m || out.size(1) != b.cols()
                || (b.cols() > 1 && out.layout().strides()[1] != 1) || a.dtype() != out.dtype()) {
            throw new IllegalArgumentException("matmulPacked: expected a [m, " + b.rows() + "] and out [m, " + b.cols()
                    + "] of one dtype, got " + a.dtype().torchName() + " " + a.shape() + " and " + out.dtype().torchName() + " " + out.shape());
        }
        if (b instanceof PackedCopy p) {
            if (out.isContiguous()) {
                be.matmul(a, p.b(), out);
            } else {
                Tensor tmp = be.empty(out.dtype(), m, b.cols());
                be.matmul(a, p.b(), tmp);
                be.copy(tmp, out);
            }
            return;
        }
        if (a.dtype() != DType.FLOAT32 || !(b instanceof PackedFloats p)) {
            throw new IllegalArgumentException("matmulPacked: a float32 operand needs a float32 packed matrix, got " + a.dtype().torchName());
        }
        int kk = b.rows(), n = b.cols(), nr = k.gemmNr(), panels = (n + nr - 1) / nr;
        float[][] scratch = PACKED_A.get();
        int size = Gemm.packedASize(m, kk);
        if (scratch[0] == null || scratch[0].length < size) scratch[0] = new float[size];
        float[] ap = scratch[0];
        int[] st = a.layout().strides();
        Gemm.packAll(k, CpuStorage.floats(a), a.layout().offset(), st[0], st[1], m, kk, ap);
        float[] c = CpuStorage.floats(out);
        int cOff = out.layout().offset(), ldc = out.layout().strides()[0];
        // Column blocks are independent (each element of C is summed whole by one tile), so any split
        // gives the same bits; split only when the product is worth a thread.
        boolean parallel = Parallel.threads() > 1 && (long) m * n * kk >= 1L << 20;
        int tasks = parallel ? Math.min(Parallel.threads(), panels) : 1;
        Parallel.forEach(tasks, parallel, t -> Gemm.multiplyPacked(k, m, n, kk, ap, p.bp(), c, cOff, ldc, false,
                t * panels / tasks, (t + 1) * panels / tasks));
    }

    /** Below this many transcendental functions per step, waking a second thread costs more than it saves. */
    private static final int PARALLEL_GATES = 8192;

    /** How many row blocks a step of {@code n} rows with {@code perRow} exp/tanh each is split into. */
    private static int rowTasks(int n, int perRow) {
        int threads = Parallel.threads();
        return threads > 1 && (long) n * perRow >= PARALLEL_GATES ? Math.min(threads, n) : 1;
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
