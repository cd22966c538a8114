package dev.antorcha.nn;

/**
 * A {@link Linear} under the name PyTorch gives the output projection of
 * {@link MultiheadAttention} ({@code out_proj}), so that the module prints as PyTorch's does. Torch
 * uses the subclass to keep dynamic quantization away from that projection; here it behaves
 * exactly as {@code Linear}.
 */
public final class NonDynamicallyQuantizableLinear extends Linear {

    public NonDynamicallyQuantizableLinear(int inFeatures, int outFeatures, boolean bias) {
        super(inFeatures, outFeatures, bias);
    }
}
