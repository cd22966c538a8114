package dev.antorcha.bench;

import dev.antorcha.Antorcha;
import dev.antorcha.nn.CrossEntropyLoss;
import dev.antorcha.nn.Linear;
import dev.antorcha.nn.Module;
import dev.antorcha.nn.ReLU;
import dev.antorcha.nn.Sequential;
import dev.antorcha.optim.Adam;
import dev.antorcha.optim.Optimizer;
import dev.antorcha.tensor.Tensor;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * One iteration of the tutorial's loop at batch 128 (784→100→50→10, cross-entropy, Adam):
 * forward, zero_grad, loss, backward, step. About 21 million multiply-adds, so
 * GFLOP/s = 0.0422 / (µs per op × 1e-6). Run with {@code -prof gc} for allocation per step.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(value = 1, jvmArgsAppend = {"--add-modules", "jdk.incubator.vector"})
public class TrainingStepBenchmark {
    private Module model;
    private Optimizer optimizer;
    private final CrossEntropyLoss lossFunction = new CrossEntropyLoss();
    private Tensor images;
    private Tensor tags;

    @Setup
    public void setup() {
        Antorcha.manualSeed(0);
        model = new Sequential(new Linear(784, 100), new ReLU(), new Linear(100, 50), new ReLU(), new Linear(50, 10));
        optimizer = new Adam(model.parameters(), 0.001);
        images = Antorcha.rand(128, 1, 28, 28);
        long[] t = new long[128];
        for (int i = 0; i < t.length; i++) t[i] = i % 10;
        tags = Antorcha.tensor(t);
    }

    @Benchmark
    public float step() {
        Tensor output = model.forward(images.view(-1, 28 * 28));
        model.zeroGrad();
        Tensor error = lossFunction.forward(output, tags);
        error.backward();
        optimizer.step();
        return error.item();
    }
}
