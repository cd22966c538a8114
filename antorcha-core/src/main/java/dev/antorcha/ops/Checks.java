package dev.antorcha.ops;

import dev.antorcha.tensor.DType;
import dev.antorcha.tensor.DTypeRules;
import dev.antorcha.tensor.TypePromotion.Operand;
import dev.antorcha.tensor.Shape;
import dev.antorcha.tensor.Tensor;

/** Argument checks with PyTorch's messages, shared by the op families. */
final class Checks {
    private Checks() {
    }

    /**
     * The result dtype of {@code op} as PyTorch gives it, or PyTorch's refusal: the ops ask the one
     * table ({@link DTypeRules#PYTORCH}) at their entry instead of deciding dtypes themselves.
     */
    static DType resultType(String op, Operand... operands) {
        return DTypeRules.PYTORCH.resultType(op, operands);
    }

    /** {@code t} as an operand of type promotion (zero-dim or not). */
    static Operand operand(Tensor t) {
        return Operand.of(t.dtype(), t.shape());
    }

    /** A Java double as the Python number it stands for: an integral value is an int, as {@code 2} in {@code x ** 2}. */
    static Operand number(double v) {
        return v == Math.rint(v) && !Double.isInfinite(v) ? Operand.scalar((long) v) : Operand.scalar(v);
    }

    static void sameDevice(String op, Tensor a, Tensor b) {
        if (!a.device().equals(b.device())) {
            throw new IllegalArgumentException("Expected all tensors to be on the same device, but found at least "
                    + "two devices, " + a.device() + " and " + b.device() + "! (in " + op + ")");
        }
    }

    static void floating(String op, Tensor t) {
        if (t.dtype() != DType.FLOAT32 && t.dtype() != DType.FLOAT64) {
            throw new IllegalArgumentException(op + ": expected a float32 or float64 tensor but got "
                    + t.dtype().torchName() + " of shape " + t.shape());
        }
    }

    /** PyTorch's refusal of mixed dtypes where an op does not promote (mm, linear, the losses). */
    static void sameDtype(String op, Tensor expected, Tensor found) {
        if (expected.dtype() != found.dtype()) {
            throw new IllegalArgumentException("expected scalar type " + expected.dtype().scalarTypeName()
                    + " but found " + found.dtype().scalarTypeName() + " (in " + op + ": " + expected.dtype().torchName()
                    + " " + expected.shape() + " and " + found.dtype().torchName() + " " + found.shape()
                    + "; convert one with .to(dtype), e.g. .double() or .float())");
        }
    }

    /** Normalises dims (negative allowed), rejecting repeats; {@code null} means all dims. */
    static int[] dims(int[] dims, int rank) {
        if (dims == null) {
            int[] all = new int[rank];
            for (int i = 0; i < rank; i++) all[i] = i;
            return all;
        }
        int[] out = new int[dims.length];
        boolean[] seen = new boolean[Math.max(rank, 1)];
        for (int i = 0; i < dims.length; i++) {
            int d = Shape.normalizeDim(dims[i], rank);
            if (seen[d]) throw new IllegalArgumentException("dim " + d + " appears multiple times in the list of dims");
            seen[d] = true;
            out[i] = d;
        }
        java.util.Arrays.sort(out);
        return rank == 0 ? new int[0] : out;
    }
}
