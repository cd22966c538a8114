package dev.antorcha.autograd;

import dev.antorcha.tensor.Shape;
import dev.antorcha.tensor.Tensor;

/**
 * One recorded operation in the graph, PyTorch's {@code grad_fn}: its name
 * ({@code MulBackward0}), where the gradient of each input goes (another node, or a leaf tensor
 * that accumulates it), the values it saved with their versions, and its backward function.
 */
public final class Node {
    final String name;
    /** Per input: the producing node (or null for a leaf / no grad). */
    final Node[] nextNodes;
    /** Per input: the leaf tensor whose {@code grad} accumulates, or null. */
    final Tensor[] leaves;
    /** Per input: its shape, so the engine can reduce a broadcast gradient. */
    final Shape[] inputShapes;
    final boolean[] needs;
    private static final Tensor[] NOTHING_SAVED = new Tensor[0];
    private static final int[] NO_VERSIONS = new int[0];
    private Tensor[] saved;
    /** Tensors only this node's backward reads (see {@link Graph#spentWith}), recycled when it is released; or null. */
    java.util.List<Tensor> spent;
    private int[] savedVersions;
    private BackwardFn fn;
    /** A non-leaf tensor that asked for {@code retainGrad()}; its grad accumulates here. */
    Tensor retained;
    final long sequence;
    /** What recorded this node, for an op that recognises its input's producer (see {@link Graph#record(Tensor, String, Tensor[], Tensor[], BackwardFn, Object)}); or null. */
    Object key;

    Node(String name, Tensor[] inputs, Tensor[] saved, BackwardFn fn, long sequence) {
        this.name = name;
        this.fn = fn;
        this.sequence = sequence;
        int n = inputs.length;
        nextNodes = new Node[n];
        leaves = new Tensor[n];
        inputShapes = new Shape[n];
        needs = new boolean[n];
        for (int i = 0; i < n; i++) {
            Tensor t = inputs[i];
            inputShapes[i] = t.shape();
            if (!t.requiresGrad()) continue;
            needs[i] = true;
            if (t.gradFn() != null) nextNodes[i] = t.gradFn();
            else leaves[i] = t;
        }
        this.saved = saved;
        this.savedVersions = versions(saved);
    }

    /** A node whose gradients go where {@code edges}'s go: to the inputs of the op that {@code edges} recorded. */
    Node(String name, Node edges, Tensor[] saved, BackwardFn fn, long sequence) {
        this.name = name;
        this.fn = fn;
        this.sequence = sequence;
        nextNodes = edges.nextNodes.clone();
        leaves = edges.leaves.clone();
        inputShapes = edges.inputShapes.clone();
        needs = edges.needs.clone();
        this.saved = saved;
        this.savedVersions = versions(saved);
    }

    /** The saved tensors' versions now, checked again before the backward runs. */
    private static int[] versions(Tensor[] saved) {
        int[] v = new int[saved.length];
        for (int i = 0; i < saved.length; i++) v[i] = saved[i].storage().version();
        return v;
    }

    /** PyTorch's name of the backward, e.g. {@code AddmmBackward0}. */
    public String name() {
        return name;
    }

    /** The nodes this one sends gradients to (null entries for leaves and inputs without grad). */
    public Node[] nextFunctions() {
        return nextNodes.clone();
    }

    Tensor[] runBackward(Tensor grad) {
        if (fn == null) {
            throw new IllegalStateException("Trying to backward through the graph a second time (or "
                    + "directly access saved tensors after they have already been freed). Saved "
                    + "intermediate values of the graph are freed when you call backward(). Specify "
                    + "retainGraph=true if you need to backward through the graph a second time ("
                    + name + ")");
        }
        for (int i = 0; i < saved.length; i++) {
            int now = saved[i].storage().version();
            if (now != savedVersions[i]) {
                throw new IllegalStateException("one of the variables needed for gradient computation "
                        + "has been modified by an inplace operation: [" + saved[i].dtype().torchName()
                        + " " + saved[i].shape() + "], which is saved by " + name + ", is at version "
                        + now + "; expected version " + savedVersions[i] + " instead.");
            }
        }
        return fn.apply(grad, needs);
    }

    /** Drops the backward closure and with it the saved values (after a non-retained backward). */
    void release() {
        fn = null;
        saved = NOTHING_SAVED;   // the saved values become unreachable now, not when the graph does
        savedVersions = NO_VERSIONS;
        if (spent != null) {
            for (Tensor t : spent) t.backend().recycle(t);
            spent = null;
        }
    }

    @Override
    public String toString() {
        return "<" + name + ">";
    }
}
