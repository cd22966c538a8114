package dev.antorcha.nn;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import dev.antorcha.Antorcha;
import dev.antorcha.autograd.GradCheck;
import dev.antorcha.nn.functional.F;
import dev.antorcha.tensor.Generator;
import dev.antorcha.tensor.Tensor;
import java.util.function.Function;
import org.junit.jupiter.api.Test;

/** BCELoss, SmoothL1Loss, weighted NLLLoss and BCEWithLogitsLoss' weights: hand-computed values and gradients. */
class LossesCnnTest {

    private static Tensor d(double... v) {
        return Antorcha.tensor(v);
    }

    private static void assertDoubles(Tensor t, double... expected) {
        double[] got = t.toDoubleArray();
        assertThat(got).hasSize(expected.length);
        for (int i = 0; i < got.length; i++) assertThat(got[i]).as("element %d", i).isCloseTo(expected[i], within(1e-9 * Math.max(1, Math.abs(expected[i]))));
    }

    private static void gradOk(Function<Tensor[], Tensor> f, Tensor... in) {
        GradCheck.Result r = GradCheck.check(f, in);
        assertThat(r.passed()).as(r.message()).isTrue();
    }

    /** Probabilities strictly inside (0, 1), away from the clamp, in float64. */
    private static Tensor probabilities(int seed, int... shape) {
        return Antorcha.rand(new Generator(seed), shape).toDouble().mul(0.8).add(0.1).detach();
    }

    @Test
    void bceClampsEachLogAtMinus100() {
        Tensor x = d(0.5, 0.9, 1.0, 0.0).requiresGrad(true);
        Tensor t = d(1, 0, 1, 1);
        Tensor perElement = F.binaryCrossEntropy(x, t, null, Reduction.NONE);
        assertDoubles(perElement, Math.log(2), -Math.log(1 - 0.9), 0, 100);   // x = 1, t = 1 costs 0, not NaN
        Tensor sum = new BCELoss(null, Reduction.SUM).forward(x, t);
        assertThat(sum.doubleItem()).isCloseTo(Math.log(2) - Math.log(1 - 0.9) + 100, within(1e-12));
        sum.backward();
        // w (x - t) / max(x (1 - x), 1e-12): PyTorch's gradient, finite at x = 1 and x = 0
        assertDoubles(x.grad(), -2, 0.9 / (0.9 * (1 - 0.9)), 0, -1e12);
    }

    @Test
    void bceWeightBroadcastsAndTheMeanCountsElements() {
        Tensor x = Antorcha.tensor(new double[] {0.5, 0.25, 0.5, 0.75}, 2, 2).requiresGrad(true);
        Tensor t = Antorcha.tensor(new double[] {1, 0, 0, 1}, 2, 2);
        Tensor w = d(2, 4);
        Tensor loss = F.binaryCrossEntropy(x, t, w, Reduction.MEAN);
        double expected = (2 * Math.log(2) - 4 * Math.log(0.75) + 2 * Math.log(2) - 4 * Math.log(0.75)) / 4;   // / numel, not / sum(w)
        assertThat(loss.doubleItem()).isCloseTo(expected, within(1e-12));
        loss.backward();
        assertDoubles(x.grad(), 2 * -0.5 / 0.25 / 4, 4 * 0.25 / 0.1875 / 4, 2 * 0.5 / 0.25 / 4, 4 * -0.25 / 0.1875 / 4);
        assertThat(F.binaryCrossEntropy(x.toFloat(), t.toFloat()).item()).isCloseTo(
                (float) ((Math.log(2) - Math.log(0.75) + Math.log(2) - Math.log(0.75)) / 4), within(1e-6f));
    }

    @Test
    void bceGradientsCheckInFloat64() {
        Tensor t = Antorcha.rand(new Generator(3), 3, 4).toDouble().detach();
        gradOk(in -> F.binaryCrossEntropy(in[0], t, null, Reduction.NONE), probabilities(1, 3, 4));
        Tensor w = Antorcha.rand(new Generator(4), 4).toDouble().detach();
        gradOk(in -> F.binaryCrossEntropy(in[0], in[1], w, Reduction.MEAN), probabilities(2, 3, 4), t.clone());
    }

    @Test
    void bceRefusesBadInput() {
        assertThatThrownBy(() -> F.binaryCrossEntropy(d(0.5, 1.5), d(1, 0)))
                .isExactlyInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("all elements of input should be between 0 and 1");
        assertThatThrownBy(() -> F.binaryCrossEntropy(Antorcha.zeros(2, 1).toDouble(), d(1, 0)))
                .hasMessage("Using a target size ([2]) that is different to the input size ([2, 1]) is deprecated. "
                        + "Please ensure they have the same size.");
        assertThatThrownBy(() -> F.binaryCrossEntropy(d(0.5, 0.5), d(1, 0).toFloat()))
                .hasMessageStartingWith("expected scalar type Double but found Float");
        assertThatThrownBy(() -> F.binaryCrossEntropy(d(0.5, 0.5), d(1, 0), d(1, 2, 3), Reduction.MEAN))
                .hasMessageContaining("weight of shape [3] does not broadcast to the input's shape [2]");
    }

    @Test
    void smoothL1SwitchesAtBeta() {
        Tensor x = d(0, 0.5, 2, -3).requiresGrad(true);
        Tensor t = d(0, 0, 0, 0);
        Tensor loss = new SmoothL1Loss().forward(x, t);   // beta 1, mean
        assertThat(loss.doubleItem()).isCloseTo((0 + 0.125 + 1.5 + 2.5) / 4, within(1e-12));
        loss.backward();
        assertDoubles(x.grad(), 0, 0.5 / 4, 1.0 / 4, -1.0 / 4);
        Tensor x2 = d(0, 0.5, 2, -3).requiresGrad(true);
        Tensor half = F.smoothL1Loss(x2, t, Reduction.SUM, 0.5);   // |d| = beta takes the linear branch: equal there
        assertThat(half.doubleItem()).isCloseTo(0 + 0.25 + 1.75 + 2.75, within(1e-12));
        half.backward();
        assertDoubles(x2.grad(), 0, 1, 1, -1);
        assertDoubles(F.smoothL1Loss(x, t, Reduction.NONE, 0), 0, 0.5, 2, 3);   // beta 0: the L1 loss
        assertThatThrownBy(() -> F.smoothL1Loss(x, t, Reduction.MEAN, -1))
                .hasMessageStartingWith("smooth_l1_loss does not support negative values for beta");
        assertThatThrownBy(() -> new SmoothL1Loss(Reduction.MEAN, -0.5))
                .hasMessageStartingWith("smooth_l1_loss does not support negative values for beta");
        Tensor a = Antorcha.randn(new Generator(5), 3, 4).toDouble().mul(2).detach();
        Tensor b = Antorcha.randn(new Generator(6), 3, 4).toDouble().detach();
        gradOk(in -> F.smoothL1Loss(in[0], in[1], Reduction.MEAN, 0.7), a, b);
    }

    @Test
    void weightedNllDividesByTheSumOfWeights() {
        Tensor lp = Antorcha.tensor(new double[] {-1, -2, -3, -0.5, -1.5, -2.5, -3, -2, -1}, 3, 3).requiresGrad(true);
        Tensor target = Antorcha.tensor(new long[] {0, 2, 1});
        Tensor w = d(1, 2, 3);
        Tensor mean = new NLLLoss(w, Reduction.MEAN, -100).forward(lp, target);
        assertThat(mean.doubleItem()).isCloseTo((1 * 1 + 3 * 2.5 + 2 * 2) / 6.0, within(1e-12));
        mean.backward();
        assertDoubles(lp.grad(), -1 / 6.0, 0, 0, 0, 0, -3 / 6.0, 0, -2 / 6.0, 0);
        assertThat(F.nllLoss(lp, target, w, Reduction.SUM, -100).doubleItem()).isCloseTo(12.5, within(1e-12));
        // ignored rows count neither in the sum nor in the weights
        assertThat(F.nllLoss(lp, target, w, Reduction.MEAN, 2).doubleItem()).isCloseTo(5 / 3.0, within(1e-12));
        assertDoubles(F.nllLoss(lp, target, w, Reduction.NONE, -100), 1, 7.5, 4);
        assertThatThrownBy(() -> F.nllLoss(lp, target, d(1, 2), Reduction.MEAN, -100))
                .hasMessage("weight tensor should be defined either for all 3 classes or no classes but got weight "
                        + "tensor of shape: [2]");
        Tensor logits = Antorcha.randn(new Generator(7), 5, 4).toDouble().detach();
        Tensor t5 = Antorcha.tensor(new long[] {3, 0, 1, 3, 2});
        Tensor w4 = d(0.5, 2, 1, 3);
        gradOk(in -> F.nllLoss(F.logSoftmax(in[0], 1), t5, w4, Reduction.MEAN, 0), logits);
    }

    @Test
    void bceWithLogitsPosWeightAndWeight() {
        Tensor x = d(0, 100, -100).requiresGrad(true);
        Tensor t = d(1, 0, 1);
        Tensor pw = d(2, 2, 2);
        Tensor loss = new BCEWithLogitsLoss(null, Reduction.SUM, pw).forward(x, t);
        assertThat(loss.doubleItem()).isCloseTo(2 * Math.log(2) + 100 + 200, within(1e-9));
        loss.backward();
        assertDoubles(x.grad(), -1, 1, -2);   // (pw t + 1 - t) sigmoid(x) - pw t
        Tensor weighted = F.binaryCrossEntropyWithLogits(x, t, d(3, 1, 0), Reduction.NONE, pw);
        assertDoubles(weighted, 3 * 2 * Math.log(2), 100, 0);
        Tensor logits = Antorcha.randn(new Generator(8), 3, 4).toDouble().mul(3).detach();
        Tensor soft = Antorcha.rand(new Generator(9), 3, 4).toDouble().detach();
        Tensor pos = d(0.5, 1, 2, 4);
        gradOk(in -> F.binaryCrossEntropyWithLogits(in[0], soft, pos, Reduction.MEAN, pos), logits);
    }
}
