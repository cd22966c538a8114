package dev.antorcha.autograd;

import dev.antorcha.tensor.Tensor;

/**
 * The backward of one primitive: given the gradient of the output, the gradient of each input
 * ({@code null} where {@code needs[i]} is false or the input has no gradient). A returned
 * gradient may have the broadcast shape of the output; the engine sums it back to the input's
 * shape, so backward functions never do that bookkeeping themselves.
 */
@FunctionalInterface
public interface BackwardFn {
    Tensor[] apply(Tensor grad, boolean[] needs);
}
