package dev.antorcha.ops;

import dev.antorcha.tensor.DType;
import dev.antorcha.tensor.Factory;
import dev.antorcha.tensor.Tensor;

/** Small constants the backward formulas need. */
final class Factoryish {
    private Factoryish() {
    }

    static Tensor zero() {
        return Factory.scalar(0, DType.FLOAT32);
    }

    static Tensor zeros(int... shape) {
        return Factory.full(0, DType.FLOAT32, shape);
    }
}
