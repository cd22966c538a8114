package dev.antorcha.backend;

/**
 * Element-wise unary kernels. {@code CLAMP} reads its bounds from the two scalar parameters,
 * {@code POW_SCALAR} its exponent from the first; {@code RELU_MASK} is relu's derivative
 * (1 where x &gt; 0, else 0, so relu'(0) = 0 as in PyTorch).
 */
public enum UnaryOp {
    COPY, NEG, EXP, LOG, SQRT, ABS, RELU, RELU_MASK, SIGMOID, TANH, CLAMP, POW_SCALAR, SIGN
}
