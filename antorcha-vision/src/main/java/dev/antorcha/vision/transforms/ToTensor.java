package dev.antorcha.vision.transforms;

import dev.antorcha.tensor.Factory;
import dev.antorcha.tensor.Tensor;

/**
 * uint8 image → float32 tensor in [0, 1], torchvision's {@code transforms.ToTensor()}.
 *
 * <p>Shape contract: {@code Image H×W×C → [C, H, W]} (a gray {@code H×W} image gives
 * {@code [1, H, W]}). Each value is {@code v / 255f}, one float32 division, exactly as
 * torchvision's {@code img.to(float32).div(255)}: results match bit for bit.
 *
 * <pre>{@code
 * Tensor x = new ToTensor().apply(mnistImage);   // [1, 28, 28], values in [0, 1]
 * }</pre>
 */
public final class ToTensor implements Transform<Image, Tensor> {
    /** {@code v / 255f} for every byte value, so the hot loop is one table lookup per pixel. */
    private static final float[] SCALE = new float[256];

    static {
        for (int v = 0; v < 256; v++) SCALE[v] = v / 255f;
    }

    /** The transform; it has no options. */
    public ToTensor() {
    }

    @Override
    public Tensor apply(Image img) {
        int h = img.height(), w = img.width(), c = img.channels();
        int plane = h * w;
        float[] out = new float[c * plane];
        if (c == 1) {
            for (int i = 0; i < plane; i++) out[i] = SCALE[img.unsignedAt(i)];
        } else {
            // HWC → CHW: pixel p's channel k goes to plane k.
            for (int p = 0, src = 0; p < plane; p++) {
                for (int k = 0; k < c; k++, src++) out[k * plane + p] = SCALE[img.unsignedAt(src)];
            }
        }
        // The fresh array becomes the tensor's storage directly: no second copy.
        return Factory.adopt(out, c, h, w);
    }

    /**
     * Writes {@code n} one-channel pixels, {@code bytes[from..]} as {@code v / 255f}, into
     * {@code out[to..]}: exactly what {@link #apply} computes, for a batch filled in place.
     */
    public static void fill(byte[] bytes, int from, float[] out, int to, int n) {
        for (int i = 0; i < n; i++) out[to + i] = SCALE[bytes[from + i] & 0xFF];
    }

    @Override
    public String toString() {
        return "ToTensor()";
    }
}
