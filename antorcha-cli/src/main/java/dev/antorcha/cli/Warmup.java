package dev.antorcha.cli;

import dev.antorcha.Antorcha;
import dev.antorcha.backend.Backends;
import dev.antorcha.nn.Parameter;
import dev.antorcha.nn.functional.F;
import dev.antorcha.optim.Adam;
import dev.antorcha.tensor.Generator;
import dev.antorcha.tensor.Tensor;
import java.util.List;

/**
 * Gets the JIT compiler going from the first millisecond: a daemon thread calls the hot SIMD
 * kernels on tiny inputs, then runs training steps of the tutorial's shapes on random numbers,
 * while the command parses its options and loads the data, until the real training starts.
 * The Vector API is only fast once C2 has compiled it (and very slow before), so without this
 * the first iterations would pay for the compilation. The thread has its own generator and
 * tensors and shares no data with the real work, so results are exactly what they would be
 * without it.
 */
final class Warmup {
    private static volatile boolean stop;
    private static final dev.antorcha.nn.CrossEntropyLoss EVAL_LOSS =
            new dev.antorcha.nn.CrossEntropyLoss(dev.antorcha.nn.Reduction.SUM);

    private Warmup() {
    }

    static void startInBackground() {
        Thread.ofPlatform().daemon().name("antorcha-warmup").start(Warmup::run);
    }

    /** The real work begins: the warm-up stops after its current step. */
    static void stop() {
        stop = true;
    }

    private static void run() {
        Backends.cpu().warmUp();
        Generator g = new Generator(0);
        List<Parameter> ps = List.of(p(g, 100, 784), p(g, 100), p(g, 50, 100), p(g, 50), p(g, 10, 50), p(g, 10));
        Adam adam = new Adam(ps, 1e-3);
        Tensor x = Antorcha.rand(g, 128, 784);
        long[] t = new long[128];
        for (int i = 0; i < t.length; i++) t[i] = i % 10;
        Tensor target = Antorcha.tensor(t);
        for (int step = 0; step < 300 && !stop; step++) {
            Tensor loss = F.crossEntropy(logits(x, ps), target);
            adam.zeroGrad();
            loss.backward();
            adam.step();
            if (step % 10 == 1) {   // the evaluation's path: no graph, arg-max
                try (var _ = Antorcha.noGrad()) {
                    Tensor logits = logits(x, ps);
                    EVAL_LOSS.forward(logits, target).item();
                    logits.argmax(1).toLongArray();
                }
            }
        }
    }

    /** The tutorial's forward pass: three linear layers, ReLU between them. */
    private static Tensor logits(Tensor x, List<Parameter> ps) {
        Tensor h = F.linear(x, ps.get(0), ps.get(1)).relu();
        h = F.linear(h, ps.get(2), ps.get(3)).relu();
        return F.linear(h, ps.get(4), ps.get(5));
    }

    private static Parameter p(Generator g, int... shape) {
        return new Parameter(Antorcha.randn(g, shape).mul(0.05));
    }
}
