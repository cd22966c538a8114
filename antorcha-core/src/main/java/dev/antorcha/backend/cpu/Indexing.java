package dev.antorcha.backend.cpu;

import dev.antorcha.tensor.DType;
import dev.antorcha.tensor.Layout;
import dev.antorcha.tensor.Tensor;

/** gather / scatter-add loops, with PyTorch's bounds errors instead of array exceptions. */
final class Indexing {
    private Indexing() {
    }

    /**
     * {@code scatter == false}: {@code out[pos] = x[pos with dim := index[pos]]} (gather).
     * {@code scatter == true}: {@code out[pos with dim := index[pos]] += x[pos]} (scatter_add).
     */
    static void gather(Tensor x, int dim, Tensor index, Tensor out, boolean scatter) {
        Layout li = index.layout();
        Layout target = scatter ? out.layout() : x.layout();
        Layout plain = scatter ? x.layout() : out.layout();
        int size = target.shape()[dim];
        long[] idx = CpuStorage.longs(index);
        boolean f64 = x.dtype() == DType.FLOAT64;
        float[] xs = f64 ? null : CpuStorage.floats(x), os = f64 ? null : CpuStorage.floats(out);
        double[] xd = f64 ? CpuStorage.doubles(x) : null, od = f64 ? CpuStorage.doubles(out) : null;
        int rank = li.rank(), n = li.numel();
        int[] pos = new int[rank];
        for (int e = 0; e < n; e++) {
            int io = li.offset(), to = target.offset(), po = plain.offset();
            for (int d = 0; d < rank; d++) {
                io += pos[d] * li.strides()[d];
                po += pos[d] * plain.strides()[d];
                if (d != dim) to += pos[d] * target.strides()[d];
            }
            long j = idx[io];
            if (j < 0 || j >= size) {
                throw new IndexOutOfBoundsException("index " + j + " is out of bounds for dimension "
                        + dim + " with size " + size);
            }
            to += (int) j * target.strides()[dim];
            if (f64) {
                if (scatter) od[to] += xd[po];
                else od[po] = xd[to];
            } else if (scatter) os[to] += xs[po];
            else os[po] = xs[to];
            for (int d = rank - 1; d >= 0 && ++pos[d] == li.shape()[d]; d--) pos[d] = 0;
        }
    }

    /** The int64 indices of a 1-D index tensor, each checked against {@code size}. */
    static long[] checkedIndex(Tensor index, int size, int dim) {
        long[] out = new long[index.numel()];
        long[] s = CpuStorage.longs(index);
        Layout l = index.layout();
        for (int i = 0; i < out.length; i++) {
            long j = s[l.offset() + i * (l.rank() == 0 ? 0 : l.strides()[0])];
            if (j < -size || j >= size) {
                throw new IndexOutOfBoundsException("index out of range in self: index " + j
                        + " for dimension " + dim + " with size " + size);
            }
            out[i] = j < 0 ? j + size : j;
        }
        return out;
    }
}
