package dev.antorcha.bench;

import dev.antorcha.Antorcha;
import dev.antorcha.nn.LSTM;
import dev.antorcha.nn.Parameter;
import dev.antorcha.nn.RNNOptions;
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
 * The word language model's LSTM (pytorch/examples word_language_model defaults:
 * {@code LSTM(200, 200, num_layers=2)}, bptt 35, batch 20): one forward and backward of a batch
 * from a zero state, the gradient of {@code sum(output * g)}. PyTorch's side is
 * {@code bench/pytorch_lstm.py} (same shapes, one thread). Per layer: one {@code [700, in] × [in, 800]}
 * input projection, 35 recurrent {@code [20, 200] × [200, 800]} products, 35 fused gate passes;
 * the backward mirrors them, with the recurrent weight's gradient as one product.
 *
 * <pre>
 * java --add-modules jdk.incubator.vector -jar antorcha-bench/target/benchmarks.jar LstmBenchmark
 * </pre>
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(value = 1, jvmArgsAppend = {"--add-modules", "jdk.incubator.vector"})
public class LstmBenchmark {

    /** CPU threads (Antorcha.setNumThreads). */
    @Param({"1"})
    public int threads;

    /** {@code forward} alone (no graph) or {@code forward+backward}. */
    @Param({"forward+backward"})
    public String pass;

    private LSTM lstm;
    private Tensor x;
    private Tensor g;

    @Setup
    public void setup() {
        Antorcha.manualSeed(42);
        Antorcha.setNumThreads(threads);
        lstm = new LSTM(200, 200, RNNOptions.defaults().numLayers(2));
        x = Antorcha.randn(35, 20, 200).requiresGrad(true);
        g = Antorcha.randn(35, 20, 200);
    }

    @Benchmark
    public Tensor step() {
        if (pass.equals("forward")) {
            try (var _ = Antorcha.noGrad()) {
                return lstm.forward(x);
            }
        }
        for (Parameter p : lstm.parameters()) p.setGrad(null);
        x.setGrad(null);
        Tensor out = lstm.forward(x);
        out.backward(g);
        return x.grad();
    }
}
