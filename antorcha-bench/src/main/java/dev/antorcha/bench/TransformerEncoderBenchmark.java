package dev.antorcha.bench;

import dev.antorcha.Antorcha;
import dev.antorcha.nn.Parameter;
import dev.antorcha.nn.TransformerEncoder;
import dev.antorcha.nn.TransformerEncoderLayer;
import dev.antorcha.nn.TransformerEncoderLayerOptions;
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
 * A two-layer {@code TransformerEncoder} of {@code TransformerEncoderLayer(d_model 256, nhead 8,
 * dim_feedforward 1024, dropout 0)} on {@code src [S 64, N 16, 256]}: one forward and backward,
 * the gradient of {@code sum(out * g)} for the input and every parameter. Dropout 0 in train mode
 * takes the same path as PyTorch's {@code bench/pytorch_transformer.py} (same shapes, one thread):
 * the attention's projections, the scaled dot products of 8 heads, two LayerNorms and the
 * feed-forward block per layer.
 *
 * <pre>
 * java --add-modules jdk.incubator.vector -jar antorcha-bench/target/benchmarks.jar TransformerEncoderBenchmark
 * </pre>
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(value = 1, jvmArgsAppend = {"--add-modules", "jdk.incubator.vector"})
public class TransformerEncoderBenchmark {

    /** CPU threads (Antorcha.setNumThreads). */
    @Param({"1"})
    public int threads;

    private TransformerEncoder encoder;
    private Tensor src;
    private Tensor g;

    @Setup
    public void setup() {
        Antorcha.manualSeed(42);
        Antorcha.setNumThreads(threads);
        var layer = new TransformerEncoderLayer(256, 8, TransformerEncoderLayerOptions.defaults().dimFeedforward(1024).dropout(0));
        encoder = new TransformerEncoder(layer, 2);
        encoder.train();
        src = Antorcha.randn(64, 16, 256).requiresGrad(true);
        g = Antorcha.randn(64, 16, 256);
    }

    @Benchmark
    public Tensor step() {
        for (Parameter p : encoder.parameters()) p.setGrad(null);
        src.setGrad(null);
        encoder.forward(src).backward(g);
        return src.grad();
    }
}
