package dev.antorcha.ops;

import static dev.antorcha.autograd.Graph.grads;
import static dev.antorcha.autograd.Graph.inputs;
import static dev.antorcha.autograd.Graph.nothingSaved;

import dev.antorcha.autograd.Graph;
import dev.antorcha.autograd.NoGrad;
import dev.antorcha.tensor.Layout;
import dev.antorcha.tensor.Shape;
import dev.antorcha.tensor.DType;
import dev.antorcha.tensor.Factory;
import dev.antorcha.tensor.Tensor;
import java.util.Arrays;

/**
 * Views and copies: every view is a new {@link Layout} over the same storage (nothing is
 * copied); the backward of a view maps the gradient back to the input's shape.
 */
public final class MovementOps {
    private MovementOps() {
    }

    private static Tensor recordView(Tensor x, Layout l, String name, dev.antorcha.autograd.BackwardFn fn) {
        return Graph.record(x.viewWithBase(l), name, inputs(x), nothingSaved(), fn);
    }

    /** Resolves one {@code -1} and checks the element count, with PyTorch's messages. */
    static int[] inferShape(Tensor x, int[] shape) {
        int[] s = shape.clone();
        int infer = -1;
        long known = 1;
        for (int i = 0; i < s.length; i++) {
            if (s[i] == -1) {
                if (infer >= 0) throw new IllegalArgumentException("only one dimension can be inferred");
                infer = i;
            } else if (s[i] < 0) {
                throw new IllegalArgumentException("invalid shape dimension " + s[i] + " in " + Arrays.toString(shape));
            } else {
                known *= s[i];
            }
        }
        int n = x.numel();
        if (infer >= 0 && known != 0 && n % known == 0) s[infer] = (int) (n / known);
        if ((infer >= 0 && (known == 0 || n % known != 0)) || (infer < 0 && known != n)) {
            throw new IllegalArgumentException("shape '" + Arrays.toString(shape).replace(" ", "")
                    + "' is invalid for input of size " + n);
        }
        return s;
    }

    public static Tensor view(Tensor x, int... shape) {
        Args.ints(shape, "view", "shape");
        int[] s = inferShape(x, shape);
        Layout l = x.layout().view(s);
        if (l == null) {
            throw new IllegalArgumentException("view size is not compatible with input tensor's size and stride "
                    + "(at least one dimension spans across two contiguous subspaces). Use .reshape(...) instead. "
                    + "(input " + x.shape() + ", requested " + Arrays.toString(s) + ")");
        }
        Shape in = x.shape();
        return recordView(x, l, "ViewBackward0", (g, n) -> grads(g.reshape(in.toArray())));
    }

    /** A view when the strides allow one, else a contiguous copy. */
    public static Tensor reshape(Tensor x, int... shape) {
        Args.ints(shape, "reshape", "shape");
        int[] s = inferShape(x, shape);
        return x.layout().view(s) != null ? view(x, s) : contiguous(x).view(s);
    }

    public static Tensor flatten(Tensor x, int start, int end) {
        int r = x.dim();
        if (r == 0) return reshape(x, 1);
        int s = Shape.normalizeDim(start, r), e = Shape.normalizeDim(end, r);
        if (s > e) throw new IllegalArgumentException("flatten() has invalid args: start_dim cannot come after end_dim");
        int[] dims = x.layout().shape();
        int[] out = new int[r - (e - s)];
        int j = 0, merged = 1;
        for (int i = 0; i < r; i++) {
            if (i < s || i > e) out[j++] = dims[i];
            else {
                merged *= dims[i];
                if (i == e) out[j++] = merged;
            }
        }
        return reshape(x, out);
    }

    public static Tensor transpose(Tensor x, int d0, int d1) {
        int a = Shape.normalizeDim(d0, x.dim()), b = Shape.normalizeDim(d1, x.dim());
        if (x.dim() == 0) return x;
        return recordView(x, x.layout().transpose(a, b), "TransposeBackward0", (g, n) -> grads(g.transpose(a, b)));
    }

    public static Tensor t(Tensor x) {
        if (x.dim() > 2) {
            throw new IllegalArgumentException("t() expects a tensor with <= 2 dimensions, but self is " + x.dim() + "D");
        }
        return x.dim() < 2 ? x : recordView(x, x.layout().transpose(0, 1), "TBackward0", (g, n) -> grads(g.t()));
    }

    public static Tensor permute(Tensor x, int... dims) {
        Args.ints(dims, "permute", "dims");
        if (dims.length != x.dim()) {
            throw new IllegalArgumentException("permute(): number of dimensions in the tensor input does not "
                    + "match the length of the desired ordering of dimensions i.e. input.dim() = "
                    + x.dim() + " is not equal to len(dims) = " + dims.length);
        }
        int[] p = new int[dims.length], inverse = new int[dims.length];
        boolean[] seen = new boolean[dims.length];
        for (int i = 0; i < dims.length; i++) {
            p[i] = Shape.normalizeDim(dims[i], x.dim());
            if (seen[p[i]]) throw new IllegalArgumentException("permute(): duplicate dims are not allowed.");
            seen[p[i]] = true;
            inverse[p[i]] = i;
        }
        return recordView(x, x.layout().permute(p), "PermuteBackward0", (g, n) -> grads(g.permute(inverse)));
    }

    public static Tensor unsqueeze(Tensor x, int dim) {
        int d = Shape.normalizeDim(dim, x.dim() + 1);
        return recordView(x, x.layout().unsqueeze(d), "UnsqueezeBackward0", (g, n) -> grads(g.squeeze(d)));
    }

    public static Tensor squeeze(Tensor x, int dim) {
        if (x.dim() == 0) return x;
        int d = Shape.normalizeDim(dim, x.dim());
        if (x.layout().shape()[d] != 1) return x;
        return recordView(x, x.layout().squeeze(d), "SqueezeBackward1", (g, n) -> grads(g.unsqueeze(d)));
    }

    public static Tensor squeeze(Tensor x) {
        int[] kept = Arrays.stream(x.layout().shape()).filter(s -> s != 1).toArray();
        return kept.length == x.dim() ? x : view(x, kept);
    }

    /** Broadcast view; {@code -1} keeps a size. Backward: the engine sums back to the input's shape. */
    public static Tensor expand(Tensor x, int... shape) {
        Args.ints(shape, "expand", "size");
        int[] s = shape.clone();
        int extra = s.length - x.dim();
        if (extra < 0) {
            throw new IllegalArgumentException("expand: the number of sizes provided (" + s.length + ") must be greater "
                    + "or equal to the number of dimensions in the tensor (" + x.dim() + ")");
        }
        for (int i = extra; i < s.length; i++) if (s[i] == -1) s[i] = x.layout().shape()[i - extra];
        for (int i = 0; i < s.length; i++) {
            if (s[i] == -1) {
                throw new IllegalArgumentException("The expanded size of the tensor (-1) isn't allowed in a leading, "
                        + "non-existing dimension " + i);
            }
            if (s[i] < 0) {
                throw new IllegalArgumentException("expand: invalid size " + s[i] + " at dimension " + i
                        + " in " + Arrays.toString(shape));
            }
        }
        if (Arrays.equals(s, x.layout().shape())) return x;
        return recordView(x, x.layout().expand(s), "ExpandBackward0", (g, n) -> grads(g));
    }

    public static Tensor narrow(Tensor x, int dim, int start, int length) {
        if (x.dim() == 0) throw new IndexOutOfBoundsException("narrow() cannot be applied to a 0-dim tensor.");
        int d = Shape.normalizeDim(dim, x.dim());
        int size = x.layout().shape()[d];
        if (start < 0) start += size;
        if (start < 0 || length < 0 || start + length > size) {
            throw new IndexOutOfBoundsException("start (" + start + ") + length (" + length
                    + ") exceeds dimension size (" + size + ") of dimension " + d + " in shape " + x.shape());
        }
        return slice(x, d, start, start + length, 1);
    }

    /** {@code x[start:end:step]} along {@code dim}; bounds are clipped like Python slices. */
    public static Tensor slice(Tensor x, int dim, int start, int end, int step) {
        if (x.dim() == 0) throw new IndexOutOfBoundsException("slice() cannot be applied to a 0-dim tensor.");
        int d = Shape.normalizeDim(dim, x.dim());
        if (step <= 0) throw new IllegalArgumentException("slice step must be positive, got " + step);
        int size = x.layout().shape()[d];
        int s = clip(start < 0 ? start + size : start, size), e = clip(end < 0 ? end + size : end, size);
        int len = e > s ? (e - s + step - 1) / step : 0;
        Shape in = x.shape();
        int fs = s;
        return recordView(x, x.layout().slice(d, s, len, step), "SliceBackward0", (g, n) -> {
            Tensor z = Factory.fullOn(g, 0, g.dtype(), in.toArray());
            try (NoGrad _ = NoGrad.enter()) {
                z.viewOf(z.layout().slice(d, fs, len, step)).copy_(g);
            }
            return grads(z);
        });
    }

    private static int clip(int v, int size) {
        return Math.max(0, Math.min(v, size));
    }

    public static Tensor select(Tensor x, int dim, int index) {
        if (x.dim() == 0) throw new IndexOutOfBoundsException("select() cannot be applied to a 0-dim tensor.");
        int d = Shape.normalizeDim(dim, x.dim());
        int size = x.layout().shape()[d];
        if (index < -size || index >= size) {
            throw new IndexOutOfBoundsException("index " + index + " is out of bounds for dimension " + d
                    + " with size " + size);
        }
        int i = index < 0 ? index + size : index;
        Shape in = x.shape();
        return recordView(x, x.layout().select(d, i), "SelectBackward0", (g, n) -> {
            Tensor z = Factory.fullOn(g, 0, g.dtype(), in.toArray());
            try (NoGrad _ = NoGrad.enter()) {
                z.viewOf(z.layout().select(d, i)).copy_(g);
            }
            return grads(z);
        });
    }

    public static Tensor contiguous(Tensor x) {
        return x.isContiguous() ? x : cloneOf(x);
    }

    /** A contiguous copy that stays in the graph. */
    public static Tensor cloneOf(Tensor x) {
        return Graph.record(x.contiguousCopy(), "CloneBackward0", inputs(x), nothingSaved(), (g, n) -> grads(g));
    }
}
