package dev.antorcha.bench;

import dev.antorcha.Antorcha;
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
 * Matrix products at the tutorial's shapes (batch 128, layers 784→100→50→10), forward and
 * both backward products, with the operands laid out as autograd produces them (the weight
 * and activations enter transposed, as strided views). GFLOP/s = 2·m·n·k / time.
 *
 * <pre>
 * java --add-modules jdk.incubator.vector -jar antorcha-bench/target/benchmarks.jar MatmulBenchmark
 * </pre>
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = {"--add-modules", "jdk.incubator.vector"})
public class MatmulBenchmark {

    /**
     * m x k x n, and how the product arises in training:
     * fwd: x[128,784] · W1ᵀ; dX: g[128,100] · W1 ; dW: gᵀ[100,128] · x[128,784]; sq: plain
     * row-major operands. The larger ones are the layers of hidden sizes 2000,1000, and the word
     * language model's decoder (200 → 18,328 words, 700 tokens a chunk).
     */
    @Param({
        "fwd_128x784x100", "dx_128x100x784", "dw_100x128x784",
        "fwd_128x100x50", "dx_128x50x100", "dw_50x128x100",
        "fwd_128x50x10", "dx_128x10x50", "dw_10x128x50",
        "fwd_128x784x2000", "fwd_128x2000x1000", "dw_2000x128x784", "dw_1000x128x2000",
        "fwd_700x200x18328", "dx_700x18328x200", "dw_18328x700x200",
        "sq_480x480x480", "sq_1024x1024x1024", "sq_2048x2048x2048"
    })
    public String shape;

    /** CPU threads for the product (Antorcha.setNumThreads). */
    @Param({"1", "2"})
    public int threads;

    private Tensor a;
    private Tensor b;

    @Setup
    public void setup() {
        Antorcha.manualSeed(42);
        Antorcha.setNumThreads(threads);
        String[] parts = shape.split("_");
        String[] d = parts[1].split("x");
        int m = Integer.parseInt(d[0]), k = Integer.parseInt(d[1]), n = Integer.parseInt(d[2]);
        switch (parts[0]) {
            case "fwd" -> {        // activations [m,k] times a weight [n,k] seen transposed
                a = Antorcha.randn(m, k);
                b = Antorcha.randn(n, k).t();
            }
            case "dx", "sq" -> {   // upstream gradient [m,k] times the weight [k,n]; square: plain operands
                a = Antorcha.randn(m, k);
                b = Antorcha.randn(k, n);
            }
            default -> {           // gradient [k,m] seen transposed times activations [k,n]
                a = Antorcha.randn(k, m).t();
                b = Antorcha.randn(k, n);
            }
        }
    }

    @Benchmark
    public Tensor matmul() {
        return a.matmul(b);
    }
}
