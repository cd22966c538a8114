package dev.antorcha.data;

/**
 * One labelled sample, the {@code (input, target)} pair that PyTorch datasets return.
 *
 * @param input  what the model sees, e.g. an image tensor {@code [1, 28, 28]}
 * @param target what it should predict, e.g. a class label
 */
public record Example<X, Y>(X input, Y target) {
}
