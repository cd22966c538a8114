package dev.antorcha.autograd;

/**
 * A scope in which no operation is recorded for autograd, PyTorch's {@code torch.no_grad()}.
 *
 * <pre>{@code
 * try (var g = Antorcha.noGrad()) {
 *     Tensor predictions = model.forward(x).argmax(1);
 * }
 * }</pre>
 */
public final class NoGrad implements AutoCloseable {
    private final boolean previous;
    private boolean closed;

    private NoGrad() {
        previous = GradMode.set(false);
    }

    /** Enters the scope; close it (try-with-resources) to restore the previous mode. */
    public static NoGrad enter() {
        return new NoGrad();
    }

    @Override
    public void close() {
        if (!closed) {
            closed = true;
            GradMode.set(previous);
        }
    }
}
