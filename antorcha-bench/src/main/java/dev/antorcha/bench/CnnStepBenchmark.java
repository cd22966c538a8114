package dev.antorcha.bench;

import dev.antorcha.Antorcha;
import dev.antorcha.nn.Conv2d;
import dev.antorcha.nn.Dropout;
import dev.antorcha.nn.Linear;
import dev.antorcha.nn.Module;
import dev.antorcha.nn.functional.F;
import dev.antorcha.optim.Adadelta;
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
 * One training step of PyTorch's MNIST CNN (pytorch/examples {@code mnist/main.py}: two 3×3
 * convolutions, max pooling, dropout, two linear layers, log-softmax and NLL, Adadelta) at batch
 * 64, in the heap the {@code antorcha} launcher gives {@code train --model cnn} (240 MB, a young
 * generation of 6 MB, arrays from 1 MB allocated in the old one, serial collector), so that the step
 * pays its allocations and collections as the job does.
 *
 * <pre>
 * java -jar antorcha-bench/target/benchmarks.jar CnnStepBenchmark -wi 5 -i 10 -w 2 -r 2 -f 1
 * </pre>
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 5, time = 2)
@Measurement(iterations = 10, time = 2)
@Fork(value = 1, jvmArgsAppend = {"--add-modules", "jdk.incubator.vector", "-XX:+UseSerialGC", "-Xmx240m", "-Xms240m",
    "-Xmn6m", "-XX:SurvivorRatio=1", "-XX:PretenureSizeThreshold=1m"})
public class CnnStepBenchmark {

    /** The example's network (the CLI's {@code dev.antorcha.examples.Net}). */
    static final class Net extends Module {
        final Conv2d conv1 = registerModule("conv1", new Conv2d(1, 32, 3, 1));
        final Conv2d conv2 = registerModule("conv2", new Conv2d(32, 64, 3, 1));
        final Dropout dropout1 = registerModule("dropout1", new Dropout(0.25));
        final Dropout dropout2 = registerModule("dropout2", new Dropout(0.5));
        final Linear fc1 = registerModule("fc1", new Linear(9216, 128));
        final Linear fc2 = registerModule("fc2", new Linear(128, 10));

        @Override
        public Tensor forward(Tensor x) {
            x = F.relu(conv1.forward(x));
            x = F.relu(conv2.forward(x));
            x = F.maxPool2d(x, 2);
            x = dropout1.forward(x);
            x = x.flatten(1);
            x = F.relu(fc1.forward(x));
            x = dropout2.forward(x);
            return F.logSoftmax(fc2.forward(x), 1);
        }
    }

    private Net model;
    private Optimizer optimizer;
    private Tensor images;
    private Tensor targets;

    @Setup
    public void setup() {
        Antorcha.manualSeed(1);
        model = new Net();
        model.train();
        optimizer = new Adadelta(model.parameters(), 1.0);
        images = Antorcha.randn(64, 1, 28, 28);
        long[] t = new long[64];
        for (int i = 0; i < t.length; i++) t[i] = i % 10;
        targets = Antorcha.tensor(t);
    }

    @Benchmark
    public float step() {
        optimizer.zeroGrad();
        Tensor loss = F.nllLoss(model.forward(images), targets);
        loss.backward();
        optimizer.step();
        return loss.item();
    }
}
