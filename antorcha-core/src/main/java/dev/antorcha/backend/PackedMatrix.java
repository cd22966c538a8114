package dev.antorcha.backend;

/**
 * A right-hand matrix operand {@code b [k, n]} prepared once by {@link Backend#packRight} for many
 * products {@link Backend#matmulPacked} against it: a recurrent layer multiplies every time step's
 * state by the same weight, and re-arranging that weight for the matrix-multiply kernel at each
 * step cost as much as a small product itself. It holds the values {@code b} had when packed.
 */
public interface PackedMatrix {

    /** {@code k}: the rows of {@code b}, the inner dimension of the products. */
    int rows();

    /** {@code n}: the columns of {@code b} and of the products. */
    int cols();
}
