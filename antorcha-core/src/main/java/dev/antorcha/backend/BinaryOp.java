package dev.antorcha.backend;

/** Element-wise binary kernels. Comparisons write 1 or 0. */
public enum BinaryOp {
    ADD, SUB, MUL, DIV, POW, MAXIMUM, MINIMUM, EQ, NE, LT, LE, GT, GE;

    /** Whether the result is a mask (dtype bool) rather than a number. */
    public boolean isComparison() {
        return ordinal() >= EQ.ordinal();
    }
}
