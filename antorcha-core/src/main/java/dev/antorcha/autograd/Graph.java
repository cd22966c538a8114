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

    /** The gradient the engine hands to the backward running on this thread, when no one else holds it. */
    private static final ThreadLocal<Tensor> DONATED = new ThreadLocal<>();

    private Graph() {
    }

    /**
     * Whether the backward now running may write its result into {@code g}, the gradient it was
     * handed: true only when the engine made sure that nothing else can see {@code g} — a gradient
     * that an earlier backward of this pass made for this node alone, contiguous over its whole
     * storage, not kept by {@code retainGrad}, with the graph not retained. An element-wise backward
     * (ReLU's mask, dropout's product) then needs no new tensor, as PyTorch's caching allocator
     * would hand it memory without zeroing it.
     */
    public static boolean mayOverwrite(Tensor g) {
        return g != null && DONATED.get() == g;
    }

    /** Runs {@code node}'s backward with {@code g}, donated when {@code donate} (see {@link #mayOverwrite}). */
    static Tensor[] runDonating(Node node, Tensor g, boolean donate) {
        if (!donate) return node.runBackward(g);
        Tensor before = DONATED.get();
        DONATED.set(g);
        try {
            return node.runBackward(g);
        } finally {
            DONATED.set(before);
        }
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

    /**
     * As {@link #record(Tensor, String, Tensor[], Tensor[], BackwardFn)}, marking the node with
     * {@code key} (an object private to the recording op) so that a later op can tell that a tensor
     * is this op's output ({@link #recordedBy}) and, where it knows a shorter way to the same
     * gradient, bypass the node ({@link #recordOnInputsOf}).
     */
    public static Tensor record(Tensor out, String name, Tensor[] inputs, Tensor[] saved, BackwardFn fn, Object key) {
        record(out, name, inputs, saved, fn);
        if (out.gradFn() != null) out.gradFn().key = key;
        return out;
    }

    /** Whether {@code t}'s gradient function was recorded with {@code key}. */
    public static boolean recordedBy(Tensor t, Object key) {
        return t.gradFn() != null && t.gradFn().key == key;
    }

    /**
     * Attaches to {@code out} a node that sends its gradients to the inputs of {@code producer}'s op,
     * skipping {@code producer}: for a fused backward that computes, from {@code out}'s gradient, what
     * {@code producer}'s backward would have computed from the gradient its own output would have got
     * ({@code fn}'s results are per input of that op). {@code producer} still runs for gradients that
     * reach its output by other ways, and the engine adds both. Nothing is attached when grad mode is off.
     */
    public static Tensor recordOnInputsOf(Tensor out, String name, Node producer, Tensor[] saved, BackwardFn fn) {
        if (!GradMode.isEnabled()) return out;
        out.attachGradFn(new Node(name, producer, saved, fn, SEQUENCE.incrementAndGet()));
        return out;
    }

    /**
     * Marks {@code t}, a tensor that only the op which made {@code out} can see (no caller gets it,
     * e.g. a pooling's indices or a dropout's mask), as spent once {@code out}'s backward has run
     * and the graph is released: its memory is then recycled at once ({@code Backend.recycle}).
     * When no node was recorded (grad mode off, or no input needs a gradient), it is spent now.
     */
    public static void spentWith(Tensor out, Tensor t) {
        Node n = out.gradFn();
        if (n == null) {
            t.backend().recycle(t);
            return;
        }
        if (n.spent == null) n.spent = new java.util.ArrayList<>(2);
        n.spent.add(t);
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
