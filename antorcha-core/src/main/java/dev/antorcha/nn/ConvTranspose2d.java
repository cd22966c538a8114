package dev.antorcha.nn;

import dev.antorcha.nn.functional.F;
import dev.antorcha.tensor.Tensor;

/**
 * Transposed 2-D convolution, PyTorch's {@code nn.ConvTranspose2d} (the gradient of a
 * convolution with respect to its input): {@code [N, in, H, W]} → {@code [N, out, Hout, Wout]}
 * with {@code Hout = (H − 1)·stride − 2·padding + dilation·(k − 1) + output_padding + 1};
 * weight {@code [in, out/groups, kH, kW]} (input channels first), bias {@code [out]}.
 */
public class ConvTranspose2d extends ConvNd {

    public ConvTranspose2d(int inChannels, int outChannels, int kernelSize) {
        this(inChannels, outChannels, kernelSize, ConvOptions.defaults());
    }

    public ConvTranspose2d(int inChannels, int outChannels, int kernelSize, int stride) {
        this(inChannels, outChannels, kernelSize, ConvOptions.defaults().stride(stride));
    }

    public ConvTranspose2d(int inChannels, int outChannels, int kernelSize, ConvOptions options) {
        this(inChannels, outChannels, new int[] {kernelSize, kernelSize}, options);
    }

    public ConvTranspose2d(int inChannels, int outChannels, int[] kernelSize, ConvOptions options) {
        super("ConvTranspose2d", inChannels, outChannels, expand("ConvTranspose2d", "kernel_size", kernelSize, 2),
                options, true);
    }

    @Override
    public Tensor forward(Tensor input) {
        return F.convTranspose2d(input, weight, bias, stride, padding, outputPadding, groups, dilation);
    }
}
