package dev.antorcha.cuda;

import dev.antorcha.backend.AdamStep;
import dev.antorcha.backend.Backend;
import dev.antorcha.backend.Backends;
import dev.antorcha.backend.BinaryOp;
import dev.antorcha.backend.ReduceOp;
import dev.antorcha.backend.SgdStep;
import dev.antorcha.backend.Storage;
import dev.antorcha.backend.UnaryOp;
import dev.antorcha.tensor.Tensor;
import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;

/**
 * Runs an op of the backend interface on the CPU backend over host copies of its operands and
 * copies its outputs back: what makes every op work on a CUDA device before it has a kernel of its
 * own. Each device storage an operand uses is copied whole and the operand becomes the same view
 * of the copy, so operands that share memory (an op writing into its input, views of one buffer)
 * share it on the host too; the storages of the outputs are copied back whole.
 */
final class HostFallback {
    private final CudaBackend cuda;

    HostFallback(CudaBackend cuda) {
        this.cuda = cuda;
    }

    /** A list that may hold nulls (optional operands). */
    static List<Tensor> list(Tensor... tensors) {
        return Arrays.asList(tensors);
    }

    /** The operands on the host, in the order given. */
    static final class Hosted {
        private final List<Tensor> tensors;

        private Hosted(List<Tensor> tensors) {
            this.tensors = tensors;
        }

        Tensor get(int i) {
            return tensors.get(i);
        }

        Backend backend() {
            return Backends.cpu();
        }
    }

    interface Body {
        void run(Hosted h);
    }

    /** Ops run on the host so far (all backends of the process): the tests check the hot path never is. */
    static final java.util.concurrent.atomic.AtomicLong RUNS = new java.util.concurrent.atomic.AtomicLong();

    /** Runs {@code body} on host copies of {@code operands}, then copies {@code outputs} back. */
    void run(List<Tensor> operands, List<Tensor> outputs, Body body) {
        RUNS.incrementAndGet();
        Map<Storage, Tensor> mirrors = new IdentityHashMap<>();
        Tensor[] hosted = new Tensor[operands.size()];
        for (int i = 0; i < hosted.length; i++) hosted[i] = onHost(operands.get(i), mirrors);
        body.run(new Hosted(Arrays.asList(hosted)));
        Map<Storage, Boolean> done = new IdentityHashMap<>();
        for (Tensor out : outputs) {
            if (out == null || !(out.storage() instanceof CudaStorage s) || done.put(s, Boolean.TRUE) != null) continue;
            upload(mirrors.get(s), out);
        }
    }

    /** {@code t} as a CPU tensor with the same values (its storage copied whole; CPU tensors as they are). */
    Tensor toHost(Tensor t) {
        return onHost(t, new IdentityHashMap<>());
    }

    private Tensor onHost(Tensor t, Map<Storage, Tensor> mirrors) {
        if (t == null || !(t.storage() instanceof CudaStorage s)) return t;
        Tensor whole = mirrors.computeIfAbsent(s, k -> download(s, t));
        return whole.viewOf(t.layout());
    }

    private Tensor download(CudaStorage s, Tensor t) {
        int n = s.capacity();
        Tensor whole = Backends.cpu().empty(s.dtype(), n);
        ByteBuffer buf = CudaBackend.buffer((long) n * s.dtype().itemSize());
        cuda.copyToBytes(Tensor.fromStorage(s, dev.antorcha.tensor.Layout.contiguous(n), s.dtype()), 0, n, buf);
        buf.flip();
        whole.backend().copyFromBytes(buf, whole, 0, n);
        return whole;
    }

    private void upload(Tensor whole, Tensor out) {
        CudaStorage s = (CudaStorage) out.storage();
        int n = s.capacity();
        ByteBuffer buf = CudaBackend.buffer((long) n * s.dtype().itemSize());
        whole.backend().copyToBytes(whole, 0, n, buf);
        buf.flip();
        cuda.copyFromBytes(buf, Tensor.fromStorage(s, dev.antorcha.tensor.Layout.contiguous(n), s.dtype()), 0, n);
    }

    // ---- the ops CudaBackend sends here when its kernels do not cover the case ----------------

    void unary(UnaryOp op, Tensor x, Tensor out, double p0, double p1) {
        run(List.of(x, out), List.of(out), h -> h.backend().unary(op, h.get(0), h.get(1), p0, p1));
    }

    void binary(BinaryOp op, Tensor a, Tensor b, Tensor out) {
        run(List.of(a, b, out), List.of(out), h -> h.backend().binary(op, h.get(0), h.get(1), h.get(2)));
    }

    void copy(Tensor src, Tensor dst) {
        run(List.of(src, dst), List.of(dst), h -> h.backend().copy(h.get(0), h.get(1)));
    }

    void fill(Tensor t, double value) {
        run(List.of(t), List.of(t), h -> h.backend().fill(h.get(0), value));
    }

    void reduce(ReduceOp op, Tensor x, int[] dims, Tensor out) {
        run(List.of(x, out), List.of(out), h -> h.backend().reduce(op, h.get(0), dims, h.get(1)));
    }

    void argReduce(boolean max, Tensor x, int dim, Tensor out) {
        run(List.of(x, out), List.of(out), h -> h.backend().argReduce(max, h.get(0), dim, h.get(1)));
    }

    void matmul(Tensor a, Tensor b, Tensor out) {
        run(List.of(a, b, out), List.of(out), h -> h.backend().matmul(h.get(0), h.get(1), h.get(2)));
    }

    void linear(Tensor x, Tensor w, Tensor b, Tensor out) {
        run(list(x, w, b, out), List.of(out), h -> h.backend().linear(h.get(0), h.get(1), h.get(2), h.get(3)));
    }

    void logSoftmax(Tensor x, Tensor out) {
        run(List.of(x, out), List.of(out), h -> h.backend().logSoftmax(h.get(0), h.get(1)));
    }

    void logSoftmaxBackward(Tensor y, Tensor grad, Tensor dx) {
        run(List.of(y, grad, dx), List.of(dx), h -> h.backend().logSoftmaxBackward(h.get(0), h.get(1), h.get(2)));
    }

    int crossEntropy(Tensor logits, Tensor target, long ignoreIndex, int reduction, Tensor out, Tensor logSumExp) {
        int[] counted = new int[1];
        run(List.of(logits, target, out, logSumExp), List.of(out, logSumExp), h -> counted[0] =
                h.backend().crossEntropy(h.get(0), h.get(1), ignoreIndex, reduction, h.get(2), h.get(3)));
        return counted[0];
    }

    void crossEntropyBackward(Tensor logits, Tensor target, long ignoreIndex, Tensor logSumExp, Tensor grad, int reduction,
                              int counted, Tensor dx) {
        run(List.of(logits, target, logSumExp, grad, dx), List.of(dx), h -> h.backend().crossEntropyBackward(h.get(0), h.get(1),
                ignoreIndex, h.get(2), h.get(3), reduction, counted, h.get(4)));
    }

    void adam(Tensor param, Tensor grad, Tensor expAvg, Tensor expAvgSq, Tensor maxExpAvgSq, AdamStep step) {
        run(list(param, grad, expAvg, expAvgSq, maxExpAvgSq), list(param, expAvg, expAvgSq, maxExpAvgSq),
                h -> h.backend().adam(h.get(0), h.get(1), h.get(2), h.get(3), h.get(4), step));
    }

    void sgd(Tensor param, Tensor grad, Tensor momentumBuffer, SgdStep step) {
        run(list(param, grad, momentumBuffer), list(param, momentumBuffer),
                h -> h.backend().sgd(h.get(0), h.get(1), h.get(2), step));
    }
}
