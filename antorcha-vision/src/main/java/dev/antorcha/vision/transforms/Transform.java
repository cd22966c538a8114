package dev.antorcha.vision.transforms;

import java.util.Objects;

/**
 * One step of a preprocessing pipeline, torchvision's transform callables: {@code B apply(A)}.
 *
 * <pre>{@code
 * Transform<Image, Tensor> t = new ToTensor().andThen(new Normalize(0.1307f, 0.3081f));
 * Tensor x = t.apply(image);    // [1, 28, 28]
 * }</pre>
 *
 * @param <A> input type, e.g. {@link Image}
 * @param <B> output type, e.g. {@code Tensor}
 */
@FunctionalInterface
public interface Transform<A, B> {

    /** Transforms one sample. */
    B apply(A input);

    /** This transform, then {@code next}: {@code next.apply(this.apply(a))}. */
    default <C> Transform<A, C> andThen(Transform<? super B, ? extends C> next) {
        Objects.requireNonNull(next, "next");
        return Compose.of(this).andThen(next);
    }

    /** The transform that returns its input. */
    static <A> Transform<A, A> identity() {
        return a -> a;
    }
}
