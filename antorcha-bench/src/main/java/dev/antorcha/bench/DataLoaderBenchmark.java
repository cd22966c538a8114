package dev.antorcha.bench;

import dev.antorcha.data.Batch;
import dev.antorcha.data.DataLoader;
import dev.antorcha.data.Dataset;
import dev.antorcha.data.Example;
import dev.antorcha.tensor.Factory;
import dev.antorcha.tensor.Tensor;
import java.util.SplittableRandom;
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
import org.openjdk.jmh.infra.Blackhole;

/**
 * Loader time for one epoch of MNIST-sized data: 60,000 samples whose {@code get(i)} turns 784
 * raw bytes into a {@code [1, 28, 28]} float32 tensor of {@code pixel / 255} (what
 * {@code ToTensor} does) plus a {@code Long} label, batched by 128 with the default collate
 * ({@code [128, 1, 28, 28]} float32, {@code [128]} int64), no shuffle. Reported in ms per epoch;
 * PyTorch's counterpart is {@code for x, y in DataLoader(mnist_train, batch_size=128): pass}.
 *
 * <pre>
 * java -jar antorcha-bench/target/benchmarks.jar DataLoaderBenchmark -f 1 -wi 2 -i 3
 * </pre>
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 2, time = 1)
@Measurement(iterations = 3, time = 1)
@Fork(value = 1, jvmArgsAppend = {"--add-modules", "jdk.incubator.vector"})
public class DataLoaderBenchmark {
    static final int SAMPLES = 60_000;
    static final int PIXELS = 28 * 28;

    /** Background loader threads; 0 loads on the benchmark thread. */
    @Param({"0", "2"})
    public int numWorkers;

    private DataLoader<Batch> loader;

    /** Raw uint8 images held as bytes, like the decoded IDX file. */
    static final class SyntheticMnist implements Dataset<Example<Tensor, Long>> {
        private final byte[] pixels = new byte[SAMPLES * PIXELS];
        private final byte[] labels = new byte[SAMPLES];

        SyntheticMnist(long seed) {
            SplittableRandom r = new SplittableRandom(seed);
            for (int i = 0; i < pixels.length; i++) pixels[i] = (byte) r.nextInt(256);
            for (int i = 0; i < labels.length; i++) labels[i] = (byte) r.nextInt(10);
        }

        @Override
        public Example<Tensor, Long> get(int index) {
            float[] x = new float[PIXELS];
            int from = index * PIXELS;
            for (int j = 0; j < PIXELS; j++) x[j] = (pixels[from + j] & 0xFF) / 255f;
            Tensor image = Factory.adopt(x, 1, 28, 28);
            return new Example<>(image, (long) labels[index]);
        }

        @Override
        public int size() {
            return SAMPLES;
        }
    }

    @Setup
    public void setup() {
        loader = DataLoader.builder(new SyntheticMnist(42)).batchSize(128).numWorkers(numWorkers).build();
    }

    @Benchmark
    public void epoch(Blackhole bh) {
        for (Batch b : loader) bh.consume(b);
    }
}
