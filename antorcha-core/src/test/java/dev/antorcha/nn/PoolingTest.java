package dev.antorcha.nn;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import dev.antorcha.Antorcha;
import dev.antorcha.nn.functional.F;
import dev.antorcha.ops.PoolOps;
import dev.antorcha.tensor.DType;
import dev.antorcha.tensor.Generator;
import dev.antorcha.tensor.Tensor;
import dev.antorcha.tensor.ValuesIndices;
import org.junit.jupiter.api.Test;

/**
 * Pooling, channel dropout and Unflatten against hand-computed values: max pooling's indices,
 * its tie rule (the first maximum wins the whole gradient), padding that never wins, ceil mode's
 * dropped window; average pooling's divisors; adaptive windows; printed forms and messages.
 */
class PoolingTest {
    private static final int[] ONE = {1};

    private static void assertValues(Tensor t, int[] shape, double... expected) {
        assertThat(t.shape().toArray()).containsExactly(shape);
        double[] v = t.toDoubleArray();
        assertThat(v).hasSize(expected.length);
        for (int i = 0; i < v.length; i++) assertThat(v[i]).as("element " + i + " of " + t).isCloseTo(expected[i], within(1e-6));
    }

    private static Tensor grid(float... v) {
        int side = (int) Math.round(Math.sqrt(v.length));
        return Antorcha.tensor(v, 1, 1, side, side).requiresGrad(true);
    }

    @Test
    void maxPoolPicksEachWindowsMaximumAndRoutesTheGradientToIt() {
        Tensor x = grid(1, 5, 2, 0,
                3, 4, 8, 7,
                -1, -2, -3, -4,
                -5, 9, -6, -7);
        ValuesIndices r = F.maxPool2dWithIndices(x, new int[] {2}, null, new int[] {0}, ONE, false);
        assertValues(r.values(), new int[] {1, 1, 2, 2}, 5, 8, 9, -3);
        assertThat(r.indices().dtype()).isEqualTo(DType.INT64);
        assertThat(r.indices().toLongArray()).containsExactly(1, 6, 13, 10);
        r.values().backward(Antorcha.tensor(new float[] {1, 2, 3, 4}, 1, 1, 2, 2));
        assertValues(x.grad(), new int[] {1, 1, 4, 4}, 0, 1, 0, 0, 0, 0, 2, 0, 0, 0, 4, 0, 0, 3, 0, 0);
        // F.maxPool2d(x, 2) is the same op: the stride defaults to the kernel size
        assertThat(F.maxPool2d(x, 2).toFloatArray()).containsExactly(5, 8, 9, -3);
    }

    @Test
    void tiesGoToTheFirstMaximumInRowMajorOrderWithoutSplitting() {
        Tensor x = Antorcha.zeros(1, 1, 3, 3).requiresGrad(true);
        ValuesIndices r = F.maxPool2dWithIndices(x, new int[] {2}, new int[] {1}, new int[] {0}, ONE, false);
        assertThat(r.indices().toLongArray()).containsExactly(0, 1, 3, 4);
        r.values().sum().backward();
        assertValues(x.grad(), new int[] {1, 1, 3, 3}, 1, 1, 0, 1, 1, 0, 0, 0, 0);

        // overlapping windows that all pick the centre accumulate into it
        Tensor peak = grid(0, 0, 0, 0, 1, 0, 0, 0, 0);
        F.maxPool2d(peak, new int[] {2}, new int[] {1}, new int[] {0}, ONE, false).sum().backward();
        assertValues(peak.grad(), new int[] {1, 1, 3, 3}, 0, 0, 0, 0, 4, 0, 0, 0, 0);
    }

    @Test
    void paddingNeverWinsAMaxPool() {
        Tensor x = Antorcha.full(-1, 1, 1, 2, 2);
        ValuesIndices r = F.maxPool2dWithIndices(x, new int[] {2}, new int[] {2}, new int[] {1}, ONE, false);
        assertValues(r.values(), new int[] {1, 1, 2, 2}, -1, -1, -1, -1);
        assertThat(r.indices().toLongArray()).containsExactly(0, 1, 2, 3);
    }

    @Test
    void ceilModeAddsAPartialWindowButDropsOneStartingInThePadding() {
        Tensor x = Antorcha.randn(1, 1, 7, 7);
        // rows: ceil adds a window on row 6; columns: the 5th window would start at column 7, in the padding
        assertThat(F.maxPool2d(x, new int[] {2}, new int[] {2}, new int[] {0, 1}, ONE, true).shape().toArray())
                .containsExactly(1, 1, 4, 4);
        assertThat(F.maxPool2d(x, new int[] {2}, new int[] {2}, new int[] {0, 1}, ONE, false).shape().toArray())
                .containsExactly(1, 1, 3, 4);
        assertThat(PoolOps.outputSize(5, 2, 1, 2, 1, true)).isEqualTo(3);   // ceil gives 4, its last window starts at 6 >= 5 + 1
        assertThat(PoolOps.outputSize(6, 2, 1, 2, 1, true)).isEqualTo(4);
        assertThat(PoolOps.outputSize(24, 2, 0, 2, 1, false)).isEqualTo(12);
        assertThat(PoolOps.outputSize(7, 3, 0, 1, 2, false)).isEqualTo(3);   // dilation 2: effective kernel 5
    }

    @Test
    void avgPoolDivisorsCountPaddingOrNotOrAreOverridden() {
        Tensor x = Antorcha.ones(1, 1, 3, 3).requiresGrad(true);
        int[] k = {3}, s = {1}, p = {1};
        Tensor incl = F.avgPool2d(x, k, s, p, false, true, null);
        assertValues(incl, new int[] {1, 1, 3, 3}, 4 / 9.0, 6 / 9.0, 4 / 9.0, 6 / 9.0, 1, 6 / 9.0, 4 / 9.0, 6 / 9.0, 4 / 9.0);
        assertValues(F.avgPool2d(x, k, s, p, false, false, null), new int[] {1, 1, 3, 3}, 1, 1, 1, 1, 1, 1, 1, 1, 1);
        assertValues(F.avgPool2d(x, k, s, p, false, true, 2), new int[] {1, 1, 3, 3}, 2, 3, 2, 3, 4.5, 3, 2, 3, 2);
        incl.sum().backward();
        // each element receives 1/9 from every window that contains it
        assertValues(x.grad(), new int[] {1, 1, 3, 3}, 4 / 9.0, 6 / 9.0, 4 / 9.0, 6 / 9.0, 1, 6 / 9.0, 4 / 9.0, 6 / 9.0, 4 / 9.0);
        assertValues(F.avgPool2d(Antorcha.arange(16).to(DType.FLOAT32).reshape(1, 4, 4), 2), new int[] {1, 2, 2}, 2.5, 4.5, 10.5, 12.5);
    }

    @Test
    void adaptiveAvgPoolUsesFloorAndCeilWindows() {
        Tensor x = Antorcha.arange(25).to(DType.FLOAT32).reshape(1, 1, 5, 5).detach().requiresGrad(true);
        // 5 -> 3: rows and columns [0,2), [1,4), [3,5)
        Tensor y = F.adaptiveAvgPool2d(x, 3);
        assertValues(y, new int[] {1, 1, 3, 3}, 3, 4.5, 6, 10.5, 12, 13.5, 18, 19.5, 21);
        assertValues(new AdaptiveAvgPool2d(1).forward(x), new int[] {1, 1, 1, 1}, 12);
        y.sum().backward();
        // element (0,0) is only in cell (0,0) of 4 elements; element (1,1) in cells (0..1, 0..1): 1/4 + 1/6 + 1/6 + 1/9
        assertThat(x.grad().toDoubleArray()[0]).isCloseTo(0.25, within(1e-6));
        assertThat(x.grad().toDoubleArray()[6]).isCloseTo(0.25 + 1 / 6.0 + 1 / 6.0 + 1 / 9.0, within(1e-6));
    }

    @Test
    void float32AndFloat64AgreeAndTheResultsDoNotDependOnTheThreadCount() {
        Antorcha.manualSeed(11);
        Tensor x = Antorcha.randn(8, 16, 24, 24);
        Tensor g = Antorcha.randn(8, 16, 12, 12);
        float[][] byThreads = new float[2][];
        int threads = x.backend().numThreads();
        try {
            for (int t = 1; t <= 2; t++) {
                x.backend().setNumThreads(t);
                Tensor leaf = x.detach().requiresGrad(true);
                F.maxPool2d(leaf, 2).backward(g);
                byThreads[t - 1] = leaf.grad().toFloatArray();
            }
        } finally {
            x.backend().setNumThreads(threads);
        }
        assertThat(byThreads[1]).containsExactly(byThreads[0]);
        double[] f32 = F.avgPool2d(x, new int[] {3}, new int[] {2}, new int[] {1}).toDoubleArray();
        double[] f64 = F.avgPool2d(x.to(DType.FLOAT64), new int[] {3}, new int[] {2}, new int[] {1}).toDoubleArray();
        for (int i = 0; i < f32.length; i++) assertThat(f32[i]).isCloseTo(f64[i], within(1e-5));
        assertThat(F.maxPool2d(x.to(DType.FLOAT64), 2).to(DType.FLOAT32).toFloatArray())
                .containsExactly(F.maxPool2d(x, 2).toFloatArray());
    }

    @Test
    void badArgumentsGetPyTorchsMessages() {
        Tensor x = Antorcha.randn(1, 2, 4, 4);
        assertThatThrownBy(() -> F.maxPool2d(Antorcha.randn(4, 4), 2))
                .hasMessageContaining("Expected 3D or 4D (batch mode) tensor with optional 0 dim batch size for input, but got: [4, 4]");
        assertThatThrownBy(() -> F.maxPool2d(x, 0)).hasMessageContaining("kernel size should be greater than zero, but got kH: 0 kW: 0");
        assertThatThrownBy(() -> F.maxPool2d(x, new int[] {2}, null, new int[] {2}, ONE, false))
                .hasMessageContaining("pad should be smaller than or equal to half of kernel size, but got padW = 2, padH = 2, kW = 2, kH = 2");
        assertThatThrownBy(() -> F.maxPool2d(Antorcha.randn(1, 1, 2, 2), 3))
                .hasMessageContaining("Given input size: (1x2x2). Calculated output size: (1x0x0). Output size is too small");
        assertThatThrownBy(() -> F.maxPool2d(x, new int[] {2, 2, 2}, null, new int[] {0}, ONE, false))
                .hasMessageContaining("max_pool2d: kernel_size must either be a single int, or a tuple of two ints");
        assertThatThrownBy(() -> F.maxPool2d(Antorcha.zeros(DType.INT64, 1, 1, 4, 4), 2))
                .hasMessageContaining("\"max_pool2d\" not implemented for 'Long'");
        assertThatThrownBy(() -> F.avgPool2d(x, new int[] {2}, null, new int[] {0}, false, true, 0))
                .hasMessageContaining("divisor must be not zero");
        assertThatThrownBy(() -> F.adaptiveAvgPool2d(Antorcha.randn(4, 4), 2))
                .hasMessageContaining("adaptive_avg_pool2d(): Expected 3D or 4D tensor, but got [4, 4]");
        assertThatThrownBy(() -> F.maxPool2d(null, 2)).isInstanceOf(NullPointerException.class)
                .hasMessageContaining("maxPool2d(): argument 'input' must be a Tensor, not null");
    }

    @Test
    void modulesPrintAsPyTorch() {
        assertThat(new MaxPool2d(2)).hasToString("MaxPool2d(kernel_size=2, stride=2, padding=0, dilation=1, ceil_mode=False)");
        assertThat(new MaxPool2d(new int[] {3, 2}, new int[] {2, 1}, new int[] {1, 0}, ONE, true, true))
                .hasToString("MaxPool2d(kernel_size=(3, 2), stride=(2, 1), padding=(1, 0), dilation=1, ceil_mode=True)");
        assertThat(new AvgPool2d(2)).hasToString("AvgPool2d(kernel_size=2, stride=2, padding=0)");
        assertThat(new AdaptiveAvgPool2d(1, 1)).hasToString("AdaptiveAvgPool2d(output_size=(1, 1))");
        assertThat(new Dropout2d(0.25)).hasToString("Dropout2d(p=0.25, inplace=False)");
        assertThat(new Unflatten(1, 2, 5)).hasToString("Unflatten(dim=1, unflattened_size=(2, 5))");
        assertThat(new Flatten()).hasToString("Flatten(start_dim=1, end_dim=-1)");
    }

    @Test
    void maxPoolModuleGivesIndicesOnRequest() {
        MaxPool2d pool = new MaxPool2d(new int[] {2}, null, new int[] {0}, ONE, true, false);
        Tensor x = Antorcha.tensor(new float[] {0, 3, 2, 1}, 1, 2, 2);
        ValuesIndices r = pool.forwardWithIndices(x);
        assertThat(r.values().toFloatArray()).containsExactly(3);
        assertThat(r.indices().toLongArray()).containsExactly(1);
        assertThat(pool.forward(x).shape().toArray()).containsExactly(1, 1, 1);
    }

    @Test
    void dropout2dZeroesWholeChannelsAndScalesTheRest() {
        Tensor x = Antorcha.ones(4, 32, 3, 3);
        Tensor y = F.dropout2d(x, 0.5, true, new Generator(5));
        float[] v = y.toFloatArray();
        int zeroed = 0;
        for (int ch = 0; ch < 4 * 32; ch++) {
            float first = v[ch * 9];
            assertThat(first).isIn(0f, 2f);
            for (int i = 1; i < 9; i++) assertThat(v[ch * 9 + i]).as("channel %d is one value", ch).isEqualTo(first);
            if (first == 0) zeroed++;
        }
        assertThat(zeroed).isBetween(30, 98);   // 128 channels, p 0.5: far outside this range has odds < 1e-7
        Dropout2d layer = new Dropout2d(0.5);
        layer.eval();
        assertThat(layer.forward(x)).isSameAs(x);
        assertThatThrownBy(() -> new Dropout2d(1.5)).hasMessageContaining("dropout probability has to be between 0 and 1, but got 1.5");
    }

    @Test
    void unflattenSplitsOneDimension() {
        Tensor x = Antorcha.arange(24).to(DType.FLOAT32).reshape(2, 12);
        Tensor y = new Unflatten(1, 3, -1).forward(x);
        assertThat(y.shape().toArray()).containsExactly(2, 3, 4);
        assertThat(y.toFloatArray()).containsExactly(x.toFloatArray());
        assertThat(new Flatten().forward(y).shape().toArray()).containsExactly(2, 12);
        assertThatThrownBy(() -> new Unflatten(1, 5, 2).forward(x))
                .hasMessageContaining("unflatten: Provided sizes [5, 2] don't multiply up to the size of dim 1 (12)");
    }

    /**
     * {@code max_pool2d(relu(x))} sends its gradient straight to relu's input (the pooled gradient
     * masked by the pooled values, then scattered): the same bits as the pool's backward followed by
     * relu's, which the pool with its indices kept still takes. Half the inputs are negative, so
     * whole windows are zeros after the ReLU (ties at 0), and one NaN passes as ReLU's backward lets it.
     */
    @Test
    void maxPoolOfReluGivesTheUnfusedGradientBitForBit() {
        Antorcha.manualSeed(11);
        float[] values = Antorcha.randn(2, 3, 8, 10).toFloatArray();
        values[17] = Float.NaN;
        Tensor data = Antorcha.tensor(values, 2, 3, 8, 10);
        Tensor weights = Antorcha.randn(2, 3, 4, 5);
        Tensor x = data.clone().requiresGrad(true);
        Tensor fused = F.maxPool2d(F.relu(x), 2);
        assertThat(fused.gradFn().name()).isEqualTo("MaxPool2DReluBackward");
        fused.mul(weights).sum().backward();
        Tensor y = data.clone().requiresGrad(true);
        ValuesIndices unfused = F.maxPool2dWithIndices(F.relu(y), new int[] {2}, null, new int[] {0}, new int[] {1}, false);
        assertThat(unfused.values().gradFn().name()).isEqualTo("MaxPool2DWithIndicesBackward0");
        unfused.values().mul(weights).sum().backward();
        assertThat(fused.toFloatArray()).containsExactly(unfused.values().toFloatArray());
        float[] a = x.grad().toFloatArray(), b = y.grad().toFloatArray();
        for (int i = 0; i < a.length; i++) {
            assertThat(Float.floatToRawIntBits(a[i])).as("dx[%d]: %s against %s", i, a[i], b[i])
                    .isEqualTo(Float.floatToRawIntBits(b[i]));
        }
        assertThat(a).contains(0f).doesNotContain(Float.NaN);
    }
}
