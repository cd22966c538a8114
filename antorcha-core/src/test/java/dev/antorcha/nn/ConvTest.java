package dev.antorcha.nn;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import dev.antorcha.Antorcha;
import dev.antorcha.nn.functional.F;
import dev.antorcha.tensor.Tensor;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Convolution layers and functions against hand-computed values, PyTorch's argument checks and
 * messages, the layers' parameters, initialisation and printed form.
 */
class ConvTest {
    /** x = 1..9 as [1, 1, 3, 3]. */
    private static Tensor nine() {
        return Antorcha.tensor(new float[] {1, 2, 3, 4, 5, 6, 7, 8, 9}, 1, 1, 3, 3);
    }

    /** w = [[1, 2], [3, 4]] as [1, 1, 2, 2]. */
    private static Tensor w1234() {
        return Antorcha.tensor(new float[] {1, 2, 3, 4}, 1, 1, 2, 2);
    }

    private static void assertValues(Tensor t, int[] shape, double... expected) {
        assertThat(t.shape().toArray()).containsExactly(shape);
        double[] v = t.toDoubleArray();
        assertThat(v).hasSize(expected.length);
        for (int i = 0; i < v.length; i++) assertThat(v[i]).as("element " + i).isCloseTo(expected[i], within(1e-5));
    }

    @Test
    void conv2dIsCrossCorrelationWithBias() {
        // y[i][j] = Σ w[u][v]·x[i+u][j+v] + 0.5: 1+4+12+20 = 37, 2+6+15+24 = 47, 4+10+21+32 = 67, 77
        Tensor y = F.conv2d(nine(), w1234(), Antorcha.tensor(new float[] {0.5f}));
        assertValues(y, new int[] {1, 1, 2, 2}, 37.5, 47.5, 67.5, 77.5);
    }

    @Test
    void conv2dGradientsAreTheTapSums() {
        Tensor x = nine().requiresGrad(true), w = w1234().requiresGrad(true), b = Antorcha.tensor(new float[] {0}).requiresGrad(true);
        F.conv2d(x, w, b).sum().backward();
        // dx: the sum of the taps that read each input; dW: the sum of the inputs each tap reads
        assertValues(x.grad(), new int[] {1, 1, 3, 3}, 1, 3, 2, 4, 10, 6, 3, 7, 4);
        assertValues(w.grad(), new int[] {1, 1, 2, 2}, 12, 16, 24, 28);
        assertValues(b.grad(), new int[] {1}, 4);
    }

    @Test
    void strideAndZeroPadding() {
        // padding 1, stride 2: windows start at -1 and 1; only in-range taps count
        Tensor y = F.conv2d(nine(), w1234(), null, 2, 1);
        assertValues(y, new int[] {1, 1, 2, 2}, 4, 3 * 2 + 4 * 3, 2 * 4 + 4 * 7, 5 + 12 + 24 + 36);
    }

    @Test
    void samePaddingWithAnEvenKernelPadsTheBottomAndRight() {
        // total padding 1 per dim: 0 before, 1 after (PyTorch's rule)
        Tensor y = F.conv2d(nine(), w1234(), null, new int[] {1}, "same", new int[] {1}, 1);
        assertValues(y, new int[] {1, 1, 3, 3}, 37, 47, 3 + 18, 67, 77, 6 + 27, 7 + 16, 8 + 18, 9);
        Tensor valid = F.conv2d(nine(), w1234(), null, new int[] {1}, "valid", new int[] {1}, 1);
        assertValues(valid, new int[] {1, 1, 2, 2}, 37, 47, 67, 77);
    }

    @Test
    void groupsConvolveTheirOwnChannels() {
        Tensor x = Antorcha.tensor(new float[] {1, 10}, 1, 2, 1, 1), w = Antorcha.tensor(new float[] {2, 3}, 2, 1, 1, 1);
        assertValues(F.conv2d(x, w, null, new int[] {1}, new int[] {0}, new int[] {1}, 2), new int[] {1, 2, 1, 1}, 2, 30);
    }

    @Test
    void conv1dAndDilation() {
        Tensor x = Antorcha.tensor(new float[] {1, 2, 3, 4, 5}, 1, 1, 5), w = Antorcha.tensor(new float[] {1, 2, 3}, 1, 1, 3);
        assertValues(F.conv1d(x, w, null), new int[] {1, 1, 3}, 14, 20, 26);
        assertValues(F.conv1d(x, w, null, 1, 0, 2, 1), new int[] {1, 1, 1}, 1 + 6 + 15);
        // unbatched [C, L] → [Cout, Lo]
        assertValues(F.conv1d(x.reshape(1, 5), w, null), new int[] {1, 3}, 14, 20, 26);
    }

    @Test
    void convTranspose2dScattersEachInputOverTheKernel() {
        Tensor x = Antorcha.tensor(new float[] {1, 2, 3, 4}, 1, 1, 2, 2), ones = Antorcha.ones(1, 1, 2, 2);
        assertValues(F.convTranspose2d(x, ones, null, new int[] {2}, new int[] {0}, new int[] {0}, 1, new int[] {1}),
                new int[] {1, 1, 4, 4}, 1, 1, 2, 2, 1, 1, 2, 2, 3, 3, 4, 4, 3, 3, 4, 4);
        assertValues(F.convTranspose2d(x, ones, Antorcha.tensor(new float[] {1})), new int[] {1, 1, 3, 3},
                2, 4, 3, 5, 11, 7, 4, 8, 5);
        // output_padding adds a bottom row / right column that only the bias reaches
        Tensor y = F.convTranspose2d(x, ones, Antorcha.tensor(new float[] {-1}), new int[] {2}, new int[] {0},
                new int[] {1}, 1, new int[] {1});
        assertThat(y.shape().toArray()).containsExactly(1, 1, 5, 5);
        assertThat(y.toFloatArray()[24]).isEqualTo(-1f);
    }

    @Test
    void unbatchedInputGivesAnUnbatchedOutput() {
        Tensor w = Antorcha.randn(2, 3, 3, 3), x = Antorcha.randn(3, 5, 5);
        Tensor y = F.conv2d(x, w, null, 1, 1);
        assertThat(y.shape().toArray()).containsExactly(2, 5, 5);
        assertThat(y.toFloatArray()).containsExactly(F.conv2d(x.unsqueeze(0), w, null, 1, 1).toFloatArray());
    }

    @Test
    void argumentErrorsUsePyTorchsMessages() {
        assertThatThrownBy(() -> F.conv2d(Antorcha.zeros(64, 3, 28, 28), Antorcha.zeros(32, 1, 3, 3), null))
                .hasMessage("Given groups=1, weight of size [32, 1, 3, 3], expected input[64, 3, 28, 28] to have 1 channels, "
                        + "but got 3 channels instead");
        assertThatThrownBy(() -> F.conv2d(Antorcha.zeros(1, 1, 2, 2), Antorcha.zeros(1, 1, 3, 3), null))
                .hasMessage("Calculated padded input size per channel: (2 x 2). Kernel size: (3 x 3). "
                        + "Kernel size can't be greater than actual input size");
        assertThatThrownBy(() -> F.conv2d(Antorcha.zeros(1, 4, 5, 5), Antorcha.zeros(3, 2, 3, 3), null,
                new int[] {1}, new int[] {0}, new int[] {1}, 2))
                .hasMessage("Given groups=2, expected weight to be divisible by 2 at dimension 0, but got weight of size "
                        + "[3, 2, 3, 3] instead");
        assertThatThrownBy(() -> F.conv2d(Antorcha.zeros(1, 1, 5, 5), Antorcha.zeros(2, 1, 3, 3), Antorcha.zeros(3)))
                .hasMessage("Given weight of size [2, 1, 3, 3], expected bias to be 1-dimensional with 2 elements, but got "
                        + "bias of size [3] instead");
        assertThatThrownBy(() -> F.conv2d(Antorcha.zeros(1, 1, 5, 5), Antorcha.zeros(2, 1, 3, 3), null,
                new int[] {2}, "same", new int[] {1}, 1))
                .hasMessage("padding='same' is not supported for strided convolutions");
        assertThatThrownBy(() -> F.conv2d(Antorcha.zeros(1, 1, 5, 5), Antorcha.zeros(2, 1, 3, 3), null,
                new int[] {1}, "full", new int[] {1}, 1))
                .hasMessage("Invalid padding string: 'full'");
        assertThatThrownBy(() -> F.conv2d(Antorcha.zeros(5, 5), Antorcha.zeros(2, 1, 3, 3), null))
                .hasMessage("Expected 3D (unbatched) or 4D (batched) input to conv2d, but got input of size: [5, 5]");
        assertThatThrownBy(() -> F.conv1d(Antorcha.zeros(1, 2, 3, 4), Antorcha.zeros(2, 2, 3), null))
                .hasMessage("Expected 2D (unbatched) or 3D (batched) input to conv1d, but got input of size: [1, 2, 3, 4]");
        assertThatThrownBy(() -> F.conv2d(Antorcha.zeros(1, 1, 5, 5), Antorcha.zeros(2, 1, 3, 3), null, -1, 0))
                .hasMessage("non-positive stride is not supported");
        assertThatThrownBy(() -> F.conv2d(Antorcha.zeros(1, 1, 5, 5), Antorcha.zeros(2, 1, 3, 3), null, 1, -1))
                .hasMessage("negative padding is not supported");
        assertThatThrownBy(() -> F.convTranspose2d(Antorcha.zeros(1, 2, 3, 3), Antorcha.zeros(3, 2, 3, 3), null))
                .hasMessage("Given transposed=1, weight of size [3, 2, 3, 3], expected input[1, 2, 3, 3] to have 3 channels, "
                        + "but got 2 channels instead");
        assertThatThrownBy(() -> F.convTranspose2d(Antorcha.zeros(1, 2, 3, 3), Antorcha.zeros(2, 2, 3, 3), null,
                new int[] {2}, new int[] {0}, new int[] {2}, 1, new int[] {1}))
                .hasMessage("output padding must be smaller than either stride or dilation, but got output_padding_height: 2 "
                        + "output_padding_width: 2 stride_height: 2 stride_width: 2 dilation_height: 1 dilation_width: 1");
        assertThatThrownBy(() -> F.conv2d(Antorcha.zeros(1, 1, 5, 5), Antorcha.zeros(2, 1, 3, 3).to(dev.antorcha.tensor.DType.FLOAT64), null))
                .hasMessageStartingWith("expected scalar type Float but found Double");
        assertThatThrownBy(() -> F.conv2d(Antorcha.zeros(64, 1, 28, 28), Antorcha.zeros(32, 1, 3), null))
                .hasMessage("Expected 3-dimensional input for 3-dimensional weight [32, 1, 3], but got 4-dimensional input "
                        + "of size [64, 1, 28, 28] instead");
        assertThatThrownBy(() -> F.conv2d(Antorcha.zeros(1, 1, 5, 5), Antorcha.zeros(2, 1, 3, 3), null,
                new int[] {1, 1, 1}, new int[] {0}, new int[] {1}, 1))
                .hasMessage("expected stride to be a single integer value or a list of 2 values to match the convolution "
                        + "dimensions, but got stride=[1, 1, 1]");
        assertThatThrownBy(() -> F.conv2d(Antorcha.zeros(1, 2, 5, 5), Antorcha.zeros(1, 2, 3, 3), null,
                new int[] {1}, new int[] {0}, new int[] {1}, 2))
                .hasMessage("Given groups=2, expected weight to be at least 2 at dimension 0, but got weight of size "
                        + "[1, 2, 3, 3] instead");
    }

    @Test
    void conv2dLayerHasPyTorchsShapesNamesAndPrintedForm() {
        Conv2d conv1 = new Conv2d(1, 32, 3, 1);
        assertThat(conv1.namedParameters().keySet()).containsExactly("weight", "bias");
        assertThat(conv1.weight.shape().toArray()).containsExactly(32, 1, 3, 3);
        assertThat(conv1.bias.shape().toArray()).containsExactly(32);
        assertThat(conv1.toString()).isEqualTo("Conv2d(1, 32, kernel_size=(3, 3), stride=(1, 1))");
        assertThat(conv1.forward(Antorcha.zeros(64, 1, 28, 28)).shape().toArray()).containsExactly(64, 32, 26, 26);

        Conv2d other = new Conv2d(16, 32, new int[] {3, 5}, ConvOptions.defaults().padding("same").groups(2).bias(false)
                .dilation(2));
        assertThat(other.weight.shape().toArray()).containsExactly(32, 8, 3, 5);
        assertThat(other.bias).isNull();
        assertThat(other.namedParameters().keySet()).containsExactly("weight");
        assertThat(other.toString()).isEqualTo(
                "Conv2d(16, 32, kernel_size=(3, 5), stride=(1, 1), padding=same, dilation=(2, 2), groups=2, bias=False)");
        assertThat(other.forward(Antorcha.zeros(2, 16, 9, 10)).shape().toArray()).containsExactly(2, 32, 9, 10);
        assertThat(new Conv2d(3, 8, 3, ConvOptions.defaults().stride(2, 1).padding(1)).toString())
                .isEqualTo("Conv2d(3, 8, kernel_size=(3, 3), stride=(2, 1), padding=(1, 1))");
    }

    @Test
    void conv1dAndConvTranspose2dLayers() {
        Conv1d c1 = new Conv1d(3, 4, 3, 2);
        assertThat(c1.weight.shape().toArray()).containsExactly(4, 3, 3);
        assertThat(c1.toString()).isEqualTo("Conv1d(3, 4, kernel_size=(3,), stride=(2,))");
        assertThat(c1.forward(Antorcha.zeros(2, 3, 11)).shape().toArray()).containsExactly(2, 4, 5);

        ConvTranspose2d t = new ConvTranspose2d(3, 4, 3, ConvOptions.defaults().stride(2).padding(1).outputPadding(1).groups(1));
        assertThat(t.weight.shape().toArray()).containsExactly(3, 4, 3, 3);
        assertThat(t.toString()).isEqualTo(
                "ConvTranspose2d(3, 4, kernel_size=(3, 3), stride=(2, 2), padding=(1, 1), output_padding=(1, 1))");
        assertThat(t.forward(Antorcha.zeros(2, 3, 4, 5)).shape().toArray()).containsExactly(2, 4, 8, 10);
        assertThat(new ConvTranspose2d(4, 6, 3, ConvOptions.defaults().groups(2)).weight.shape().toArray())
                .containsExactly(4, 3, 3, 3);
    }

    @Test
    void layerForwardMatchesTheFunctionalForm() {
        Conv2d conv = new Conv2d(2, 3, 2, ConvOptions.defaults().stride(2).padding(1));
        Tensor w = Antorcha.randn(3, 2, 2, 2), b = Antorcha.randn(3);
        conv.loadStateDict(Map.of("weight", w, "bias", b), true);
        Tensor x = Antorcha.randn(2, 2, 5, 5);
        assertThat(conv.forward(x).toFloatArray()).containsExactly(F.conv2d(x, w, b, 2, 1).toFloatArray());
    }

    @Test
    void defaultInitIsKaimingUniformWithFanIn() {
        Antorcha.manualSeed(0);
        Conv2d conv = new Conv2d(32, 64, 3);   // fan_in 288: weight and bias in ±1/√288
        double bound = 1 / Math.sqrt(288);
        double maxW = 0, maxB = 0;
        for (float v : conv.weight.toFloatArray()) maxW = Math.max(maxW, Math.abs(v));
        for (float v : conv.bias.toFloatArray()) maxB = Math.max(maxB, Math.abs(v));
        assertThat(maxW).isLessThanOrEqualTo(bound).isGreaterThan(0.99 * bound);   // 18432 draws reach the edge
        assertThat(maxB).isLessThanOrEqualTo(bound).isGreaterThan(0.5 * bound);
        // the transposed layer's fan_in is weight.size(1)·k·k = (out/groups)·9
        ConvTranspose2d t = new ConvTranspose2d(64, 8, 3);
        double tb = 1 / Math.sqrt(8 * 9), maxT = 0;
        for (float v : t.weight.toFloatArray()) maxT = Math.max(maxT, Math.abs(v));
        assertThat(maxT).isLessThanOrEqualTo(tb).isGreaterThan(0.99 * tb);
    }

    @Test
    void layerArgumentErrors() {
        assertThatThrownBy(() -> new Conv2d(3, 4, 3, ConvOptions.defaults().groups(2)))
                .hasMessage("in_channels must be divisible by groups");
        assertThatThrownBy(() -> new Conv2d(4, 3, 3, ConvOptions.defaults().groups(2)))
                .hasMessage("out_channels must be divisible by groups");
        assertThatThrownBy(() -> new Conv2d(4, 4, 3, ConvOptions.defaults().groups(0)))
                .hasMessage("groups must be a positive integer");
        assertThatThrownBy(() -> new Conv2d(1, 1, 3, ConvOptions.defaults().padding("full")))
                .hasMessage("Invalid padding string 'full', should be one of {'valid', 'same'}");
        assertThatThrownBy(() -> new Conv2d(1, 1, 3, ConvOptions.defaults().padding("same").stride(2)))
                .hasMessage("padding='same' is not supported for strided convolutions");
        assertThatThrownBy(() -> new Conv2d(1, 1, 3, ConvOptions.defaults().paddingMode("reflect")))
                .hasMessageContaining("padding_mode='reflect' is not supported yet; only padding_mode='zeros' is");
        assertThatThrownBy(() -> new Conv2d(1, 1, 3, ConvOptions.defaults().paddingMode("mirror")))
                .hasMessage("padding_mode must be one of ['zeros', 'reflect', 'replicate', 'circular'], but got padding_mode='mirror'");
        assertThatThrownBy(() -> new ConvTranspose2d(1, 1, 3, ConvOptions.defaults().paddingMode("circular")))
                .hasMessage("Only \"zeros\" padding mode is supported for ConvTranspose2d");
    }
}
