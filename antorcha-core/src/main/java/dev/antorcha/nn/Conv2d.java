package dev.antorcha.nn;

import dev.antorcha.nn.functional.F;
import dev.antorcha.tensor.Tensor;

/**
 * 2-D convolution, PyTorch's {@code nn.Conv2d}: {@code [N, in, H, W]} (or unbatched
 * {@code [in, H, W]}) → {@code [N, out, Ho, Wo]}, weight {@code [out, in/groups, kH, kW]},
 * bias {@code [out]}.
 *
 * <pre>{@code
 * Conv2d conv1 = new Conv2d(1, 32, 3, 1);                                    // nn.Conv2d(1, 32, 3, 1)
 * Conv2d conv = new Conv2d(32, 64, 3, ConvOptions.defaults().padding("same"));
 * }</pre>
 */
public class Conv2d extends ConvNd {

    public Conv2d(int inChannels, int outChannels, int kernelSize) {
        this(inChannels, outChannels, kernelSize, ConvOptions.defaults());
    }

    /** {@code nn.Conv2d(in, out, kernel_size, stride)}, the MNIST example's form. */
    public Conv2d(int inChannels, int outChannels, int kernelSize, int stride) {
        this(inChannels, outChannels, kernelSize, ConvOptions.defaults().stride(stride));
    }

    public Conv2d(int inChannels, int outChannels, int kernelSize, ConvOptions options) {
        this(inChannels, outChannels, new int[] {kernelSize, kernelSize}, options);
    }

    /** {@code kernelSize} as {@code {kH, kW}}. */
    public Conv2d(int inChannels, int outChannels, int[] kernelSize, ConvOptions options) {
        super("Conv2d", inChannels, outChannels, expand("Conv2d", "kernel_size", kernelSize, 2), options, false);
    }

    @Override
    public Tensor forward(Tensor input) {
        return paddingString != null
                ? F.conv2d(input, weight, bias, stride, paddingString, dilation, groups)
                : F.conv2d(input, weight, bias, stride, padding, dilation, groups);
    }
}
