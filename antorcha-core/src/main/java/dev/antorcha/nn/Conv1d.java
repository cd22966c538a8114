package dev.antorcha.nn;

import dev.antorcha.nn.functional.F;
import dev.antorcha.tensor.Tensor;

/**
 * 1-D convolution, PyTorch's {@code nn.Conv1d}: {@code [N, in, L]} (or unbatched {@code [in, L]})
 * → {@code [N, out, Lo]}, weight {@code [out, in/groups, k]}, bias {@code [out]}.
 */
public class Conv1d extends ConvNd {

    public Conv1d(int inChannels, int outChannels, int kernelSize) {
        this(inChannels, outChannels, kernelSize, ConvOptions.defaults());
    }

    public Conv1d(int inChannels, int outChannels, int kernelSize, int stride) {
        this(inChannels, outChannels, kernelSize, ConvOptions.defaults().stride(stride));
    }

    public Conv1d(int inChannels, int outChannels, int kernelSize, ConvOptions options) {
        super("Conv1d", inChannels, outChannels, new int[] {kernelSize}, options, false);
    }

    @Override
    public Tensor forward(Tensor input) {
        return paddingString != null
                ? F.conv1d(input, weight, bias, stride[0], paddingString, dilation[0], groups)
                : F.conv1d(input, weight, bias, stride[0], padding[0], dilation[0], groups);
    }
}
