package dev.antorcha.bench;

import dev.antorcha.Antorcha;
import dev.antorcha.nn.functional.F;
import dev.antorcha.tensor.Generator;
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
 * The MNIST CNN's first dropout, {@code F.dropout(x, 0.25, training)} of the pooled
 * {@code [64, 64, 12, 12]} float32 activations (589,824 values), in µs per call on 1 and 2 threads:
 * the uniform draws of the mask, the mask and the product, and the two new tensors; {@code rand}
 * the draws alone ({@code torch.rand} of that shape).
 *
 * <pre>
 * java -jar antorcha-bench/target/benchmarks.jar DropoutBenchmark -f 1 -wi 3 -i 5
 * </pre>
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = {"--add-modules", "jdk.incubator.vector"})
public class DropoutBenchmark {

    @Param({"1", "2"})
    public int threads;

    private Tensor x;
    private final Generator generator = new Generator(1);

    @Setup
    public void setup() {
        Antorcha.manualSeed(0);
        Antorcha.setNumThreads(threads);
        x = Antorcha.randn(64, 64, 12, 12);
    }

    @Benchmark
    public Tensor dropout() {
        return F.dropout(x, 0.25, true, generator);
    }

    @Benchmark
    public Tensor rand() {
        return Antorcha.rand(generator, 64, 64, 12, 12);
    }
}
