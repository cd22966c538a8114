package dev.antorcha.vision.transforms;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * Several transforms applied one after another, torchvision's {@code Compose([...])}. Typed from
 * the first input to the last output, so a pipeline that does not fit together does not compile.
 *
 * <pre>{@code
 * Compose<Image, Tensor> t = Compose.of(new ToTensor(), new Normalize(0.1307f, 0.3081f));
 * Compose<Image, Tensor> u = Compose.of(new ToTensor()).andThen(new Normalize(0.5f, 0.5f));
 * }</pre>
 *
 * @param <A> the input type of the first step
 * @param <B> the output type of the last step
 */
public final class Compose<A, B> implements Transform<A, B> {
    private final List<Transform<?, ?>> steps;

    private Compose(List<Transform<?, ?>> steps) {
        this.steps = List.copyOf(steps);
    }

    /** A pipeline of one step. */
    public static <A, B> Compose<A, B> of(Transform<A, B> t) {
        List<Transform<?, ?>> steps = new ArrayList<>();
        add(steps, t);
        return new Compose<>(steps);
    }

    /** {@code t1}, then {@code t2}. */
    public static <A, B, C> Compose<A, C> of(Transform<A, B> t1, Transform<? super B, C> t2) {
        return of(t1).andThen(t2);
    }

    /** {@code t1}, then {@code t2}, then {@code t3}. */
    public static <A, B, C, D> Compose<A, D> of(Transform<A, B> t1, Transform<? super B, C> t2,
                                               Transform<? super C, D> t3) {
        return of(t1).andThen(t2).andThen(t3);
    }

    /** Four steps; longer pipelines continue with {@link #andThen}. */
    public static <A, B, C, D, E> Compose<A, E> of(Transform<A, B> t1, Transform<? super B, C> t2,
                                                  Transform<? super C, D> t3, Transform<? super D, E> t4) {
        return of(t1).andThen(t2).andThen(t3).andThen(t4);
    }

    /** A new pipeline: these steps, then {@code next} (a {@code Compose} is flattened in). */
    @Override
    public <C> Compose<A, C> andThen(Transform<? super B, ? extends C> next) {
        List<Transform<?, ?>> more = new ArrayList<>(steps);
        add(more, next);
        return new Compose<>(more);
    }

    private static void add(List<Transform<?, ?>> steps, Transform<?, ?> t) {
        Objects.requireNonNull(t, "a transform of Compose is null");
        if (t instanceof Compose<?, ?> c) steps.addAll(c.steps);
        else steps.add(t);
    }

    /** Applies each step in order. */
    @Override
    @SuppressWarnings({"unchecked", "rawtypes"})
    public B apply(A input) {
        // The factories only join steps whose types fit, so the raw calls are safe.
        Object x = input;
        for (Transform step : steps) x = step.apply(x);
        return (B) x;
    }

    /** The steps, in order. */
    public List<Transform<?, ?>> transforms() {
        return steps;
    }

    /** Like torchvision's repr: one step per line. */
    @Override
    public String toString() {
        StringBuilder sb = new StringBuilder("Compose(\n");
        for (Transform<?, ?> t : steps) sb.append("    ").append(t).append('\n');
        return sb.append(')').toString();
    }
}
