package dev.antorcha.vision.datasets;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.antorcha.data.Batch;
import dev.antorcha.data.Collate;
import dev.antorcha.data.DataLoader;
import dev.antorcha.data.Example;
import dev.antorcha.tensor.Tensor;
import dev.antorcha.vision.transforms.Compose;
import dev.antorcha.vision.transforms.Lambda;
import dev.antorcha.vision.transforms.Normalize;
import dev.antorcha.vision.transforms.ToTensor;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The DataLoader's batch fast path gives exactly what collating the samples one by one gives. */
class MnistBatchTest {
    @TempDir Path root;

    private static Batch collated(MNIST<Tensor> ds, int[] indices) {
        List<Example<Tensor, Long>> samples = new ArrayList<>();
        for (int i : indices) samples.add(ds.get(i));
        return Collate.<Example<Tensor, Long>>defaultCollate().collate(samples);
    }

    @Test
    void fastBatchEqualsTheCollatedSamples() throws IOException {
        TestData.copyFixture(root);
        var ds = new MNIST<>(root, true, Compose.of(new ToTensor()), false);
        int[] indices = {0, 999, 5, 5, 123, 42, 7};
        Batch fast = ds.batch(indices), slow = collated(ds, indices);
        assertThat(fast.input().shape()).isEqualTo(slow.input().shape());
        assertThat(fast.input().toFloatArray()).containsExactly(slow.input().toFloatArray());
        assertThat(fast.target().toLongArray()).containsExactly(slow.target().toLongArray());
        assertThatThrownBy(() -> ds.batch(new int[] {0, 1000})).isInstanceOf(IndexOutOfBoundsException.class);
    }

    @Test
    void normalizedBatchEqualsTheCollatedSamplesBitForBit() throws IOException {
        TestData.copyFixture(root);
        // the MNIST examples' transform: ToTensor, then Normalize((0.1307,), (0.3081,))
        var ds = new MNIST<>(root, true, Compose.of(new ToTensor(), new Normalize(0.1307f, 0.3081f)), false);
        int[] indices = {0, 999, 5, 5, 123, 42, 7};
        Batch fast = ds.batch(indices), slow = collated(ds, indices);
        assertThat(fast.input().shape()).isEqualTo(slow.input().shape());
        float[] f = fast.input().toFloatArray(), c = slow.input().toFloatArray();
        for (int i = 0; i < f.length; i++) {
            assertThat(Float.floatToRawIntBits(f[i])).as("element %d", i).isEqualTo(Float.floatToRawIntBits(c[i]));
        }
        assertThat(f).contains(-0.1307f / 0.3081f);   // the background, normalized
        assertThat(fast.target().toLongArray()).containsExactly(slow.target().toLongArray());
    }

    @Test
    void otherTransformsTakeTheGeneralPathAndTheLoaderUsesEither() throws IOException {
        TestData.copyFixture(root);
        var doubled = new MNIST<>(root, false, Compose.of(new ToTensor()).andThen(new Lambda<Tensor, Tensor>(t -> t.mul(2))), false);
        int[] indices = {3, 1, 4};
        assertThat(doubled.batch(indices).input().toFloatArray()).containsExactly(collated(doubled, indices).input().toFloatArray());

        var plain = new MNIST<>(root, false, new ToTensor(), false);
        Iterator<Batch> it = DataLoader.of(plain, 64).iterator();
        Batch first = it.next();
        assertThat(first.input().shape().toArray()).containsExactly(64, 1, 28, 28);
        int[] firstIdx = new int[64];
        for (int i = 0; i < 64; i++) firstIdx[i] = i;
        assertThat(first.input().toFloatArray()).containsExactly(collated(plain, firstIdx).input().toFloatArray());
    }
}
