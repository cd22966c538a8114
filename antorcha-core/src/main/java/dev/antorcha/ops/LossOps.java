package dev.antorcha.ops;

import static dev.antorcha.autograd.Graph.grads;
import static dev.antorcha.autograd.Graph.inputs;
import static dev.antorcha.autograd.Graph.saved;

import dev.antorcha.autograd.Graph;
import dev.antorcha.autograd.NoGrad;
import dev.antorcha.tensor.Tensor;

/**
 * Loss primitives whose PyTorch gradient is not the gradient of their forward expression, so they
 * cannot be left to autograd: binary cross-entropy clamps each log at -100 in the forward only
 * (autograd through the clamp would give 0/0 = NaN at {@code x = 1}), and its input gradient
 * divides by {@code max(x(1-x), 1e-12)} instead.
 */
public final class LossOps {
    private LossOps() {
    }

    /** PyTorch's floor for each log of binary cross-entropy (a probability of 0 or 1 costs at most 100). */
    static final double LOG_CLAMP = -100;
    /** PyTorch's floor for {@code x(1-x)} in binary cross-entropy's input gradient. */
    static final double GRAD_EPS = 1e-12;

    /**
     * Per element {@code -w (t max(log x, -100) + (1-t) max(log(1-x), -100))} for probabilities
     * {@code x} in [0, 1] and targets {@code t} of x's shape; {@code weight} (or null) broadcasts to it.
     * Gradients: {@code w (x - t) / max(x(1-x), 1e-12)} for x, {@code w (max(log(1-x), -100) -
     * max(log x, -100))} for t.
     */
    public static Tensor binaryCrossEntropy(Tensor x, Tensor t, Tensor weight) {
        Args.tensor(x, "binaryCrossEntropy", "input");
        Args.tensor(t, "binaryCrossEntropy", "target");
        if (!x.shape().equals(t.shape())) {
            throw new IllegalArgumentException("Using a target size (" + t.shape() + ") that is different to the input size ("
                    + x.shape() + ") is deprecated. Please ensure they have the same size.");
        }
        Checks.floating("binary_cross_entropy", x);
        Checks.sameDevice("binary_cross_entropy", x, t);
        Checks.sameDtype("binary_cross_entropy", x, t);
        if (weight != null) {
            Checks.sameDevice("binary_cross_entropy", x, weight);
            Checks.sameDtype("binary_cross_entropy", x, weight);
        }
        Tensor w = weight == null ? null : broadcastWeight(weight.detach(), x);
        Tensor logX, log1mX, loss;
        try (NoGrad _ = NoGrad.enter()) {
            Tensor outside = x.lt(0).add(x.gt(1)).sum();   // NaN compares false both ways, as torch lets it through
            if (outside.longItem() > 0) {
                throw new IllegalArgumentException("all elements of input should be between 0 and 1 (binary_cross_entropy: "
                        + outside.longItem() + " of the " + x.numel() + " elements of the input " + x.shape()
                        + " are outside; pass probabilities, e.g. sigmoid(logits), or use binaryCrossEntropyWithLogits)");
            }
            logX = x.log().clampMin(LOG_CLAMP);
            log1mX = x.neg().add(1).log().clampMin(LOG_CLAMP);
            loss = t.mul(logX).add(t.neg().add(1).mul(log1mX)).neg();
            if (w != null) loss = loss.mul(w);
        }
        return Graph.record(loss, "BinaryCrossEntropyBackward0", inputs(x, t), saved(x, t, w), (g, n) -> {
            Tensor gw = w == null ? g : g.mul(w);
            Tensor dx = n[0] ? gw.mul(x.sub(t)).div(x.mul(x.neg().add(1)).clampMin(GRAD_EPS)) : null;
            Tensor dt = n[1] ? gw.mul(log1mX.sub(logX)) : null;
            return grads(dx, dt);
        });
    }

    /** {@code weight} broadcast to x's shape, or an error naming both shapes. */
    private static Tensor broadcastWeight(Tensor weight, Tensor x) {
        try {
            return weight.expand(x.shape().toArray());
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("binary_cross_entropy: weight of shape " + weight.shape()
                    + " does not broadcast to the input's shape " + x.shape() + " (" + e.getMessage() + ")", e);
        }
    }
}
