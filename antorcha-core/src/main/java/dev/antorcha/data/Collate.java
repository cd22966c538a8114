package dev.antorcha.data;

import java.util.List;

/**
 * Merges the samples of one mini-batch into a batch value, PyTorch's {@code collate_fn}.
 * A {@link DataLoader} with {@code numWorkers > 0} calls it on worker threads, so it must not
 * depend on thread-confined state.
 *
 * <pre>{@code
 * Collate<Example<Tensor, Long>, long[]> labelsOnly =
 *         samples -> samples.stream().mapToLong(Example::target).toArray();
 * }</pre>
 *
 * @param <T> the sample type
 * @param <B> the batch type
 */
@FunctionalInterface
public interface Collate<T, B> {

    /** The batch made of {@code samples} (in loader order, never empty). */
    B collate(List<T> samples);

    /**
     * PyTorch's {@code default_collate} for {@code Example<Tensor, ?>} samples. Shape contract:
     * inputs {@code [*]} → {@code [B, *]} (a contiguous copy, same dtype: float32 images stay
     * float32); targets → {@code [B]} int64 for {@code Long}/{@code Integer} labels, {@code [B]}
     * float32 for {@code Float}/{@code Double}, {@code [B, *]} for {@code Tensor} targets, and
     * {@code null} when every target is {@code null}. Samples of any other type, inputs of
     * different shapes or dtypes, and mixed target types get an {@link IllegalArgumentException}
     * naming the sample's position in the batch.
     */
    @SuppressWarnings("unchecked")
    static <T> Collate<T, Batch> defaultCollate() {
        return (Collate<T, Batch>) DefaultCollate.INSTANCE;
    }
}
