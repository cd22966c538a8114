package dev.antorcha.autograd;

import dev.antorcha.tensor.Tensor;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Records primitives into the autograd graph. An op computes its output, then calls
 * {@link #record} with its inputs, the tensors its backward reads, and the backward itself:
 *
 * <pre>{@code
 * Tensor out = backend.binary(MUL, a, b);
 * return Graph.record(out, "MulBackward0", Graph.inputs(a, b), Graph.saved(a, b),
 *         (g, needs) -> Graph.grads(needs[0] ? g.mul(b) : null, needs[1] ? g.mul(a) : null));
 * }</pre>
 *
 * Nothing is recorded when grad mode is off or no input requires a gradient.
 */
public final class Graph {
    private static final Tensor[] NONE = new Tensor[0];
    private static final AtomicLong SEQUENCE = new AtomicLong();

    private Graph() {
    }

    /** Whether an op with these inputs must be recorded. */
    public static boolean needsRecording(Tensor... inputs) {
        if (!GradMode.isEnabled()) return false;
        for (Tensor t : inputs) if (t.requiresGrad()) return true;
        return false;
    }

    /** Attaches a backward node to {@code out} when needed, and returns {@code out}. */
    public static Tensor record(Tensor out, String name, Tensor[] inputs, Tensor[] saved, BackwardFn fn) {
        if (!needsRecording(inputs)) return out;
        out.attachGradFn(new Node(name, inputs, saved, fn, SEQUENCE.incrementAndGet()));
        return out;
    }

    /** Makes {@code node}'s output gradient accumulate into {@code t.grad()} ({@code retainGrad}). */
    public static void retain(Tensor t, Node node) {
        node.retained = t;
    }

    public static Tensor[] inputs(Tensor... inputs) {
        return inputs;
    }

    /**
     * The tensors a backward reads; their versions are checked before it runs. {@code null}
     * entries (values that no needed gradient reads) are dropped and so not checked.
     */
    public static Tensor[] saved(Tensor... saved) {
        for (Tensor t : saved) {
            if (t == null) return java.util.Arrays.stream(saved).filter(java.util.Objects::nonNull).toArray(Tensor[]::new);
        }
        return saved;
    }

    public static Tensor[] nothingSaved() {
        return NONE;
    }

    public static Tensor[] grads(Tensor... grads) {
        return grads;
    }
}
