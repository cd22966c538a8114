package dev.antorcha.bench;

import dev.antorcha.Antorcha;
import dev.antorcha.nn.LayerNorm;
import dev.antorcha.nn.Parameter;
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
 * {@code LayerNorm} forward and backward (the gradient of {@code sum(y * g)} for the input, the
 * weight and the bias) at two shapes: {@code [700, 200]}, the word language model's
 * {@code bptt·batch} rows of 200 features, and {@code [64·128, 512]}, a Transformer's tokens at
 * {@code d_model} 512. Float32, one thread, as PyTorch's side in {@code bench/pytorch_transformer.py}.
 *
 * <pre>
 * java --add-modules jdk.incubator.vector -jar antorcha-bench/target/benchmarks.jar LayerNormBenchmark
 * </pre>
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(value = 1, jvmArgsAppend = {"--add-modules", "jdk.incubator.vector"})
public class LayerNormBenchmark {

    /** CPU threads (Antorcha.setNumThreads). */
    @Param({"1"})
    public int threads;

    /** The input's shape, rows x features; the features are normalised. */
    @Param({"700x200", "8192x512"})
    public String shape;

    private LayerNorm norm;
    private Tensor x;
    private Tensor g;

    @Setup
    public void setup() {
        Antorcha.manualSeed(42);
        Antorcha.setNumThreads(threads);
        String[] rc = shape.split("x");
        int rows = Integer.parseInt(rc[0]), features = Integer.parseInt(rc[1]);
        norm = new LayerNorm(features);
        x = Antorcha.randn(rows, features).requiresGrad(true);
        g = Antorcha.randn(rows, features);
    }

    @Benchmark
    public Tensor step() {
        for (Parameter p : norm.parameters()) p.setGrad(null);
        x.setGrad(null);
        norm.forward(x).backward(g);
        return x.grad();
    }
}
