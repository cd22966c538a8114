package dev.antorcha.bench;

import dev.antorcha.Antorcha;
import dev.antorcha.nn.Parameter;
import dev.antorcha.optim.Adadelta;
import dev.antorcha.optim.Adagrad;
import dev.antorcha.optim.Adam;
import dev.antorcha.optim.Optimizer;
import dev.antorcha.optim.RMSprop;
import dev.antorcha.optim.SGD;
import java.util.ArrayList;
import java.util.List;
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
 * One optimizer step over the float32 parameters of the pytorch/examples MNIST CNN (1,199,882
 * elements in eight tensors, fc1's weight 1.18M of them), the step its training loop takes after
 * every batch with {@code Adadelta(lr=1.0)}. Adam, RMSprop, Adagrad and SGD with momentum at the
 * same size for comparison. The gradients stay fixed; the state evolves as in training.
 * {@code threads} is the CPU backend's thread count (the blocks, and so the results, are the same).
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = {"--add-modules", "jdk.incubator.vector"})
public class OptimizerBenchmark {
    /** The MNIST CNN's parameter shapes: conv1, conv2, fc1, fc2, each weight then bias. */
    private static final int[][] SHAPES = {{32, 1, 3, 3}, {32}, {64, 32, 3, 3}, {64}, {128, 9216}, {128}, {10, 128}, {10}};

    @State(Scope.Benchmark)
    public static class Params {
        @Param({"1", "2"})
        public int threads;

        Optimizer adadelta;
        Optimizer adam;
        Optimizer rmsprop;
        Optimizer adagrad;
        Optimizer sgd;

        @Setup
        public void setup() {
            Antorcha.manualSeed(7);
            Antorcha.setNumThreads(threads);
            adadelta = new Adadelta(cnn(), 1.0);
            adam = new Adam(cnn(), 1e-3);
            rmsprop = new RMSprop(cnn(), 0.01);
            adagrad = new Adagrad(cnn(), 0.01);
            sgd = new SGD(cnn(), new SGD.Options(0.01, 0.9, 0, 0, false));
        }

        /** A fresh set of the CNN's parameters with small random gradients. */
        private static List<Parameter> cnn() {
            List<Parameter> ps = new ArrayList<>();
            for (int[] shape : SHAPES) {
                Parameter p = new Parameter(Antorcha.randn(shape).mul(0.05));
                p.setGrad(Antorcha.randn(shape).mul(1e-3));
                ps.add(p);
            }
            return ps;
        }
    }

    @Benchmark
    public Optimizer adadeltaStep(Params s) {
        s.adadelta.step();
        return s.adadelta;
    }

    @Benchmark
    public Optimizer adamStep(Params s) {
        s.adam.step();
        return s.adam;
    }

    @Benchmark
    public Optimizer rmspropStep(Params s) {
        s.rmsprop.step();
        return s.rmsprop;
    }

    @Benchmark
    public Optimizer adagradStep(Params s) {
        s.adagrad.step();
        return s.adagrad;
    }

    @Benchmark
    public Optimizer sgdMomentumStep(Params s) {
        s.sgd.step();
        return s.sgd;
    }
}
