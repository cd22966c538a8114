package dev.antorcha.nn;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import dev.antorcha.Antorcha;
import dev.antorcha.autograd.NoGrad;
import dev.antorcha.nn.functional.F;
import dev.antorcha.tensor.DType;
import dev.antorcha.tensor.Tensor;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * BatchNorm1d / BatchNorm2d against hand-computed statistics: the biased variance normalises, the
 * unbiased one enters running_var; momentum and its cumulative form; train/eval through nested
 * modules; the buffers in the state dict under PyTorch's names, loaded and converted like PyTorch's.
 */
class BatchNormTest {
    private static final double EPS = 1e-5;

    private static void assertValues(Tensor t, double tol, double... expected) {
        double[] v = t.toDoubleArray();
        assertThat(v).hasSize(expected.length);
        for (int i = 0; i < v.length; i++) assertThat(v[i]).as("element " + i + " of " + t).isCloseTo(expected[i], within(tol));
    }

    private static Tensor column(float... v) {
        return Antorcha.tensor(v, v.length, 1);
    }

    @Test
    void trainingNormalisesWithTheBiasedVarianceAndTracksTheUnbiasedOne() {
        BatchNorm1d bn = new BatchNorm1d(1);
        Tensor y = bn.forward(column(1, 2, 3, 4));   // mean 2.5, biased var 1.25, unbiased 5/3
        double s = Math.sqrt(1.25 + EPS);
        assertValues(y, 1e-6, -1.5 / s, -0.5 / s, 0.5 / s, 1.5 / s);
        assertValues(bn.runningMean(), 1e-7, 0.1 * 2.5);
        assertValues(bn.runningVar(), 1e-6, 0.9 + 0.1 * 5 / 3.0);
        assertThat(bn.numBatchesTracked().toLongArray()).containsExactly(1);
    }

    @Test
    void evalUsesTheRunningStatisticsAndChangesNothing() {
        BatchNorm1d bn = new BatchNorm1d(1);
        try (NoGrad _ = NoGrad.enter()) {
            bn.runningMean().fill_(1);
            bn.runningVar().fill_(4);
            bn.weight.fill_(2);
            bn.bias.fill_(0.5);
        }
        bn.eval();
        Tensor y = bn.forward(column(1, 3, -1));
        double s = Math.sqrt(4 + EPS);
        assertValues(y, 1e-6, 0.5, 2 * 2 / s + 0.5, -2 * 2 / s + 0.5);
        assertValues(bn.runningMean(), 0, 1);
        assertValues(bn.runningVar(), 0, 4);
        assertThat(bn.numBatchesTracked().toLongArray()).containsExactly(0);
    }

    @Test
    void momentumNullIsACumulativeAverage() {
        BatchNorm1d bn = new BatchNorm1d(1, EPS, null, true, true);
        bn.forward(column(1, 2, 3, 4));   // factor 1: the running stats become the batch's
        assertValues(bn.runningMean(), 1e-6, 2.5);
        bn.forward(column(5, 6, 7, 8));   // factor 1/2
        assertValues(bn.runningMean(), 1e-6, 4.5);
        assertValues(bn.runningVar(), 1e-6, 5 / 3.0);
        assertThat(bn.numBatchesTracked().toLongArray()).containsExactly(2);
    }

    @Test
    void aLargeChannelOffsetDoesNotSpoilTheVariance() {
        // float32 x^2 ~ 1e6 has an ulp of 0.06: a one-pass E[x^2] - E[x]^2 would lose this 0.3125
        Tensor x = Antorcha.tensor(new float[] {1000, 1000.5f, 1001, 1001.5f, 1000, 1000.5f, 1001, 1001.5f}, 2, 1, 2, 2);
        BatchNorm2d bn = new BatchNorm2d(1);
        double s = Math.sqrt(0.3125 + EPS);
        assertValues(bn.forward(x), 1e-5, -0.75 / s, -0.25 / s, 0.25 / s, 0.75 / s, -0.75 / s, -0.25 / s, 0.25 / s, 0.75 / s);
        assertValues(bn.runningVar(), 1e-6, 0.9 + 0.1 * 0.3125 * 8 / 7);
    }

    @Test
    void trainAndEvalReachNestedChildren() {
        BatchNorm2d bn = new BatchNorm2d(2);
        Module net = new Sequential(new Sequential(new Linear(2, 2), bn), new Dropout2d());
        net.eval();
        assertThat(bn.isTraining()).isFalse();
        assertThat(net.children().get(1).isTraining()).isFalse();
        net.train();
        assertThat(bn.isTraining()).isTrue();
    }

    @Test
    void stateDictHoldsTheBuffersUnderPyTorchsNames() {
        Module net = new Sequential(new Linear(2, 3), new BatchNorm1d(3));
        Map<String, Tensor> sd = net.stateDict();
        assertThat(sd.keySet()).containsExactly("0.weight", "0.bias", "1.weight", "1.bias", "1.running_mean", "1.running_var",
                "1.num_batches_tracked");
        Tensor nbt = sd.get("1.num_batches_tracked");
        assertThat(nbt.dtype()).isEqualTo(DType.INT64);
        assertThat(nbt.dim()).isZero();
        assertThat(net.namedParameters().keySet()).containsExactly("0.weight", "0.bias", "1.weight", "1.bias");

        assertThat(new BatchNorm2d(3, EPS, 0.1, false, true).stateDict().keySet())
                .containsExactly("running_mean", "running_var", "num_batches_tracked");
        assertThat(new BatchNorm2d(3, EPS, 0.1, true, false).stateDict().keySet()).containsExactly("weight", "bias");
    }

    @Test
    void loadStateDictLoadsTheBuffers() {
        BatchNorm1d trained = new BatchNorm1d(2);
        trained.forward(Antorcha.tensor(new float[] {1, 5, 2, 7, 4, 6}, 3, 2));
        BatchNorm1d fresh = new BatchNorm1d(2);
        fresh.loadStateDict(trained.stateDict(), true);
        assertThat(fresh.runningMean().toFloatArray()).containsExactly(trained.runningMean().toFloatArray());
        assertThat(fresh.runningVar().toFloatArray()).containsExactly(trained.runningVar().toFloatArray());
        assertThat(fresh.numBatchesTracked().toLongArray()).containsExactly(1);
    }

    @Test
    void toDoubleConvertsFloatBuffersButNotTheBatchCount() {
        BatchNorm2d bn = new BatchNorm2d(2);
        bn.toDouble();
        assertThat(bn.runningMean().dtype()).isEqualTo(DType.FLOAT64);
        assertThat(bn.runningVar().dtype()).isEqualTo(DType.FLOAT64);
        assertThat(bn.weight.dtype()).isEqualTo(DType.FLOAT64);
        assertThat(bn.numBatchesTracked().dtype()).isEqualTo(DType.INT64);
        Tensor y = bn.forward(Antorcha.randn(2, 2, 3, 3).to(DType.FLOAT64));
        assertThat(y.dtype()).isEqualTo(DType.FLOAT64);
    }

    @Test
    void withoutRunningStatsEvalNormalisesWithTheBatch() {
        BatchNorm1d bn = new BatchNorm1d(1, EPS, 0.1, false, false);
        bn.eval();
        double s = Math.sqrt(1.25 + EPS);
        assertValues(bn.forward(column(1, 2, 3, 4)), 1e-6, -1.5 / s, -0.5 / s, 0.5 / s, 1.5 / s);
    }

    @Test
    void badInputsGetPyTorchsMessages() {
        assertThatThrownBy(() -> new BatchNorm2d(3).forward(Antorcha.randn(3, 4, 4)))
                .hasMessageContaining("expected 4D input (got 3D input)");
        assertThatThrownBy(() -> new BatchNorm1d(3).forward(Antorcha.randn(2, 3, 4, 4)))
                .hasMessageContaining("expected 2D or 3D input (got 4D input)");
        assertThatThrownBy(() -> new BatchNorm1d(3).forward(Antorcha.randn(1, 3)))
                .hasMessageContaining("Expected more than 1 value per channel when training, got input size [1, 3]");
        assertThatThrownBy(() -> F.batchNorm(Antorcha.randn(2, 3), Antorcha.zeros(5), Antorcha.ones(3), null, null, true, 0.1, EPS))
                .hasMessageContaining("running_mean should contain 3 elements not 5");
        assertThatThrownBy(() -> F.batchNorm(Antorcha.randn(2, 3), null, null, null, null, false, 0.1, EPS))
                .hasMessageContaining("running_mean must be defined in evaluation mode");
    }

    @Test
    void printsAsPyTorch() {
        assertThat(new BatchNorm2d(3)).hasToString("BatchNorm2d(3, eps=1e-05, momentum=0.1, affine=True, track_running_stats=True)");
        assertThat(new BatchNorm1d(4, 0.001, null, false, false))
                .hasToString("BatchNorm1d(4, eps=0.001, momentum=None, affine=False, track_running_stats=False)");
    }
}
