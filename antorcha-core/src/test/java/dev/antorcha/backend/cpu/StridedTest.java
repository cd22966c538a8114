package dev.antorcha.backend.cpu;

import static org.assertj.core.api.Assertions.assertThat;

import dev.antorcha.Antorcha;
import dev.antorcha.tensor.Tensor;
import java.util.Arrays;
import java.util.concurrent.atomic.AtomicIntegerArray;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The element-wise walk: every element once, each operand's offset where its strides put it, on
 * one thread and on two (large ops are split between the threads), and element-wise ops through
 * the backend give the per-element results whatever the thread count.
 */
class StridedTest {

    /** Element {@code i} of a row-major index space of {@code shape}: its offset for {@code strides}. */
    private static int offsetOf(int i, int[] shape, int[] strides, int base) {
        int at = base;
        for (int d = shape.length - 1; d >= 0; d--) {
            at += i % shape[d] * strides[d];
            i /= shape[d];
        }
        return at;
    }

    private static void walkVisitsEveryElementOnce(int[] shape, int[] outStrides, int[] inStrides, int inBase) {
        int numel = 1;
        for (int s : shape) numel *= s;
        int[] outOffsetToIndex = new int[numel];
        int maxOut = 0;
        for (int i = 0; i < numel; i++) maxOut = Math.max(maxOut, offsetOf(i, shape, outStrides, 0));
        Arrays.fill(outOffsetToIndex, -1);
        int[] indexAt = new int[maxOut + 1];
        Arrays.fill(indexAt, -1);
        for (int i = 0; i < numel; i++) indexAt[offsetOf(i, shape, outStrides, 0)] = i;
        AtomicIntegerArray visits = new AtomicIntegerArray(numel);
        AtomicIntegerArray wrongInput = new AtomicIntegerArray(1);
        Strided.forEachRow(shape, new int[][] {outStrides, inStrides}, new int[] {0, inBase}, (o, in, n) -> {
            for (int q = 0; q < n; q++) {
                int i = indexAt[o[0] + q * in[0]];
                visits.incrementAndGet(i);
                if (o[1] + q * in[1] != offsetOf(i, shape, inStrides, inBase)) wrongInput.incrementAndGet(0);
            }
        });
        for (int i = 0; i < numel; i++) assertThat(visits.get(i)).as("visits of element %d", i).isEqualTo(1);
        assertThat(wrongInput.get(0)).as("elements read from the wrong input offset").isZero();
    }

    @ParameterizedTest(name = "{0} thread(s)")
    @ValueSource(ints = {1, 2})
    void everyElementOnceWithItsOperandsOffsets(int threads) {
        int before = Parallel.threads();
        try {
            Parallel.setThreads(threads);
            // one contiguous row, longer than the split threshold and not a multiple of 64
            walkVisitsEveryElementOnce(new int[] {Strided.PARALLEL_MIN * 3 + 17}, new int[] {1}, new int[] {1}, 5);
            // a transposed input: rank 2 after merging, its outer dim split
            walkVisitsEveryElementOnce(new int[] {301, 700}, new int[] {700, 1}, new int[] {1, 301}, 0);
            // a broadcast input (stride 0) over three dims, the outer one short
            walkVisitsEveryElementOnce(new int[] {3, 257, 301}, new int[] {257 * 301, 301, 1}, new int[] {0, 1, 0}, 7);
            // just below the threshold: one walk on the caller
            walkVisitsEveryElementOnce(new int[] {Strided.PARALLEL_MIN - 1}, new int[] {1}, new int[] {2}, 0);
        } finally {
            Parallel.setThreads(before);
        }
    }

    @ParameterizedTest(name = "{0} thread(s)")
    @ValueSource(ints = {1, 2})
    void largeElementWiseOpsGiveEachElementsResult(int threads) {
        int before = Parallel.threads();
        try {
            Parallel.setThreads(threads);
            Antorcha.manualSeed(3);
            Tensor x = Antorcha.randn(400, 700), w = Antorcha.randn(700), xt = Antorcha.randn(700, 400).t();
            float[] xs = x.toFloatArray(), ws = w.toFloatArray(), ts = xt.contiguous().toFloatArray();
            float[] product = x.mul(w).toFloatArray(), sum = x.add(xt).toFloatArray(), relu = x.relu().toFloatArray();
            Tensor inPlace = x.clone();
            inPlace.mul_(xt);
            float[] ip = inPlace.toFloatArray();
            float[] wantProduct = new float[xs.length], wantSum = new float[xs.length], wantRelu = new float[xs.length];
            for (int i = 0; i < xs.length; i++) {
                wantProduct[i] = xs[i] * ws[i % 700];
                wantSum[i] = xs[i] + ts[i];
                wantRelu[i] = Math.max(xs[i], 0f);
            }
            assertThat(Arrays.mismatch(product, wantProduct)).as("first element of x * w that differs").isEqualTo(-1);
            assertThat(Arrays.mismatch(sum, wantSum)).as("first element of x + x2.t() that differs").isEqualTo(-1);
            assertThat(Arrays.mismatch(relu, wantRelu)).as("first element of relu that differs").isEqualTo(-1);
            for (int i = 0; i < xs.length; i++) wantSum[i] = xs[i] * ts[i];
            assertThat(Arrays.mismatch(ip, wantSum)).as("first element of x.mul_(x2.t()) that differs").isEqualTo(-1);
        } finally {
            Parallel.setThreads(before);
        }
    }
}
