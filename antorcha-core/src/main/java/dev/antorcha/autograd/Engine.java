package dev.antorcha.autograd;

import dev.antorcha.tensor.Tensor;
import java.util.ArrayDeque;
import java.util.IdentityHashMap;
import java.util.Map;
import java.util.PriorityQueue;

/**
 * The backward walk. Runs each node once, after every node that feeds it a gradient, reduces
 * each gradient to its input's shape (undoing broadcasting), and accumulates: into the pending
 * gradient of an interior node, or into a leaf's {@code grad}. All of that bookkeeping lives
 * here so that no op repeats it.
 */
public final class Engine {
    private Engine() {
    }

    /** Computes gradients of {@code root} with respect to every leaf that requires them. */
    public static void backward(Tensor root, Tensor gradient, boolean retainGraph) {
        if (!root.requiresGrad()) {
            throw new IllegalStateException(
                    "element 0 of tensors does not require grad and does not have a grad_fn");
        }
        Tensor grad = initialGradient(root, gradient);
        try (NoGrad _ = NoGrad.enter()) {
            if (root.gradFn() == null) {
                accumulate(root, grad);
                return;
            }
            run(root.gradFn(), grad, retainGraph);
        }
    }

    private static Tensor initialGradient(Tensor root, Tensor gradient) {
        if (gradient == null) {
            if (root.numel() != 1) {
                throw new IllegalStateException("grad can be implicitly created only for scalar outputs "
                        + "(this tensor has shape " + root.shape() + "); pass a gradient to backward()");
            }
            return Tensor.onesLike(root);
        }
        if (!gradient.shape().equals(root.shape())) {
            throw new IllegalArgumentException("Mismatch in shape: grad_output[0] has a shape of "
                    + gradient.shape() + " and output[0] has a shape of " + root.shape() + ".");
        }
        return gradient.detach();
    }

    private static void run(Node start, Tensor grad, boolean retainGraph) {
        Map<Node, Integer> dependencies = countDependencies(start);
        Map<Node, Tensor> pending = new IdentityHashMap<>();
        pending.put(start, grad);
        // Highest sequence first: a node runs only after every later node that feeds it.
        PriorityQueue<Node> ready = new PriorityQueue<>((x, y) -> Long.compare(y.sequence, x.sequence));
        ready.add(start);
        while (!ready.isEmpty()) {
            Node node = ready.poll();
            Tensor g = pending.remove(node);
            Tensor[] grads = null;
            if (g != null) {
                if (node.retained != null) accumulate(node.retained, g);
                grads = node.runBackward(g);
                if (!retainGraph) node.release();
            }
            for (int i = 0; i < node.needs.length; i++) {
                if (!node.needs[i]) continue;
                Tensor gi = grads != null && i < grads.length ? grads[i] : null;
                if (gi != null) gi = gi.sumToSize(node.inputShapes[i]);
                Node next = node.nextNodes[i];
                if (next != null) {
                    if (gi != null) pending.merge(next, gi, Tensor::add);
                    if (dependencies.merge(next, -1, Integer::sum) == 0) ready.add(next);
                } else if (gi != null) {
                    accumulate(node.leaves[i], gi);
                }
            }
        }
    }

    private static Map<Node, Integer> countDependencies(Node start) {
        Map<Node, Integer> deps = new IdentityHashMap<>();
        ArrayDeque<Node> stack = new ArrayDeque<>();
        Map<Node, Boolean> seen = new IdentityHashMap<>();
        stack.push(start);
        seen.put(start, true);
        while (!stack.isEmpty()) {
            Node n = stack.pop();
            for (Node next : n.nextNodes) {
                if (next == null) continue;
                deps.merge(next, 1, Integer::sum);
                if (seen.put(next, true) == null) stack.push(next);
            }
        }
        return deps;
    }

    /** {@code t.grad += g}, or a private copy of {@code g} when there is no grad yet. */
    private static void accumulate(Tensor t, Tensor g) {
        Tensor current = t.grad();
        if (current == null) {
            t.setGrad(g.contiguousCopy());
        } else {
            current.add_(g);
        }
    }
}
