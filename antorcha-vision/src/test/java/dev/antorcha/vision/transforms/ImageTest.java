package dev.antorcha.vision.transforms;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class ImageTest {
    @Test
    void holdsHwcBytesAndReadsThemUnsigned() {
        // 2 wide, 1 high, RGB: pixel (0,0) = (1,2,3), pixel (1,0) = (255,128,0)
        byte[] px = {1, 2, 3, (byte) 255, (byte) 128, 0};
        Image img = Image.of(2, 1, 3, px);
        assertThat(img.get(0, 0, 2)).isEqualTo(3);
        assertThat(img.get(1, 0, 0)).isEqualTo(255);
        assertThat(img.get(1, 0, 1)).isEqualTo(128);
        assertThat(img.numBytes()).isEqualTo(6);
        assertThat(img).hasToString("Image(width=2, height=1, channels=3)");
    }

    @Test
    void isImmutable() {
        byte[] px = {10, 20, 30, 40};
        Image img = Image.of(2, 2, 1, px);
        px[0] = 99;
        assertThat(img.get(0, 0)).isEqualTo(10);
        img.pixels()[0] = 99;
        assertThat(img.get(0, 0)).isEqualTo(10);
        assertThat(img.get(1, 1)).isEqualTo(40);
    }

    @Test
    void wrapSharesALargerArray() {
        byte[] big = {0, 0, 5, 6, 7, 8, 0};
        Image img = Image.wrap(big, 2, 2, 2, 1);
        assertThat(img.get(0, 1)).isEqualTo(7);
        assertThat(img.pixels()).containsExactly(5, 6, 7, 8);
        byte[] dst = new byte[5];
        img.copyPixelsTo(dst, 1);
        assertThat(dst).containsExactly(0, 5, 6, 7, 8);
        assertThat(img).isEqualTo(Image.of(2, 2, 1, new byte[] {5, 6, 7, 8}))
                .hasSameHashCodeAs(Image.of(2, 2, 1, new byte[] {5, 6, 7, 8}));
        assertThatThrownBy(() -> Image.wrap(big, 4, 2, 2, 1))
                .hasMessage("an image of 2x2x1 at offset 4 does not fit in an array of 7 bytes");
    }

    @Test
    void rejectsBadSizesAndCoordinates() {
        assertThatThrownBy(() -> Image.of(28, 28, 1, new byte[10]))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("an image of 28x28x1 (HxWxC) needs 784 bytes, got 10");
        assertThatThrownBy(() -> Image.of(0, 28, 1, new byte[0]))
                .hasMessage("image sizes must be positive, got width=0, height=28, channels=1");
        Image img = Image.of(2, 2, 1, new byte[4]);
        assertThatThrownBy(() -> img.get(2, 0))
                .isInstanceOf(IndexOutOfBoundsException.class)
                .hasMessage("pixel (x=2, y=0, c=0) is outside an image of width 2, height 2 and 1 channel(s)");
        assertThatThrownBy(() -> Image.of(1, 1, 3, new byte[3]).get(0, 0))
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("3 channels");
    }
}
