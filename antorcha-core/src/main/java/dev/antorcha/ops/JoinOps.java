package dev.antorcha.ops;

import static dev.antorcha.autograd.Graph.inputs;
import static dev.antorcha.autograd.Graph.nothingSaved;

import dev.antorcha.autograd.Graph;
import dev.antorcha.tensor.DType;
import dev.antorcha.tensor.Shape;
import dev.antorcha.tensor.Tensor;
import dev.antorcha.tensor.TypePromotion;
import dev.antorcha.tensor.TypePromotion.Operand;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Joining and splitting along a dim: {@code cat} and {@code stack} copy into one new tensor (each
 * input's gradient is its slice of the output's); {@code split} and {@code chunk} return views, as
 * PyTorch's do, so a piece written in place writes the input.
 */
public final class JoinOps {
    private JoinOps() {
    }

    /**
     * {@code torch.cat}: the tensors joined along {@code dim}, their dtypes promoted as
     * {@code torch.result_type} does (int64 with float32 gives float32). As in PyTorch, a 1-D
     * tensor of size 0 is skipped whatever the others' shapes (the legacy empty tensor).
     */
    public static Tensor cat(Tensor[] tensors, int dim) {
        Args.elements(tensors, "cat", "tensors", "a Tensor");
        return cat(tensors, dim, "CatBackward0");
    }

    private static Tensor cat(Tensor[] tensors, int dim, String node) {
        if (tensors.length == 0) throw new IllegalArgumentException("torch.cat(): expected a non-empty list of Tensors");
        Tensor ref = null;
        for (int i = 0; i < tensors.length; i++) {
            Tensor t = tensors[i];
            if (t.dim() == 0) {
                throw new IllegalArgumentException("zero-dimensional tensor (at position " + i + ") cannot be concatenated");
            }
            Checks.sameDevice("cat", tensors[0], t);
            if (ref == null && !legacyEmpty(t)) ref = t;
        }
        if (ref == null) ref = tensors[0];
        int d = Shape.normalizeDim(dim, ref.dim());
        int[] shape = ref.layout().shape().clone();
        shape[d] = 0;
        Operand[] operands = new Operand[tensors.length];
        for (int i = 0; i < tensors.length; i++) {
            Tensor t = tensors[i];
            operands[i] = Operand.tensor(t.dtype());
            if (legacyEmpty(t) && t != ref) continue;
            if (t.dim() != ref.dim()) {
                throw new IllegalArgumentException("Tensors must have same number of dimensions: got " + ref.dim()
                        + " and " + t.dim() + " (tensor number " + i + " in the list has shape " + t.shape() + ")");
            }
            for (int k = 0; k < t.dim(); k++) {
                if (k != d && t.size(k) != ref.size(k)) {
                    throw new IllegalArgumentException("Sizes of tensors must match except in dimension " + d
                            + ". Expected size " + ref.size(k) + " but got size " + t.size(k) + " for tensor number "
                            + i + " in the list.");
                }
            }
            if ((long) shape[d] + t.size(d) > Integer.MAX_VALUE - 16) {
                throw new IllegalArgumentException("cat: the result would have more than 2^31 elements along dim " + d);
            }
            shape[d] += t.size(d);
        }
        DType type = TypePromotion.resultType(operands);
        Tensor out = ref.backend().empty(type, shape);
        int[] starts = new int[tensors.length];
        int at = 0;
        for (int i = 0; i < tensors.length; i++) {
            Tensor t = tensors[i];
            starts[i] = at;
            if (legacyEmpty(t) && t != ref) continue;
            int len = t.size(d);
            if (len > 0) out.backend().copy(t, out.viewOf(out.layout().slice(d, at, len, 1)));
            at += len;
        }
        Tensor[] ins = tensors.clone();
        return Graph.record(out, node, inputs(ins), nothingSaved(), (g, needs) -> {
            Tensor[] grads = new Tensor[ins.length];
            for (int i = 0; i < ins.length; i++) {
                if (!needs[i]) continue;
                Tensor t = ins[i];
                Tensor gi = legacyEmpty(t) && t.dim() != g.dim() ? Tensor.zerosLike(t) : g.narrow(d, starts[i], t.size(d));
                grads[i] = gi.dtype() == t.dtype() ? gi : gi.to(t.dtype());
            }
            return grads;
        });
    }

    /** PyTorch's legacy empty tensor {@code [0]}, which cat skips whatever the other shapes. */
    private static boolean legacyEmpty(Tensor t) {
        return t.dim() == 1 && t.size(0) == 0;
    }

    /** {@code torch.stack}: the tensors, all of one shape, joined along a new dim {@code dim}. */
    public static Tensor stack(Tensor[] tensors, int dim) {
        Args.elements(tensors, "stack", "tensors", "a Tensor");
        if (tensors.length == 0) throw new IllegalArgumentException("stack expects a non-empty TensorList");
        Shape first = tensors[0].shape();
        for (int i = 1; i < tensors.length; i++) {
            if (!tensors[i].shape().equals(first)) {
                throw new IllegalArgumentException("stack expects each tensor to be equal size, but got " + first
                        + " at entry 0 and " + tensors[i].shape() + " at entry " + i);
            }
        }
        int d = Shape.normalizeDim(dim, tensors[0].dim() + 1);
        Tensor[] parts = new Tensor[tensors.length];
        for (int i = 0; i < tensors.length; i++) parts[i] = tensors[i].unsqueeze(d);
        return cat(parts, d, "StackBackward0");
    }

    /** {@code torch.split(x, splitSize, dim)}: views of {@code splitSize} along dim, the last one smaller. */
    public static List<Tensor> split(Tensor x, int splitSize, int dim) {
        Args.tensor(x, "split", "input");
        if (x.dim() == 0) throw new IllegalArgumentException("split expects at least a 1-dimensional tensor");
        if (splitSize < 0) {
            throw new IllegalArgumentException("split expects split_size be non-negative, but got split_size=" + splitSize);
        }
        int d = Shape.normalizeDim(dim, x.dim());
        int n = x.size(d);
        if (splitSize == 0 && n != 0) {
            throw new IllegalArgumentException("split_size can only be 0 if dimension size is 0, but got dimension size of " + n);
        }
        int pieces = splitSize == 0 ? 1 : Math.max(1, (n + splitSize - 1) / splitSize);
        int[] sizes = new int[pieces];
        for (int i = 0; i < pieces; i++) sizes[i] = Math.min(splitSize, n - i * splitSize);
        if (splitSize == 0) sizes[0] = 0;
        return pieces(x, d, sizes);
    }

    /** {@code torch.split(x, splitSizes, dim)}: views of the listed sizes, which must add up to the dim's size. */
    public static List<Tensor> splitWithSizes(Tensor x, int[] splitSizes, int dim) {
        Args.tensor(x, "split", "input");
        Args.ints(splitSizes, "split", "split_sizes");
        if (x.dim() == 0) throw new IllegalArgumentException("split expects at least a 1-dimensional tensor");
        int d = Shape.normalizeDim(dim, x.dim());
        long total = 0;
        for (int s : splitSizes) {
            if (s < 0) {
                throw new IllegalArgumentException("split_with_sizes expects split_sizes have only non-negative entries, "
                        + "but got split_sizes=" + Arrays.toString(splitSizes));
            }
            total += s;
        }
        if (total != x.size(d)) {
            throw new IllegalArgumentException("split_with_sizes expects split_sizes to sum exactly to " + x.size(d)
                    + " (input tensor's size at dimension " + d + "), but got split_sizes=" + Arrays.toString(splitSizes));
        }
        return pieces(x, d, splitSizes.clone());
    }

    /**
     * {@code torch.chunk}: pieces of {@code ceil(n / chunks)} along dim, the last one smaller, so there
     * may be fewer than {@code chunks} pieces (11 in 5 gives 3, 3, 3, 2), unlike {@code numpy.array_split}.
     */
    public static List<Tensor> chunk(Tensor x, int chunks, int dim) {
        Args.tensor(x, "chunk", "input");
        if (x.dim() == 0) throw new IllegalArgumentException("chunk expects at least a 1-dimensional tensor");
        if (chunks <= 0) throw new IllegalArgumentException("chunk expects `chunks` to be greater than 0, got: " + chunks);
        int d = Shape.normalizeDim(dim, x.dim());
        int n = x.size(d);
        int size = (int) (((long) n + chunks - 1) / chunks);
        if (n == 0) return pieces(x, d, new int[chunks]);   // PyTorch gives `chunks` empty pieces here
        return split(x, size, d);
    }

    private static List<Tensor> pieces(Tensor x, int d, int[] sizes) {
        List<Tensor> out = new ArrayList<>(sizes.length);
        int at = 0;
        for (int s : sizes) {
            out.add(MovementOps.narrow(x, d, at, s));
            at += s;
        }
        return List.copyOf(out);
    }
}
