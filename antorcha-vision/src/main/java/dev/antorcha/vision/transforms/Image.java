package dev.antorcha.vision.transforms;

import java.util.Arrays;

/**
 * A small immutable raw image: {@code height × width × channels} unsigned bytes, row-major with
 * the channels of one pixel side by side (HWC, as PIL and numpy hold them). The raw sample type
 * of the vision datasets; {@link ToTensor} turns it into a float32 {@code [C, H, W]} tensor.
 *
 * <pre>{@code
 * Image img = Image.of(2, 1, 1, new byte[] {0, (byte) 255});  // width 2, height 1, gray
 * int v = img.get(1, 0, 0);                                  // 255
 * }</pre>
 *
 * <p>No AWT: rendering belongs to the CLI.
 */
public final class Image {
    private final int width;
    private final int height;
    private final int channels;
    /** Pixel {@code (x, y, c)} is at {@code offset + (y * width + x) * channels + c}. */
    private final byte[] data;
    private final int offset;

    private Image(int width, int height, int channels, byte[] data, int offset) {
        this.width = width;
        this.height = height;
        this.channels = channels;
        this.data = data;
        this.offset = offset;
    }

    /**
     * An image holding a copy of {@code pixels} ({@code height × width × channels} bytes, HWC).
     *
     * @throws IllegalArgumentException when a size is not positive or {@code pixels} has the wrong length
     */
    public static Image of(int width, int height, int channels, byte[] pixels) {
        checkSizes(width, height, channels);
        long n = (long) width * height * channels;
        if (pixels.length != n) {
            throw new IllegalArgumentException("an image of " + height + "x" + width + "x" + channels
                    + " (HxWxC) needs " + n + " bytes, got " + pixels.length);
        }
        return new Image(width, height, channels, pixels.clone(), 0);
    }

    /**
     * An image over {@code data[offset ..]} without copying: the fast path that datasets use to
     * hand out samples of one large array. The caller promises never to modify that range.
     *
     * @throws IllegalArgumentException when the range does not fit in {@code data}
     */
    public static Image wrap(byte[] data, int offset, int width, int height, int channels) {
        checkSizes(width, height, channels);
        long n = (long) width * height * channels;
        if (offset < 0 || offset + n > data.length) {
            throw new IllegalArgumentException("an image of " + height + "x" + width + "x" + channels
                    + " at offset " + offset + " does not fit in an array of " + data.length + " bytes");
        }
        return new Image(width, height, channels, data, offset);
    }

    private static void checkSizes(int width, int height, int channels) {
        if (width <= 0 || height <= 0 || channels <= 0) {
            throw new IllegalArgumentException("image sizes must be positive, got width=" + width
                    + ", height=" + height + ", channels=" + channels);
        }
        if ((long) width * height * channels > Integer.MAX_VALUE - 8) {
            throw new IllegalArgumentException("image of " + height + "x" + width + "x" + channels
                    + " is larger than a Java array can hold");
        }
    }

    public int width() { return width; }
    public int height() { return height; }
    public int channels() { return channels; }
    /** {@code width * height * channels}. */
    public int numBytes() { return width * height * channels; }

    /** The value of channel {@code c} of the pixel in column {@code x}, row {@code y}, in 0..255. */
    public int get(int x, int y, int c) {
        if (x < 0 || x >= width || y < 0 || y >= height || c < 0 || c >= channels) {
            throw new IndexOutOfBoundsException("pixel (x=" + x + ", y=" + y + ", c=" + c
                    + ") is outside an image of width " + width + ", height " + height
                    + " and " + channels + " channel(s)");
        }
        return data[offset + (y * width + x) * channels + c] & 0xFF;
    }

    /** The value of the pixel in column {@code x}, row {@code y} of a one-channel image. */
    public int get(int x, int y) {
        if (channels != 1) {
            throw new IllegalStateException("get(x, y) needs a one-channel image, this one has " + channels
                    + " channels: use get(x, y, c)");
        }
        return get(x, y, 0);
    }

    /** A copy of the pixels, {@code height × width × channels} bytes (HWC). */
    public byte[] pixels() {
        return Arrays.copyOfRange(data, offset, offset + numBytes());
    }

    /** Copies the pixels (HWC) into {@code dst} from {@code dstOffset}, without allocating. */
    public void copyPixelsTo(byte[] dst, int dstOffset) {
        System.arraycopy(data, offset, dst, dstOffset, numBytes());
    }

    /** The unsigned value of the {@code i}-th byte in HWC order: a loop-friendly accessor, unchecked. */
    int unsignedAt(int i) {
        return data[offset + i] & 0xFF;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Image other && width == other.width && height == other.height
                && channels == other.channels
                && Arrays.equals(data, offset, offset + numBytes(), other.data, other.offset,
                        other.offset + other.numBytes());
    }

    @Override
    public int hashCode() {
        int h = 31 * (31 * width + height) + channels;
        for (int i = 0, n = numBytes(); i < n; i++) h = 31 * h + data[offset + i];
        return h;
    }

    /** {@code Image(width=28, height=28, channels=1)}. */
    @Override
    public String toString() {
        return "Image(width=" + width + ", height=" + height + ", channels=" + channels + ")";
    }
}
