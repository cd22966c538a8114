package dev.antorcha.vision.transforms;

import static org.assertj.core.api.Assertions.assertThat;

import dev.antorcha.tensor.DType;
import dev.antorcha.tensor.Tensor;
import org.junit.jupiter.api.Test;

class ToTensorTest {
    @Test
    void everyByteValueIsDividedBy255InFloat32() {
        byte[] px = new byte[256];
        for (int v = 0; v < 256; v++) px[v] = (byte) v;
        Tensor t = new ToTensor().apply(Image.of(16, 16, 1, px));
        assertThat(t.shape().toArray()).containsExactly(1, 16, 16);
        assertThat(t.dtype()).isEqualTo(DType.FLOAT32);
        float[] f = t.toFloatArray();
        for (int v = 0; v < 256; v++) {
            assertThat(Float.floatToIntBits(f[v])).as("value %d", v).isEqualTo(Float.floatToIntBits((float) v / 255f));
        }
        assertThat(f[0]).isEqualTo(0f);
        assertThat(f[255]).isEqualTo(1f);
        // Values torch.tensor([1, 128], dtype=torch.uint8).float().div(255) prints to full precision.
        assertThat(f[1]).isEqualTo(0.003921568859368563f);
        assertThat(f[128]).isEqualTo(0.501960813999176f);
    }

    @Test
    void hwcBecomesChw() {
        // 2 wide, 1 high, RGB: (10, 20, 30) then (40, 50, 60)
        Image rgb = Image.of(2, 1, 3, new byte[] {10, 20, 30, 40, 50, 60});
        Tensor t = new ToTensor().apply(rgb);
        assertThat(t.shape().toArray()).containsExactly(3, 1, 2);
        assertThat(t.toFloatArray()).containsExactly(10 / 255f, 40 / 255f, 20 / 255f, 50 / 255f, 30 / 255f, 60 / 255f);
        assertThat(new ToTensor()).hasToString("ToTensor()");
    }
}
