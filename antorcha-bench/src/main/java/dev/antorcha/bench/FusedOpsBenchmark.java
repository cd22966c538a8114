package dev.antorcha.bench;

import dev.antorcha.Antorcha;
import dev.antorcha.nn.functional.F;
import dev.antorcha.tensor.Tensor;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The fused primitives against the compositions they replace, forward and backward, at the
 * tutorial's shapes: {@code linear} (one node: matmul, bias, and a column sum for the bias
 * gradient) against {@code x.matmul(w.t()).add(b)}, and {@code crossEntropy} (log-softmax and
 * NLL in one pass per row, backward {@code softmax - onehot}) against
 * {@code nllLoss(logSoftmax(x, 1), t)}. Each call computes the gradients of every input (for
 * {@code linear}: three products of 128 × in × out multiply-adds, on one thread).
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = {"--add-modules", "jdk.incubator.vector"})
public class FusedOpsBenchmark {
    /** A linear layer's input, weight, bias and upstream gradient, on one thread. */
    @State(Scope.Benchmark)
    public static class Layer {
        /** The tutorial's layers: in x out, at batch 128. */
        @Param({"784x100", "100x50", "50x10"})
        public String layer;

        Tensor x;
        Tensor w;
        Tensor b;
        Tensor upstream;

        @Setup
        public void setup() {
            Antorcha.manualSeed(7);
            Antorcha.setNumThreads(1);
            String[] d = layer.split("x");
            int in = Integer.parseInt(d[0]), out = Integer.parseInt(d[1]);
            x = Antorcha.randn(128, in).requiresGrad(true);
            w = Antorcha.randn(out, in).mul(0.05).detach().requiresGrad(true);
            b = Antorcha.randn(out).requiresGrad(true);
            upstream = Antorcha.randn(128, out);
        }

        void clear() {
            x.setGrad(null);
            w.setGrad(null);
            b.setGrad(null);
        }
    }

    /** The tutorial's logits [128, 10] and targets. */
    @State(Scope.Benchmark)
    public static class Loss {
        Tensor logits;
        Tensor target;

        @Setup
        public void setup() {
            Antorcha.manualSeed(7);
            logits = Antorcha.randn(128, 10).requiresGrad(true);
            long[] t = new long[128];
            for (int i = 0; i < t.length; i++) t[i] = (i * 7) % 10;
            target = Antorcha.tensor(t);
        }
    }

    @Benchmark
    public Tensor linearFused(Layer s) {
        s.clear();
        F.linear(s.x, s.w, s.b).backward(s.upstream);
        return s.w.grad();
    }

    @Benchmark
    public Tensor linearComposed(Layer s) {
        s.clear();
        s.x.matmul(s.w.t()).add(s.b).backward(s.upstream);
        return s.w.grad();
    }

    @Benchmark
    public Tensor crossEntropyFused(Loss s) {
        s.logits.setGrad(null);
        F.crossEntropy(s.logits, s.target).backward();
        return s.logits.grad();
    }

    @Benchmark
    public Tensor crossEntropyComposed(Loss s) {
        s.logits.setGrad(null);
        F.nllLoss(F.logSoftmax(s.logits, 1), s.target).backward();
        return s.logits.grad();
    }
}
