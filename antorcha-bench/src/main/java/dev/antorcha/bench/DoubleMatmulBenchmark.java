package dev.antorcha.bench;

import dev.antorcha.Antorcha;
import dev.antorcha.tensor.DType;
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
 * Float64 matrix products: the time-sequence example's LSTMCell step (batch 97, hidden 51, four
 * gates: {@code h[97,51] · W_hhᵀ}, the weight seen transposed as autograd uses it) and a square
 * product of plain row-major operands. GFLOP/s = 2·m·n·k / time.
 *
 * <pre>
 * java -jar antorcha-bench/target/benchmarks.jar DoubleMatmulBenchmark -wi 3 -i 5 -w 1 -r 1 -f 1
 * </pre>
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = {"--add-modules", "jdk.incubator.vector"})
public class DoubleMatmulBenchmark {

    /** m x k x n; fwd: a [m,k] times a weight [n,k] seen transposed; sq: plain row-major operands. */
    @Param({"fwd_97x51x204", "sq_97x51x204", "sq_512x512x512"})
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
        a = Antorcha.randn(m, k).to(DType.FLOAT64);
        b = parts[0].equals("fwd") ? Antorcha.randn(n, k).to(DType.FLOAT64).t() : Antorcha.randn(k, n).to(DType.FLOAT64);
    }

    @Benchmark
    public Tensor matmul() {
        return a.matmul(b);
    }
}
