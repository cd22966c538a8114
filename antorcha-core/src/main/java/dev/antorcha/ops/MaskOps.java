package dev.antorcha.ops;

import static dev.antorcha.autograd.Graph.grads;
import static dev.antorcha.autograd.Graph.inputs;
import static dev.antorcha.autograd.Graph.saved;

import dev.antorcha.autograd.Graph;
import dev.antorcha.tensor.DType;
import dev.antorcha.tensor.Factory;
import dev.antorcha.tensor.Shape;
import dev.antorcha.tensor.Tensor;
import java.util.Arrays;

/**
 * Masking primitives of attention and causal models: {@code masked_fill}, {@code triu}, {@code tril}.
 * Each selects, per element, the input or a constant; the gradient passes where the input was kept and
 * is 0 where the constant was written.
 */
public final class MaskOps {
    private MaskOps() {
    }

    /**
     * {@code x.masked_fill(mask, value)}: {@code value} where {@code mask} is true, else {@code x}.
     * {@code mask} is bool, or an integer tensor of 0/1 (1 = true, the parity files' form), broadcast to
     * {@code x}'s shape. The result has {@code x}'s shape and dtype.
     */
    public static Tensor maskedFill(Tensor x, Tensor mask, double value) {
        Args.tensor(x, "maskedFill", "input");
        Args.tensor(mask, "maskedFill", "mask");
        Checks.sameDevice("masked_fill", x, mask);
        Tensor m = boolMask(mask);
        int[] shape = x.layout().shape();
        if (!Arrays.equals(broadcastOrNull(mask.layout().shape(), shape), shape)) {
            throw new IllegalArgumentException("masked_fill: the mask of shape " + mask.shape()
                    + " cannot be broadcast to the input's shape " + x.shape()
                    + " (each mask dim must equal the input's or be 1; insert dims with unsqueeze)");
        }
        Tensor fill = Factory.scalarOn(x, value, x.dtype());
        Tensor out = x.backend().empty(x.dtype(), shape);
        x.backend().where(m, fill, x, out);
        if (!x.dtype().isFloatingPoint()) return out;
        return Graph.record(out, "MaskedFillBackward0", inputs(x), saved(m),
                (g, n) -> grads(Factory.scalarOn(g, 0, g.dtype()).where(m, g)));
    }

    /** {@code torch.triu(x, diagonal)}: keeps {@code x[..., i, j]} where {@code j − i >= diagonal}, else 0. */
    public static Tensor triu(Tensor x, int diagonal) {
        Args.tensor(x, "triu", "input");
        return keep(x, diagonal, true, "triu");
    }

    /** {@code torch.tril(x, diagonal)}: keeps {@code x[..., i, j]} where {@code j − i <= diagonal}, else 0. */
    public static Tensor tril(Tensor x, int diagonal) {
        Args.tensor(x, "tril", "input");
        return keep(x, diagonal, false, "tril");
    }

    private static Tensor keep(Tensor x, int diagonal, boolean upper, String op) {
        if (x.dim() < 2) {
            throw new IllegalArgumentException(op + ": input tensor must have at least 2 dimensions, got shape " + x.shape());
        }
        int rows = x.size(-2), cols = x.size(-1);
        // j - i for every (i, j) of the last two dims, compared with the diagonal: a [rows, cols] bool mask
        Tensor i = Factory.arange(rows).reshape(rows, 1), j = Factory.arange(cols).reshape(1, cols);
        Tensor offset = j.sub(i);
        Tensor keep = (upper ? offset.ge(diagonal) : offset.le(diagonal)).to(x.device());
        Tensor zero = Factory.scalarOn(x, 0, x.dtype());
        Tensor out = x.backend().empty(x.dtype(), x.layout().shape());
        x.backend().where(keep, x, zero, out);
        if (!x.dtype().isFloatingPoint()) return out;
        return Graph.record(out, upper ? "TriuBackward0" : "TrilBackward0", inputs(x), saved(keep),
                (g, n) -> grads(g.where(keep, Factory.scalarOn(g, 0, g.dtype()))));
    }

    /** A bool mask, or an integer 0/1 mask compared with 0; other dtypes and values are refused. */
    private static Tensor boolMask(Tensor mask) {
        DType t = mask.dtype();
        if (t == DType.BOOL) return mask;
        if (!t.isIntegral()) {
            throw new IllegalArgumentException("masked_fill only supports boolean masks (or integer 0/1 masks), but got mask "
                    + "with dtype " + t.torchName() + "; build one with a comparison, e.g. mask.ne(0)");
        }
        if (mask.numel() > 0) {
            long lo = mask.min().longItem(), hi = mask.max().longItem();
            if (lo < 0 || hi > 1) {
                throw new IllegalArgumentException("masked_fill: an integer mask must hold only 0 (keep) and 1 (fill), but "
                        + "this " + t.torchName() + " mask of shape " + mask.shape() + " holds " + (lo < 0 ? lo : hi)
                        + "; convert it with mask.ne(0) if every non-zero value means fill");
            }
        }
        return mask.ne(0);
    }

    private static int[] broadcastOrNull(int[] a, int[] b) {
        try {
            return Shape.broadcast(a, b);
        } catch (IllegalArgumentException e) {
            return null;
        }
    }
}
