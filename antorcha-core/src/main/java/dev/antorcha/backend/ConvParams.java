package dev.antorcha.backend;

/**
 * The geometry of a 2-D convolution as the kernels see it: input position of output {@code (i, j)},
 * kernel tap {@code (u, v)} is {@code (i·strideH − padH + u·dilationH, j·strideW − padW + v·dilationW)};
 * positions outside the input read as zero. Output sizes come from the output tensor, so padding
 * that is larger on the bottom/right (PyTorch's {@code "same"} with an even kernel) and a transposed
 * convolution's {@code output_padding} need nothing more. {@code groups} splits the channels.
 */
public record ConvParams(int strideH, int strideW, int padH, int padW, int dilationH, int dilationW, int groups) {
    public ConvParams {
        if (strideH < 1 || strideW < 1 || dilationH < 1 || dilationW < 1 || padH < 0 || padW < 0 || groups < 1) {
            throw new IllegalArgumentException("invalid convolution parameters " + this);
        }
    }
}
