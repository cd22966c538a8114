package dev.antorcha.backend.cpu;

import dev.antorcha.backend.AdadeltaStep;
import dev.antorcha.backend.AdagradStep;
import dev.antorcha.backend.RmspropStep;

/**
 * The float32 loops of the Adadelta, RMSprop and Adagrad steps over elements {@code [from, to)}.
 * {@link ScalarOptimKernels} defines the semantics (PyTorch 1.13's expressions in its order);
 * {@code PanamaOptimKernels} computes the same expressions with SIMD, bit for bit, since every
 * operation involved (add, mul, div, sqrt, fused multiply-add) is correctly rounded in both.
 */
interface OptimKernels {

    /** See {@link AdadeltaStep}. */
    void adadelta(float[] p, float[] g, float[] squareAvg, float[] accDelta, int from, int to, AdadeltaStep s);

    /** See {@link RmspropStep}; {@code gradAvg} null unless centered, {@code buf} null without momentum. */
    void rmsprop(float[] p, float[] g, float[] squareAvg, float[] gradAvg, float[] buf, int from, int to, RmspropStep s);

    /** See {@link AdagradStep}. */
    void adagrad(float[] p, float[] g, float[] sum, int from, int to, AdagradStep s);

    /**
     * The optimizer loops that go with {@code k}: SIMD when {@code k} is (more than one lane
     * means the vector module is present and in use), the scalar loops otherwise.
     */
    static OptimKernels matching(FloatKernels k) {
        return k.lanes() > 1 ? new PanamaOptimKernels() : new ScalarOptimKernels();
    }
}
