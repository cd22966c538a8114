package dev.antorcha.nn;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.antorcha.Antorcha;
import dev.antorcha.autograd.NoGrad;
import dev.antorcha.optim.Adam;
import dev.antorcha.optim.Optimizer;
import dev.antorcha.tensor.Tensor;
import java.io.IOException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The tutorial's training loop on real MNIST digits (the committed fixture: train[0:1000],
 * t10k[0:200]): Classifier, CrossEntropyLoss, Adam(lr=0.001), batches of 128 in order, 3 epochs.
 *
 * <p>Reference run in PyTorch 1.13 with the same data and loop over 60 seeds (torch.manual_seed(s)):
 * mean(last epoch's losses) / mean(first 3 losses) = 0.741 ± 0.018 (max 0.789); test accuracy
 * 0.654 ± 0.039 (min 0.555). Only 24 steps are taken, so the thresholds below (ratio &lt; 0.85,
 * accuracy &gt; 45%) sit about 5 standard deviations from torch's mean (this run, seed 0: ratio 0.774,
 * accuracy 57.0%). The step-by-step agreement with torch is checked by
 * {@link #matchesPyTorchFromTheSameStartingPoint()}.
 */
class TutorialTrainingTest {
    private static final int BATCH = 128;
    private static final int EPOCHS = 3;
    private static MnistFixture.Split train;
    private static MnistFixture.Split test;

    @BeforeAll
    static void load() throws IOException {
        train = MnistFixture.train();
        test = MnistFixture.test();
    }

    private record Run(List<Float> losses, int correct) {
        double firstThree() {
            return (losses.get(0) + losses.get(1) + losses.get(2)) / 3.0;
        }

        double lastEpoch(int perEpoch) {
            return losses.subList(losses.size() - perEpoch, losses.size()).stream().mapToDouble(Float::doubleValue).average().orElseThrow();
        }
    }

    /** The tutorial's loop, verbatim in Java; then the number of test digits classified correctly. */
    private static Run train(Classifier classifier) {
        CrossEntropyLoss lossFunction = new CrossEntropyLoss();
        Optimizer optimizer = new Adam(classifier.parameters(), 0.001);
        List<Float> losses = new ArrayList<>();
        for (int epoch = 0; epoch < EPOCHS; epoch++) {
            for (int start = 0; start < train.size(); start += BATCH) {
                int end = Math.min(train.size(), start + BATCH);
                Tensor images = train.images().slice(0, start, end), tags = train.labels().slice(0, start, end);
                Tensor output = classifier.forward(images);
                classifier.zeroGrad();
                Tensor error = lossFunction.forward(output, tags);
                error.backward();
                optimizer.step();
                losses.add(error.item());
            }
        }
        classifier.eval();
        long[] predicted;
        try (NoGrad _ = Antorcha.noGrad()) {
            predicted = classifier.forward(test.images()).argmax(1).toLongArray();
        }
        long[] truth = test.labels().toLongArray();
        int correct = 0;
        for (int i = 0; i < truth.length; i++) if (predicted[i] == truth[i]) correct++;
        return new Run(losses, correct);
    }

    @Test
    void fixtureIsTheFirstMnistDigits() {
        assertThat(train.images().shape().toArray()).containsExactly(1000, 1, 28, 28);
        assertThat(test.images().shape().toArray()).containsExactly(200, 1, 28, 28);
        assertThat(train.labels().shape().toArray()).containsExactly(1000);
        // torchvision's MNIST: train targets[:10] and test targets[:10]
        assertThat(java.util.Arrays.copyOf(train.labels().toLongArray(), 10)).containsExactly(5, 0, 4, 1, 9, 2, 1, 3, 1, 4);
        assertThat(java.util.Arrays.copyOf(test.labels().toLongArray(), 10)).containsExactly(7, 2, 1, 0, 4, 1, 4, 9, 5, 9);
        // Python (reading the same .gz files with numpy): X.double().sum() for train and test images (pixel / 255)
        assertThat(sum(train.images())).isCloseTo(100539.346, within(1e-2));
        assertThat(sum(test.images())).isCloseTo(18656.5845, within(1e-3));
        // Xtr[0, 0, 14, 13:16] = 81/255, 240/255, 253/255
        float[] row = train.images().select(0, 0).select(0, 0).select(0, 14).toFloatArray();
        assertThat(row[13]).isEqualTo(81 / 255f);
        assertThat(row[14]).isEqualTo(240 / 255f);
        assertThat(row[15]).isEqualTo(253 / 255f);
    }

    private static double sum(Tensor t) {
        double s = 0;
        for (float v : t.toFloatArray()) s += v;
        return s;
    }

    @Test
    void tutorialLoopLearnsAndIsDeterministic() {
        Antorcha.manualSeed(0);
        Run run = train(new Classifier());
        int perEpoch = (train.size() + BATCH - 1) / BATCH;
        assertThat(run.losses()).hasSize(EPOCHS * perEpoch).allMatch(l -> Float.isFinite(l));
        // A fresh 10-class classifier starts near ln 10 = 2.303.
        assertThat(run.firstThree()).isCloseTo(Math.log(10), within(0.1));
        assertThat(run.lastEpoch(perEpoch) / run.firstThree()).as("loss ratio, losses %s", run.losses()).isLessThan(0.85);
        assertThat(run.correct() / 200.0).as("test accuracy").isGreaterThan(0.45);

        // Same seed, same losses bit for bit; three runs, because the kernels get JIT-compiled meanwhile
        // and compiled code must compute exactly what interpreted code did.
        for (int repeat = 1; repeat <= 2; repeat++) {
            Antorcha.manualSeed(0);
            Run again = train(new Classifier());
            assertThat(again.losses()).as("run %d vs run 0", repeat).containsExactlyElementsOf(run.losses());
            assertThat(again.correct()).isEqualTo(run.correct());
        }
    }

    /** A deterministic start both languages compute exactly: ((((k + salt)·7919) mod 2001) − 1000)/1000 · 1/√fan_in. */
    private static Tensor formula(int[] shape, int fanIn, int salt) {
        int n = 1;
        for (int d : shape) n *= d;
        float[] v = new float[n];
        for (int k = 0; k < n; k++) v[k] = (float) (((((long) k + salt) * 7919) % 2001 - 1000) / 1000.0 * (1.0 / Math.sqrt(fanIn)));
        return Antorcha.tensor(v, shape);
    }

    @Test
    void matchesPyTorchFromTheSameStartingPoint() {
        // PyTorch 1.13, same Classifier and loop, parameters set (in named_parameters() order j = 0..5) to
        //   v = ((((np.arange(n) + j) * 7919) % 2001) - 1000) / 1000.0 * (1.0 / math.sqrt(fan_in));  p.copy_(v.astype(np.float32))
        // then: print(", ".join("%.9g" % l for l in losses)); print((pred == Yte).sum().item())
        double[] torchLosses = {2.29225397, 2.29075766, 2.28935385, 2.26504326, 2.27795911, 2.25092411, 2.2416923, 2.20584846,
                2.17951083, 2.17618275, 2.15779781, 2.13252211, 2.15930319, 2.06834245, 2.04037237, 1.95015478, 1.94291127,
                1.93744421, 1.87389195, 1.85525358, 1.92475545, 1.73507476, 1.71900284, 1.6066165};
        int torchCorrect = 101;
        Classifier classifier = new Classifier();
        Map<String, Integer> fanIn = Map.of("input_layer", 784, "hidden_layer", 100, "output_layer", 50);
        Map<String, Tensor> state = new HashMap<>();
        int j = 0;
        for (var e : classifier.namedParameters().entrySet()) {
            state.put(e.getKey(), formula(e.getValue().shape().toArray(), fanIn.get(e.getKey().split("\\.")[0]), j++));
        }
        classifier.loadStateDict(state, true);
        Run run = train(classifier);
        assertThat(run.losses()).hasSize(torchLosses.length);
        for (int i = 0; i < torchLosses.length; i++) {
            // float32 rounding differs (GEMM order); observed agreement is 2e-7 relative after 24 steps
            assertThat((double) run.losses().get(i)).as("loss %d", i).isCloseTo(torchLosses[i], within(2e-5 * torchLosses[i]));
        }
        assertThat(run.correct()).as("test digits classified correctly (a near-tie may flip one)").isCloseTo(torchCorrect, within(1));
    }
}
