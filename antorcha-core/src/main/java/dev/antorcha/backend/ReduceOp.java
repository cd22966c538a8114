package dev.antorcha.backend;

/** Reductions over one or more dimensions. */
public enum ReduceOp {
    SUM, MAX, MIN
}
