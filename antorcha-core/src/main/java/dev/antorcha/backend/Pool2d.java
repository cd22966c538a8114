package dev.antorcha.backend;

/**
 * The window of a 2-D pooling kernel: size, stride, padding and dilation per spatial dimension
 * ({@code H}, then {@code W}), already checked by the op. Output window {@code (i, j)} starts at
 * row {@code i·strideH - padH} and column {@code j·strideW - padW}; its elements are
 * {@code dilation} apart.
 */
public record Pool2d(int kernelH, int kernelW, int strideH, int strideW, int padH, int padW, int dilationH, int dilationW) {

    /** Whether this is the {@code 2x2, stride 2} window without padding or dilation that CNNs use most. */
    public boolean isTwoByTwo() {
        return kernelH == 2 && kernelW == 2 && strideH == 2 && strideW == 2 && padH == 0 && padW == 0
                && dilationH == 1 && dilationW == 1;
    }
}
