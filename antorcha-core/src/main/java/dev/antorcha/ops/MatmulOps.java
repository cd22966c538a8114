package dev.antorcha.ops;

import static dev.antorcha.autograd.Graph.grads;
import static dev.antorcha.autograd.Graph.inputs;
import static dev.antorcha.autograd.Graph.saved;

import dev.antorcha.autograd.Graph;
import dev.antorcha.tensor.Shape;
import dev.antorcha.tensor.Tensor;
import java.util.Arrays;

/**
 * Matrix products. One primitive, the batched product {@code [..., m, k] @ [..., k, n]} with
 * broadcast batch dims; {@code matmul}'s 1-D cases are views around it, as in torch.matmul.
 * Transposed operands are strided views; the kernel packs them, so no copy is made.
 */
public final class MatmulOps {
    private MatmulOps() {
    }

    /** 2-D product; PyTorch's error for mismatched shapes. */
    public static Tensor mm(Tensor a, Tensor b) {
        Args.tensor(a, "mm", "input");
        Args.tensor(b, "mm", "mat2");
        if (a.dim() != 2) throw new IllegalArgumentException("self must be a matrix (mm got " + a.dim() + "-D tensor of shape " + a.shape() + ")");
        if (b.dim() != 2) throw new IllegalArgumentException("mat2 must be a matrix (mm got " + b.dim() + "-D tensor of shape " + b.shape() + ")");
        return batched(a, b);
    }

    /**
     * torch.matmul: 1-D·1-D is a dot product; a 1-D operand is treated as a row (left) or column
     * (right) vector and that dim removed again; ≥2-D operands broadcast their batch dims.
     */
    public static Tensor matmul(Tensor a, Tensor b) {
        Args.tensor(a, "matmul", "input");
        Args.tensor(b, "matmul", "other");
        if (a.dim() == 0 || b.dim() == 0) {
            throw new IllegalArgumentException("both arguments to matmul need to be at least 1D, but they are "
                    + a.dim() + "D and " + b.dim() + "D");
        }
        if (a.dim() == 1 && b.dim() == 1) {
            if (a.numel() != b.numel()) {
                throw new IllegalArgumentException("inconsistent tensor size, expected tensor [" + a.numel()
                        + "] and src [" + b.numel() + "] to have the same number of elements, but got "
                        + a.numel() + " and " + b.numel() + " elements respectively");
            }
            return batched(a.unsqueeze(0), b.unsqueeze(1)).reshape();
        }
        if (a.dim() == 1) return batched(a.unsqueeze(0), b).squeeze(-2);
        if (b.dim() == 1) return batched(a, b.unsqueeze(1)).squeeze(-1);
        return batched(a, b);
    }

    private static Tensor batched(Tensor a, Tensor b) {
        Checks.sameDevice("matmul", a, b);
        Checks.floating("matmul", a);
        Checks.floating("matmul", b);
        Checks.sameDtype("matmul", a, b);
        int[] sa = a.layout().shape(), sb = b.layout().shape();
        int m = sa[sa.length - 2], k = sa[sa.length - 1], k2 = sb[sb.length - 2], n = sb[sb.length - 1];
        if (k != k2) {
            throw new IllegalArgumentException("mat1 and mat2 shapes cannot be multiplied ("
                    + Shape.times(a.dim() == 2 ? sa : new int[] {Shape.numel(sa) / k, k}) + " and "
                    + Shape.times(b.dim() == 2 ? sb : new int[] {k2, n}) + ")"
                    + (a.dim() > 2 || b.dim() > 2 ? " (matmul of " + a.shape() + " and " + b.shape() + ")" : ""));
        }
        int[] batch;
        try {
            batch = Shape.broadcast(Arrays.copyOf(sa, sa.length - 2), Arrays.copyOf(sb, sb.length - 2));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("matmul: batch dimensions of " + a.shape() + " and " + b.shape()
                    + " cannot be broadcast: " + e.getMessage(), e);
        }
        int[] outShape = Arrays.copyOf(batch, batch.length + 2);
        outShape[batch.length] = m;
        outShape[batch.length + 1] = n;
        Tensor out = a.backend().uninitialized(a.dtype(), outShape);
        a.backend().matmul(a, b, out);
        return Graph.record(out, a.dim() == 2 && b.dim() == 2 ? "MmBackward0" : "BmmBackward0",
                inputs(a, b), saved(a, b), (g, need) -> grads(
                        need[0] ? g.matmul(b.transpose(-1, -2)) : null,
                        need[1] ? a.transpose(-1, -2).matmul(g) : null));
    }
}
