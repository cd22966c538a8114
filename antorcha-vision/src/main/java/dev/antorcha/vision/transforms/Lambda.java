package dev.antorcha.vision.transforms;

import java.util.Objects;
import java.util.function.Function;

/**
 * A user function as a transform, torchvision's {@code transforms.Lambda(lambd)}.
 *
 * <pre>{@code
 * Transform<Tensor, Tensor> flat = new Lambda<>(Tensor::flatten);   // [1, 28, 28] -> [784]
 * }</pre>
 */
public final class Lambda<A, B> implements Transform<A, B> {
    private final Function<? super A, ? extends B> fn;

    public Lambda(Function<? super A, ? extends B> fn) {
        this.fn = Objects.requireNonNull(fn, "Lambda needs a function, got null");
    }

    @Override
    public B apply(A input) {
        return fn.apply(input);
    }

    @Override
    public String toString() {
        return "Lambda()";
    }
}
