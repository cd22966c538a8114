package dev.antorcha.nn;

import java.util.Arrays;

/**
 * The keyword arguments of PyTorch's convolution layers beyond {@code (in, out, kernel_size)}:
 * {@code stride}, {@code padding} (numbers, or {@code "same"} / {@code "valid"}),
 * {@code output_padding} (transposed only), {@code dilation}, {@code groups}, {@code bias} and
 * {@code padding_mode}. Each int array holds one value for every spatial dim or one per dim.
 *
 * <pre>{@code
 * new Conv2d(16, 32, 3, ConvOptions.defaults().padding("same").groups(2).bias(false));
 * }</pre>
 */
public record ConvOptions(int[] stride, int[] padding, String paddingString, int[] outputPadding, int[] dilation,
                          int groups, boolean bias, String paddingMode) {

    /** torch's defaults: stride 1, padding 0, output_padding 0, dilation 1, groups 1, bias, zeros. */
    public static ConvOptions defaults() {
        return new ConvOptions(new int[] {1}, new int[] {0}, null, new int[] {0}, new int[] {1}, 1, true, "zeros");
    }

    public ConvOptions {
        stride = stride.clone();
        padding = padding.clone();
        outputPadding = outputPadding.clone();
        dilation = dilation.clone();
    }

    public ConvOptions stride(int... s) {
        return new ConvOptions(s, padding, paddingString, outputPadding, dilation, groups, bias, paddingMode);
    }

    public ConvOptions padding(int... p) {
        return new ConvOptions(stride, p, null, outputPadding, dilation, groups, bias, paddingMode);
    }

    /** {@code "same"} (output as large as the input; stride 1 only) or {@code "valid"} (no padding). */
    public ConvOptions padding(String p) {
        return new ConvOptions(stride, new int[] {0}, p, outputPadding, dilation, groups, bias, paddingMode);
    }

    public ConvOptions outputPadding(int... p) {
        return new ConvOptions(stride, padding, paddingString, p, dilation, groups, bias, paddingMode);
    }

    public ConvOptions dilation(int... d) {
        return new ConvOptions(stride, padding, paddingString, outputPadding, d, groups, bias, paddingMode);
    }

    public ConvOptions groups(int g) {
        return new ConvOptions(stride, padding, paddingString, outputPadding, dilation, g, bias, paddingMode);
    }

    public ConvOptions bias(boolean b) {
        return new ConvOptions(stride, padding, paddingString, outputPadding, dilation, groups, b, paddingMode);
    }

    /** Only {@code "zeros"} is implemented; the layers refuse the others by name. */
    public ConvOptions paddingMode(String mode) {
        return new ConvOptions(stride, padding, paddingString, outputPadding, dilation, groups, bias, mode);
    }

    @Override
    public int[] stride() {
        return stride.clone();
    }

    @Override
    public int[] padding() {
        return padding.clone();
    }

    @Override
    public int[] outputPadding() {
        return outputPadding.clone();
    }

    @Override
    public int[] dilation() {
        return dilation.clone();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof ConvOptions c && Arrays.equals(stride, c.stride) && Arrays.equals(padding, c.padding)
                && java.util.Objects.equals(paddingString, c.paddingString) && Arrays.equals(outputPadding, c.outputPadding)
                && Arrays.equals(dilation, c.dilation) && groups == c.groups && bias == c.bias
                && java.util.Objects.equals(paddingMode, c.paddingMode);
    }

    @Override
    public int hashCode() {
        return java.util.Objects.hash(Arrays.hashCode(stride), Arrays.hashCode(padding), paddingString,
                Arrays.hashCode(outputPadding), Arrays.hashCode(dilation), groups, bias, paddingMode);
    }

    @Override
    public String toString() {
        return "ConvOptions[stride=" + Arrays.toString(stride) + ", padding="
                + (paddingString != null ? paddingString : Arrays.toString(padding)) + ", outputPadding="
                + Arrays.toString(outputPadding) + ", dilation=" + Arrays.toString(dilation) + ", groups=" + groups
                + ", bias=" + bias + ", paddingMode=" + paddingMode + "]";
    }
}
