package dev.antorcha.ops;

import static dev.antorcha.autograd.Graph.grads;
import static dev.antorcha.autograd.Graph.inputs;
import static dev.antorcha.autograd.Graph.saved;

import dev.antorcha.autograd.Graph;
import dev.antorcha.tensor.DType;
import dev.antorcha.tensor.Shape;
import dev.antorcha.tensor.Factory;
import dev.antorcha.tensor.Tensor;

/** Indexing with int64 index tensors: gather, indexSelect, oneHot. */
public final class IndexOps {
    private IndexOps() {
    }

    private static void int64(String op, Tensor index) {
        if (index.dtype() != DType.INT64) {
            throw new IllegalArgumentException(op + "(): Expected dtype int64 for index, got " + index.dtype().torchName());
        }
    }

    /** {@code out[i][j] = x[i][index[i][j]]} (dim 1); backward scatters the gradient back. */
    public static Tensor gather(Tensor x, int dim, Tensor index) {
        Args.tensor(x, "gather", "input");
        Args.tensor(index, "gather", "index");
        int64("gather", index);
        Checks.sameDevice("gather", x, index);
        if (x.dim() == 0 && index.dim() == 0) return gather(x.reshape(1), 0, index.reshape(1)).reshape();
        int d = Shape.normalizeDim(dim, x.dim());
        if (index.dim() != x.dim()) {
            throw new IllegalArgumentException("Index tensor must have the same number of dimensions as input tensor "
                    + "(gather: input " + x.shape() + ", index " + index.shape() + ")");
        }
        for (int i = 0; i < x.dim(); i++) {
            if (i != d && index.layout().shape()[i] > x.layout().shape()[i]) {
                throw new IllegalArgumentException("Size does not match at dimension " + i + " expected index "
                        + index.shape() + " to be smaller than self " + x.shape() + " apart from dimension " + d);
            }
        }
        DType r = Checks.resultType("gather", Checks.operand(x));
        // a bool mask is gathered as int64 and converted back: the kernels have float32, float64 and int64 forms
        DType t = r == DType.BOOL ? DType.INT64 : r;
        Tensor src = UnaryOps.toDType(x, t);
        Tensor out = x.backend().empty(t, index.layout().shape());
        x.backend().gather(src, d, index, out);
        if (!r.isFloatingPoint()) return UnaryOps.toDType(out, r);
        Shape in = x.shape();
        return Graph.record(out, "GatherBackward0", inputs(x), saved(index), (g, n) -> {
            Tensor z = Factory.fullOn(g, 0, g.dtype(), in.toArray());
            z.backend().scatterAdd(z, d, index, g);
            return grads(z);
        });
    }

    /** The entries {@code index} (1-D int64) along {@code dim}; backward adds the gradient rows back. */
    public static Tensor indexSelect(Tensor x, int dim, Tensor index) {
        Args.tensor(x, "indexSelect", "input");
        Args.tensor(index, "indexSelect", "index");
        int64("index_select", index);
        Checks.sameDevice("index_select", x, index);
        Checks.resultType("index_select", Checks.operand(x));   // keeps x's dtype; refusals, if any, are the table's
        if (index.dim() > 1) {
            throw new IllegalArgumentException("index_select(): Index is supposed to be a vector, got shape " + index.shape());
        }
        if (x.dim() == 0) return indexSelect(x.reshape(1), dim, index).reshape();
        int d = Shape.normalizeDim(dim, x.dim());
        int[] shape = x.layout().shape().clone();
        shape[d] = index.numel();   // 0-d returned above
        Tensor out = x.backend().empty(x.dtype(), shape);
        x.backend().indexSelect(x, d, index.reshape(-1), out);
        Shape in = x.shape();
        return Graph.record(out, "IndexSelectBackward0", inputs(x), saved(index), (g, n) -> {
            Tensor z = Factory.fullOn(g, 0, g.dtype(), in.toArray());
            z.backend().indexAdd(z, d, index.reshape(-1), g);
            return grads(z);
        });
    }

    /** int64 one-hot encoding with a trailing dim of {@code numClasses} (-1: max label + 1). */
    public static Tensor oneHot(Tensor labels, int numClasses) {
        Args.tensor(labels, "oneHot", "labels");
        int64("one_hot", labels);
        long[] l = labels.toLongArray();
        long max = -1;
        for (long v : l) {
            if (v < 0) throw new IllegalArgumentException("one_hot: Class values must be non-negative, got " + v);
            max = Math.max(max, v);
        }
        int classes = numClasses == -1 ? (int) (max + 1) : numClasses;
        if (max >= classes) {
            throw new IllegalArgumentException("one_hot: Class values must be smaller than num_classes ("
                    + classes + "), got " + max);
        }
        int[] shape = java.util.Arrays.copyOf(labels.layout().shape(), labels.dim() + 1);
        shape[labels.dim()] = classes;
        Tensor out = labels.backend().empty(DType.INT64, shape);
        out.backend().oneHot(labels, out);
        return out;
    }
}
