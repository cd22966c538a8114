package dev.antorcha.vision.transforms;

import dev.antorcha.Antorcha;
import dev.antorcha.tensor.DType;
import dev.antorcha.tensor.Factory;
import dev.antorcha.tensor.Tensor;

import java.util.Arrays;

/**
 * Per-channel {@code (x - mean[c]) / std[c]}, torchvision's {@code transforms.Normalize(mean, std)}.
 *
 * <p>Shape contract: {@code [..., C, H, W] → [..., C, H, W]} float32; {@code mean} and
 * {@code std} have {@code C} entries, or one entry used for every channel (broadcast, as in
 * torchvision). Computed in float32 as a subtraction then a division, like torchvision's
 * {@code sub_(mean).div_(std)}, so results match bit for bit. The input is not modified.
 *
 * <pre>{@code
 * var norm = new Normalize(new float[] {0.1307f}, new float[] {0.3081f});
 * Tensor y = norm.apply(new ToTensor().apply(image));   // [1, 28, 28]
 * }</pre>
 */
public final class Normalize implements Transform<Tensor, Tensor> {
    private final float[] mean;
    private final float[] std;

    /**
     * @throws IllegalArgumentException when the arrays are empty, differ in length, or a
     *         {@code std} entry is zero (division by zero)
     */
    public Normalize(float[] mean, float[] std) {
        if (mean == null || std == null) throw new IllegalArgumentException("mean and std must not be null");
        if (mean.length == 0) throw new IllegalArgumentException("mean and std need at least one value");
        if (mean.length != std.length) {
            throw new IllegalArgumentException("mean and std must have the same length, got mean "
                    + Arrays.toString(mean) + " (" + mean.length + ") and std " + Arrays.toString(std)
                    + " (" + std.length + ")");
        }
        for (int i = 0; i < std.length; i++) {
            if (std[i] == 0f) {
                throw new IllegalArgumentException("std evaluated to zero at channel " + i + " (std = "
                        + Arrays.toString(std) + "), leading to division by zero.");
            }
        }
        this.mean = mean.clone();
        this.std = std.clone();
    }

    /** One mean and std for every channel: {@code new Normalize(0.1307f, 0.3081f)}. */
    public Normalize(float mean, float std) {
        this(new float[] {mean}, new float[] {std});
    }

    public float[] mean() { return mean.clone(); }
    public float[] std() { return std.clone(); }

    @Override
    public Tensor apply(Tensor t) {
        if (t.dtype() != DType.FLOAT32) {
            throw new IllegalArgumentException("Input tensor should be a float tensor. Got "
                    + t.dtype().torchName() + ".");
        }
        if (t.dim() < 3) {
            throw new IllegalArgumentException("Expected tensor to be a tensor image of size (..., C, H, W). "
                    + "Got tensor.size() = "
                    + t.shape());
        }
        int c = t.size(-3);
        if (mean.length != 1 && mean.length != c) {
            throw new IllegalArgumentException("Normalize has " + mean.length + " mean/std values but the image has "
                    + c + " channels (shape " + t.shape() + ")");
        }
        if (t.requiresGrad()) return viaOps(t);
        // Fast path: one pass over a host copy, no broadcast machinery.
        float[] src = t.toFloatArray();
        int base = 0;
        int n = t.numel();
        int plane = t.size(-1) * t.size(-2);
        float[] out = new float[n];
        for (int start = 0; start < n; start += plane) {
            int ch = (start / plane) % c;
            float m = mean.length == 1 ? mean[0] : mean[ch];
            float s = std.length == 1 ? std[0] : std[ch];
            for (int i = start, end = start + plane; i < end; i++) out[i] = (src[base + i] - m) / s;
        }
        return Factory.adopt(out, t.shape().toArray());
    }

    /** Through the tensor ops, so that gradients flow back to an input that requires them. */
    private Tensor viaOps(Tensor t) {
        int k = mean.length;
        return t.sub(Antorcha.tensor(mean, k, 1, 1)).div(Antorcha.tensor(std, k, 1, 1));
    }

    /** {@code Normalize(mean=[0.1307], std=[0.3081])}. */
    @Override
    public String toString() {
        return "Normalize(mean=" + Arrays.toString(mean) + ", std=" + Arrays.toString(std) + ")";
    }
}
