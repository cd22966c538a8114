package dev.antorcha.autograd;

import dev.antorcha.backend.Storage;
import dev.antorcha.tensor.Tensor;
import java.util.ArrayDeque;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.Map;
import java.util.PriorityQueue;
import java.util.Set;

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
                accumulate(root, grad, false);
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
        // Gradients that only this pass can see (see exclusive): a backward may overwrite one it is
        // handed, a sum of two may go into one of them, and a leaf may take one as its grad.
        Set<Tensor> owned = Collections.newSetFromMap(new IdentityHashMap<>());
        pending.put(start, grad);
        // Highest sequence first: a node runs only after every later node that feeds it.
        PriorityQueue<Node> ready = new PriorityQueue<>((x, y) -> Long.compare(y.sequence, x.sequence));
        ready.add(start);
        while (!ready.isEmpty()) {
            Node node = ready.poll();
            Tensor g = pending.remove(node);
            Tensor[] grads = null;
            boolean donated = false;
            long mark = Storage.nextSerial();
            if (g != null) {
                if (node.retained != null) accumulate(node.retained, g, false);
                donated = owned.remove(g) && node.retained == null && !retainGraph;
                grads = Graph.runDonating(node, g, donated);
                if (!retainGraph) node.release();
                if (donated && !sharesStorage(grads, g)) g.backend().recycle(g);   // spent: nothing else saw it
            }
            for (int i = 0; i < node.needs.length; i++) {
                if (!node.needs[i]) continue;
                Tensor gi = grads != null && i < grads.length ? grads[i] : null;
                if (gi != null) gi = gi.sumToSize(node.inputShapes[i]);
                // a retained graph keeps its backward closures, which may hold their outputs: nothing is owned then
                boolean mine = !retainGraph && gi != null && exclusive(gi, i, grads, mark, donated ? g : null);
                Node next = node.nextNodes[i];
                if (next != null) {
                    if (gi != null) merge(pending, owned, next, gi, mine);
                    if (dependencies.merge(next, -1, Integer::sum) == 0) ready.add(next);
                } else if (gi != null) {
                    accumulate(node.leaves[i], gi, mine);
                }
            }
        }
    }

    /** Whether any of {@code grads} shares {@code g}'s memory. */
    private static boolean sharesStorage(Tensor[] grads, Tensor g) {
        if (grads == null) return false;
        for (Tensor t : grads) {
            if (t != null && t.storage() == g.storage()) return true;
        }
        return false;
    }

    /**
     * Whether output {@code i} of a backward, {@code gi}, is seen by nothing but this pass: its
     * storage was made by that backward (or is the donated gradient {@code donated} it wrote into),
     * {@code gi} covers all of it contiguously, and no other output of the backward shares it.
     */
    private static boolean exclusive(Tensor gi, int i, Tensor[] grads, long mark, Tensor donated) {
        Storage s = gi.storage();
        if (s.serial() < mark && (donated == null || s != donated.storage())) return false;
        if (!gi.isContiguous() || gi.layout().offset() != 0 || gi.numel() != s.capacity()) return false;
        for (int j = 0; j < grads.length; j++) {
            if (j != i && grads[j] != null && grads[j].storage() == s) return false;
        }
        return true;
    }

    /** {@code next}'s pending gradient becomes {@code gi}, or the sum with the one it has (in place when this pass owns it). */
    private static void merge(Map<Node, Tensor> pending, Set<Tensor> owned, Node next, Tensor gi, boolean mine) {
        Tensor prev = pending.get(next);
        if (prev == null) {
            pending.put(next, gi);
            if (mine) owned.add(gi);
        } else if (owned.contains(prev) && prev.dtype() == gi.dtype() && prev.shape().equals(gi.shape())) {
            prev.add_(gi);   // the same sum as prev.add(gi), into memory no one else sees
            if (mine) gi.backend().recycle(gi);
        } else {
            Tensor sum = prev.add(gi);
            if (owned.remove(prev)) prev.backend().recycle(prev);
            if (mine) gi.backend().recycle(gi);
            pending.put(next, sum);
            owned.add(sum);
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

    /**
     * {@code t.grad += g}, or a private copy of {@code g} when there is no grad yet ({@code g} itself
     * when {@code mine}: a gradient only this pass sees, as PyTorch's AccumulateGrad steals it).
     */
    private static void accumulate(Tensor t, Tensor g, boolean mine) {
        Tensor current = t.grad();
        if (current == null) {
            t.setGrad(mine && g.dtype() == t.dtype() ? g : g.contiguousCopy());
        } else {
            current.add_(g);
            if (mine) g.backend().recycle(g);
        }
    }
}
