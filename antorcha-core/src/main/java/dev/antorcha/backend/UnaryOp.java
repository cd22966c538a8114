package dev.antorcha.backend;

/**
 * Element-wise unary kernels. {@code CLAMP} reads its bounds from the two scalar parameters,
 * {@code POW_SCALAR} its exponent from the first; {@code ERF} is the error function (GELU's). (relu's derivative is the binary
 * {@code MASK_POSITIVE}.)
 */
public enum UnaryOp {
    COPY, NEG, EXP, LOG, SQRT, ABS, RELU, SIGMOID, TANH, CLAMP, POW_SCALAR, SIGN, ERF
}
