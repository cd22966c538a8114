package dev.antorcha.nn;

import dev.antorcha.tensor.Tensor;

/**
 * A tensor that is a module's learnable state: a dense leaf that requires grad, PyTorch's
 * {@code nn.Parameter}. Registered with {@link Module#registerParameter}, it appears in
 * {@code parameters()} and the state dict.
 */
public final class Parameter extends Tensor {

    /** Wraps {@code data} (sharing its storage when it is dense) as a parameter. */
    public Parameter(Tensor data) {
        super(data);
        requiresGrad(true);
    }

    @Override
    public String toString() {
        return "Parameter containing:\n" + super.toString();
    }
}
