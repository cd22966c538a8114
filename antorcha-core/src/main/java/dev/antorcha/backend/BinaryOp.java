package dev.antorcha.backend;

/**
 * Element-wise binary kernels. Comparisons write 1 or 0. {@code MASK_POSITIVE} is relu's
 * backward in one pass, torch's threshold_backward: 0 where {@code b <= 0}, else {@code a}
 * (so a NaN output passes its gradient, as in PyTorch).
 */
public enum BinaryOp {
    ADD, SUB, MUL, DIV, POW, MAXIMUM, MINIMUM, MASK_POSITIVE, EQ, NE, LT, LE, GT, GE;

    /** Whether the result is a mask (dtype bool) rather than a number. */
    public boolean isComparison() {
        return ordinal() >= EQ.ordinal();
    }
}
