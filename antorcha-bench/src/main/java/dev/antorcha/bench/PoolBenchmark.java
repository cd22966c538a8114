package dev.antorcha.bench;

import dev.antorcha.Antorcha;
import dev.antorcha.backend.Pool2d;
import dev.antorcha.nn.functional.F;
import dev.antorcha.tensor.DType;
import dev.antorcha.tensor.Tensor;
import dev.antorcha.tensor.ValuesIndices;
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
 * The MNIST CNN's max pooling: {@code F.max_pool2d(x, 2)} of the second convolution's ReLU output,
 * {@code [64, 64, 24, 24]} float32 → {@code [64, 64, 12, 12]} with int64 indices, forward (with the
 * indices the backward needs) and backward (the gradient scattered back through the indices into
 * a fresh {@code dx}), in µs per call on 1 and 2 threads; {@code *Kernel} the same kernels into
 * outputs allocated once, which leaves out allocation and garbage collection. Bytes moved per forward: 9.4 MB read,
 * 2.4 MB values and 4.7 MB indices written; per backward: 2.4 MB gradient and 4.7 MB indices read,
 * 9.4 MB written.
 *
 * <pre>
 * java -jar antorcha-bench/target/benchmarks.jar PoolBenchmark -f 1 -wi 3 -i 5
 * </pre>
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = {"--add-modules", "jdk.incubator.vector"})
public class PoolBenchmark {

    @Param({"1", "2"})
    public int threads;

    private Tensor x, grad, indices, out, outIndices, dx;
    private final Pool2d window = new Pool2d(2, 2, 2, 2, 0, 0, 1, 1);

    @Setup
    public void setup() {
        Antorcha.manualSeed(0);
        x = Antorcha.randn(64, 64, 24, 24).relu();   // mostly ties at 0, as after the CNN's ReLU
        x.backend().setNumThreads(threads);
        indices = F.maxPool2dWithIndices(x, new int[] {2}, null, new int[] {0}, new int[] {1}, false).indices();
        grad = Antorcha.randn(64, 64, 12, 12);
        out = x.backend().empty(x.dtype(), 64, 64, 12, 12);
        outIndices = x.backend().empty(DType.INT64, 64, 64, 12, 12);
        dx = x.backend().empty(x.dtype(), 64, 64, 24, 24);
    }

    /** The forward kernel alone, into outputs allocated once (no allocation, no autograd). */
    @Benchmark
    public Tensor forwardKernel() {
        x.backend().maxPool2d(x, window, out, outIndices);
        return out;
    }

    /** The backward kernel alone, into a {@code dx} allocated once. */
    @Benchmark
    public Tensor backwardKernel() {
        x.backend().maxPool2dBackward(grad, indices, dx);
        return dx;
    }

    @Benchmark
    public ValuesIndices forward() {
        return F.maxPool2dWithIndices(x, new int[] {2}, null, new int[] {0}, new int[] {1}, false);
    }

    @Benchmark
    public Tensor backward() {
        Tensor dx = x.backend().empty(x.dtype(), 64, 64, 24, 24);
        x.backend().maxPool2dBackward(grad, indices, dx);
        return dx;
    }
}
