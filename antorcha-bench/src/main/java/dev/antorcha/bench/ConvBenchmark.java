package dev.antorcha.bench;

import dev.antorcha.Antorcha;
import dev.antorcha.autograd.NoGrad;
import dev.antorcha.backend.ConvParams;
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
 * The MNIST CNN's convolutions at batch 64 (pytorch/examples mnist: conv1 1→32 on 28×28, conv2
 * 32→64 on 26×26, both 3×3, stride 1), forward and the two backward kernels separately: the input
 * gradient (what conv2's backward passes on to conv1) and the weight gradient. Each does
 * {@code 2·N·Cout·Ho·Wo·Cin·k·k} flops, so GFLOP/s = that / time:
 * conv1 2·64·32·26·26·1·9 = 24.9 MFLOP, conv2 2·64·64·24·24·32·9 = 1359 MFLOP. conv2's three passes
 * run by Winograd's minimal filtering, 2.25 times fewer multiply-adds: for it that rate is the
 * direct method's arithmetic per second, not the arithmetic done.
 *
 * <pre>
 * java --add-modules jdk.incubator.vector -jar antorcha-bench/target/benchmarks.jar ConvBenchmark
 * </pre>
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = {"--add-modules", "jdk.incubator.vector"})
public class ConvBenchmark {

    @Param({"conv1", "conv2"})
    public String layer;

    /** forward, input gradient (dx), weight gradient (dW). */
    @Param({"forward", "dx", "dW"})
    public String pass;

    /** CPU threads (Antorcha.setNumThreads). */
    @Param({"1", "2"})
    public int threads;

    private Tensor x;
    private Tensor w;
    private Tensor b;
    private Tensor gy;
    private Tensor out;
    private final ConvParams p = new ConvParams(1, 1, 0, 0, 1, 1, 1);

    @Setup
    public void setup() {
        Antorcha.manualSeed(42);
        Antorcha.setNumThreads(threads);
        int cin = layer.equals("conv1") ? 1 : 32, cout = layer.equals("conv1") ? 32 : 64;
        int h = layer.equals("conv1") ? 28 : 26;
        x = Antorcha.randn(64, cin, h, h);
        w = Antorcha.randn(cout, cin, 3, 3);
        b = Antorcha.randn(cout);
        gy = Antorcha.randn(64, cout, h - 2, h - 2);
        out = switch (pass) {
            case "dx" -> Antorcha.zeros(64, cin, h, h);
            case "dW" -> Antorcha.zeros(cout, cin, 3, 3);
            default -> Antorcha.zeros(64, cout, h - 2, h - 2);
        };
    }

    @Benchmark
    public Tensor conv() {
        switch (pass) {
            case "dx" -> x.backend().conv2dInputGrad(gy, w, p, out);
            case "dW" -> x.backend().conv2dWeightGrad(gy, x, p, out);
            default -> {
                try (NoGrad _ = NoGrad.enter()) {
                    return F.conv2d(x, w, b);
                }
            }
        }
        return out;
    }
}
