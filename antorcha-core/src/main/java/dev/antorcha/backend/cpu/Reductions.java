package dev.antorcha.backend.cpu;

import dev.antorcha.backend.ReduceOp;
import dev.antorcha.tensor.DType;
import dev.antorcha.tensor.Layout;
import dev.antorcha.tensor.Shape;
import dev.antorcha.tensor.Tensor;

/**
 * Reductions: the reduced dims are permuted to the end so that each output element is the
 * reduction of one contiguous run (copied into a scratch row only when the view is not
 * contiguous there), reduced by the SIMD kernel.
 */
final class Reductions {
    private Reductions() {
    }

    static void reduce(FloatKernels k, ReduceOp op, Tensor x, int[] dims, Tensor out) {
        Layout p = keptThenReduced(x.layout(), dims);
        int rank = p.rank(), kept = rank - dims.length;
        int rows = Shape.numel(java.util.Arrays.copyOf(p.shape(), kept));
        int len = Shape.numel(java.util.Arrays.copyOfRange(p.shape(), kept, rank));
        if (len == 0 && op != ReduceOp.SUM) {
            throw new IllegalArgumentException(op.name().toLowerCase(java.util.Locale.ROOT)
                    + "(): cannot reduce over an empty dimension of a tensor of shape " + x.shape());
        }
        if (x.dtype() == DType.INT64 || out.dtype() == DType.INT64) {
            reduceLongs(op, x, p, kept, rows, len, out);
            return;
        }
        if (x.dtype() == DType.FLOAT64 && op == ReduceOp.SUM && x.isContiguous() && isLeadingPrefix(dims) && len > 0 && rows > 1) {
            // sums over the leading dims (a bias gradient): each column's run summed in place, in
            // the order of the copy below (a linear layer's [97, 204] gradient was copied each step)
            DoubleLoops.sumLeading(CpuStorage.doubles(x), x.layout().offset(), len, rows, CpuStorage.doubles(out),
                    out.layout().offset());
            return;
        }
        if (x.dtype() == DType.FLOAT64) {
            // copied only where the reduced runs are not already contiguous (a gradient's norm in
            // clip_grad_norm_ copied its millions of doubles once more here)
            Tensor view = x.viewOf(p), runs = p.isContiguous() ? view : view.contiguousCopy();
            reduceDoubles(op, CpuStorage.doubles(runs), runs.layout().offset(), rows, len, out);
            return;
        }
        float[] o = CpuStorage.floats(out);
        int oOff = out.layout().offset();
        if (op == ReduceOp.SUM && x.isContiguous() && isLeadingPrefix(dims) && len > 0) {
            // Sum of rows (a bias gradient): accumulate whole rows, in row order.
            int cols = rows;   // the kept dims, one output element each
            float[] xs = CpuStorage.floats(x);
            int base = x.layout().offset();
            if (cols == 1) {   // everything reduced: one running sum, in the same order and bits as the rows below
                float s = 0f;
                for (int r = 0; r < len; r++) s += xs[base + r];
                o[oOff] = s;
                return;
            }
            java.util.Arrays.fill(o, oOff, oOff + cols, 0f);
            for (int r = 0; r < len; r++) k.axpy(1f, xs, base + r * cols, o, oOff, cols);
            return;
        }
        Layout inner = new Layout(java.util.Arrays.copyOfRange(p.shape(), kept, rank),
                java.util.Arrays.copyOfRange(p.strides(), kept, rank), 0);
        float[] xs = CpuStorage.floats(x);
        // Contiguous runs (a convolution's bias gradient, the planes of [N, C, H, W]) in blocks of rows
        // on every thread, each run reduced alone, so the same bits for any split.
        int blocks = inner.isContiguous() && (long) rows * len >= PARALLEL_ELEMENTS && rows >= ROW_BLOCKS ? ROW_BLOCKS : 1;
        Parallel.forEach(blocks, blocks > 1, b -> reduceRows(k, op, xs, p, kept, inner, (int) ((long) rows * b / blocks),
                (int) ((long) rows * (b + 1) / blocks), len, o, oOff));
    }

    /** Below this many elements a reduction of contiguous runs stays on the calling thread; above, it is split in this many blocks of rows. */
    private static final int PARALLEL_ELEMENTS = 1 << 17, ROW_BLOCKS = 8;

    /**
     * Rows {@code [r0, r1)} of a reduction of runs of {@code len} floats laid out as {@code inner}
     * (gathered into a scratch row first where that is not contiguous), into {@code o}.
     */
    private static void reduceRows(FloatKernels k, ReduceOp op, float[] xs, Layout p, int kept, Layout inner, int r0, int r1,
                                   int len, float[] o, int oOff) {
        if (r0 >= r1) return;   // no rows (a kept dim of size 0)
        boolean innerContiguous = inner.isContiguous();
        float[] scratch = innerContiguous ? null : new float[len];
        int[] shape = p.shape(), strides = p.strides(), rowIdx = new int[kept];
        for (int d = kept - 1, rest = r0; d >= 0; d--) {
            rowIdx[d] = rest % shape[d];
            rest /= shape[d];
        }
        for (int r = r0; r < r1; r++) {
            int base = p.offset();
            for (int d = 0; d < kept; d++) base += rowIdx[d] * strides[d];
            float[] src = xs;
            int off = base;
            if (!innerContiguous) {
                gatherRow(xs, base, inner.shape(), inner.strides(), scratch);
                src = scratch;
                off = 0;
            }
            o[oOff + r] = switch (op) {
                case SUM -> k.sum(src, off, len);
                case MAX -> k.max(src, off, len, false);
                case MIN -> k.max(src, off, len, true);
            };
            for (int d = kept - 1; d >= 0 && ++rowIdx[d] == shape[d]; d--) rowIdx[d] = 0;
        }
    }

    /** Each of the {@code rows} runs of {@code len} doubles from {@code s[base]} on reduced into {@code out}. */
    private static void reduceDoubles(ReduceOp op, double[] s, int base, int rows, int len, Tensor out) {
        double[] o = CpuStorage.doubles(out);
        int oOff = out.layout().offset();
        for (int r = 0; r < rows; r++) {
            o[oOff + r] = switch (op) {
                case SUM -> DoubleLoops.sum(s, base + r * len, len);
                case MAX -> DoubleLoops.max(s, base + r * len, len, false);
                case MIN -> DoubleLoops.max(s, base + r * len, len, true);
            };
        }
    }

    private static void reduceLongs(ReduceOp op, Tensor x, Layout p, int kept, int rows, int len, Tensor out) {
        Tensor src = x.viewOf(p).contiguousCopy();
        long[] o = CpuStorage.longs(out);
        int oOff = out.layout().offset();
        if (x.dtype() == DType.INT64) {
            long[] s = CpuStorage.longs(src);
            for (int r = 0; r < rows; r++) {
                long acc = op == ReduceOp.SUM ? 0 : s[r * len];
                for (int i = 0; i < len; i++) {
                    long v = s[r * len + i];
                    acc = switch (op) {
                        case SUM -> acc + v;
                        case MAX -> Math.max(acc, v);
                        case MIN -> Math.min(acc, v);
                    };
                }
                o[oOff + r] = acc;
            }
        } else {
            float[] s = CpuStorage.floats(src);
            for (int r = 0; r < rows; r++) {
                long acc = 0;
                for (int i = 0; i < len; i++) acc += (long) s[r * len + i];
                o[oOff + r] = acc;
            }
        }
    }

    static void argReduce(boolean max, Tensor x, int dim, Tensor out) {
        Layout l = x.layout();
        int len = l.shape()[dim];
        if (len == 0) {
            throw new IllegalArgumentException((max ? "argmax" : "argmin")
                    + "(): Expected reduction dim " + dim + " to have non-zero size, tensor shape " + x.shape());
        }
        Tensor c = x.viewOf(keptThenReduced(l, new int[] {dim})).contiguousCopy();
        long[] o = CpuStorage.longs(out);
        int rows = c.numel() / len;
        if (x.dtype() == DType.INT64) {
            long[] s = CpuStorage.longs(c);
            for (int r = 0; r < rows; r++) {
                int best = 0;
                for (int i = 1; i < len; i++) {
                    long v = s[r * len + i], b = s[r * len + best];
                    if (max ? v > b : v < b) best = i;
                }
                o[out.layout().offset() + r] = best;
            }
            return;
        }
        if (x.dtype() == DType.FLOAT64) {
            double[] s = CpuStorage.doubles(c);
            for (int r = 0; r < rows; r++) {
                int best = 0;
                double b = s[r * len];
                for (int i = 1; i < len && b == b; i++) {
                    double v = s[r * len + i];
                    if (v != v || (max ? v > b : v < b)) {
                        best = i;
                        b = v;
                    }
                }
                o[out.layout().offset() + r] = best;
            }
            return;
        }
        float[] s = CpuStorage.floats(c);
        for (int r = 0; r < rows; r++) {
            int best = 0;
            float b = s[r * len];
            for (int i = 1; i < len && b == b; i++) {
                float v = s[r * len + i];
                // NaN counts as the extreme, as in PyTorch; ties keep the first index.
                if (v != v || (max ? v > b : v < b)) {
                    best = i;
                    b = v;
                }
            }
            o[out.layout().offset() + r] = best;
        }
    }

    private static boolean isLeadingPrefix(int[] dims) {
        for (int i = 0; i < dims.length; i++) if (dims[i] != i) return false;
        return dims.length > 0;
    }

    /** The layout with the kept dims first (in order) and the reduced dims last (in order). */
    static Layout keptThenReduced(Layout l, int[] dims) {
        boolean[] reduced = new boolean[l.rank()];
        for (int d : dims) reduced[d] = true;
        int[] perm = new int[l.rank()];
        int j = 0;
        for (int d = 0; d < l.rank(); d++) if (!reduced[d]) perm[j++] = d;
        for (int d = 0; d < l.rank(); d++) if (reduced[d]) perm[j++] = d;
        return l.permute(perm);
    }

    private static void gatherRow(float[] xs, int base, int[] shape, int[] strides, float[] dst) {
        int n = dst.length;
        int[] idx = new int[shape.length];
        int off = base;
        for (int i = 0; i < n; i++) {
            dst[i] = xs[off];
            for (int d = shape.length - 1; d >= 0; d--) {
                off += strides[d];
                if (++idx[d] < shape[d]) break;
                off -= strides[d] * shape[d];
                idx[d] = 0;
            }
        }
    }
}
