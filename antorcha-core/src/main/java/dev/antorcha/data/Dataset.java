package dev.antorcha.data;

/**
 * A finite, indexable collection of samples, PyTorch's map-style {@code Dataset}.
 *
 * <pre>{@code
 * Dataset<Example<Tensor, Long>> images = new MNIST<>("mnist_data", true, T, true);
 * Example<Tensor, Long> first = images.get(0);   // [1, 28, 28] image and its label
 * }</pre>
 *
 * @param <T> the sample type, typically {@link Example}
 */
public interface Dataset<T> {

    /** The sample at {@code index}, {@code 0 <= index < size()}. */
    T get(int index);

    /** Number of samples. */
    int size();
}
