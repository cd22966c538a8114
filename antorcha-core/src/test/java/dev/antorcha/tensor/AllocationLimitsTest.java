package dev.antorcha.tensor;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.antorcha.Antorcha;
import org.junit.jupiter.api.Test;

/**
 * A tensor that does not fit says so: how much was asked (shape, dtype, bytes), how much heap
 * there is, and that -Xmx raises it; a shape whose element count overflows an int is refused
 * by name instead of failing with NegativeArraySizeException.
 */
class AllocationLimitsTest {

    /** More float32 elements than the whole heap holds, or -1 when the heap exceeds one array's limit. */
    private static int elementsBeyondHeap() {
        long max = Runtime.getRuntime().maxMemory();
        long n = max / Float.BYTES + (64L << 20);
        return max == Long.MAX_VALUE || n > Integer.MAX_VALUE - 16 ? -1 : (int) n;
    }

    @Test
    void factoryLargerThanTheHeapSaysWhatWasAskedAndHowToRaiseTheHeap() {
        int n = elementsBeyondHeap();
        assumeTrue(n > 0, "the heap (-Xmx) is larger than one tensor can be; the build runs tests with -Xmx2g");
        int rows = 1024, cols = (n + rows - 1) / rows;
        long bytes = (long) rows * cols * Float.BYTES;
        String gib = String.format(java.util.Locale.ROOT, "%.1f GiB", bytes / (double) (1L << 30));
        String maxHeap = String.format(java.util.Locale.ROOT, "%.1f GiB",
                Runtime.getRuntime().maxMemory() / (double) (1L << 30));
        assertThatThrownBy(() -> Antorcha.zeros(rows, cols))
                .isInstanceOf(OutOfMemoryError.class)
                .hasMessageContaining("torch.float32 tensor of shape [1024, " + cols + "]")
                .hasMessageContaining(rows * cols + " elements, " + gib)
                .hasMessageContaining("the Java heap has " + maxHeap + " at most")
                .hasMessageContaining(" free")
                .hasMessageContaining("-Xmx");
    }

    @Test
    void anOpWhoseResultDoesNotFitSaysTheSame() {
        int n = elementsBeyondHeap();
        assumeTrue(n > 0, "the heap (-Xmx) is larger than one tensor can be; the build runs tests with -Xmx2g");
        Tensor view = Antorcha.ones(1).expand(n);              // a view: no memory yet
        assertThatThrownBy(view::contiguous)
                .isInstanceOf(OutOfMemoryError.class)
                .hasMessageContaining("torch.float32 tensor of shape [" + n + "]")
                .hasMessageContaining("-Xmx");
    }

    @Test
    void int64TensorsCountEightBytesPerElement() {
        long max = Runtime.getRuntime().maxMemory();
        long n = max / Long.BYTES + (32L << 20);
        assumeTrue(max != Long.MAX_VALUE && n < Integer.MAX_VALUE - 16, "heap larger than one int64 tensor can be");
        long bytes = n * Long.BYTES;
        String size = String.format(java.util.Locale.ROOT, "%.1f GiB", bytes / (double) (1L << 30));
        assertThatThrownBy(() -> Antorcha.zeros(DType.INT64, (int) n))
                .isInstanceOf(OutOfMemoryError.class)
                .hasMessageContaining("torch.int64 tensor of shape [" + n + "] (" + n + " elements, " + size + ")");
    }

    @Test
    void elementCountBeyondAnIntIsRefusedByShape() {
        assertThatThrownBy(() -> Antorcha.zeros(100000, 100000))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("tensor of shape [100000, 100000] has 10000000000 elements");
        // four dims: the product overflows a long too, and must still be reported exactly
        assertThatThrownBy(() -> Antorcha.randn(100000, 100000, 100000, 100000))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("has 100000000000000000000 elements");
        assertThatThrownBy(() -> Antorcha.ones(1).expand(65536, 65536).contiguous())
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("[65536, 65536] has 4294967296 elements");
    }

    @Test
    void aZeroSizeAfterHugeOnesIsAnEmptyTensorAsInPyTorch() {
        Tensor t = Antorcha.zeros(100000, 100000, 0);
        assertThat(t.numel()).isZero();
        assertThat(t.shape()).isEqualTo(Shape.of(100000, 100000, 0));
    }
}
