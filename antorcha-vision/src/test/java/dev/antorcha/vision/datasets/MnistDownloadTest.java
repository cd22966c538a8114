package dev.antorcha.vision.datasets;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.antorcha.tensor.Tensor;
import dev.antorcha.vision.datasets.LocalMirror.Fault;
import dev.antorcha.vision.transforms.Image;
import dev.antorcha.vision.transforms.ToTensor;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.stream.Stream;

/**
 * The whole MNIST, downloaded from a mirror on 127.0.0.1 serving the original files of
 * {@code ../shared/data/mnist} and checked against torchvision's MD5s. Skipped when those files are absent.
 */
class MnistDownloadTest {
    /** Samples per class, well known for MNIST. */
    private static final long[] TRAIN_HISTOGRAM = {5923, 6742, 5958, 6131, 5842, 5421, 5918, 6265, 5851, 5949};
    private static final long[] TEST_HISTOGRAM = {980, 1135, 1032, 1010, 982, 892, 958, 1028, 974, 1009};

    @TempDir Path root;
    private final List<String> lines = new CopyOnWriteArrayList<>();

    private DownloadOptions options(String mirror) {
        return DownloadOptions.defaults().withMirrors(List.of(mirror)).withProgress(ProgressListener.lines(lines::add));
    }

    @Test
    void downloadsVerifiesAndServesAllSamples() throws IOException {
        Path shared = TestData.sharedMnist();
        try (LocalMirror m = LocalMirror.serving(shared)) {
            MNIST<Image> train = new MNIST<>(root, true, null, true, options(m.url()));
            assertThat(m.totalHits()).isEqualTo(4);   // both splits at once, as torchvision
            var test = new MNIST<>(root, false, new ToTensor(), true, options(m.url()));
            assertThat(m.totalHits()).as("nothing downloaded twice").isEqualTo(4);

            Path raw = root.resolve("MNIST/raw");
            for (MnistSpec.Resource r : MnistSpec.MNIST.resources()) {
                assertThat(Downloader.md5(raw.resolve(r.fileName()))).isEqualTo(r.md5());
                assertThat(raw.resolve(r.decompressedName())).isRegularFile();
            }
            try (Stream<Path> s = Files.list(raw)) {
                assertThat(s.map(p -> p.getFileName().toString())).hasSize(8).noneMatch(n -> n.endsWith(".part"));
            }
            assertThat(Files.size(raw.resolve("train-images-idx3-ubyte"))).isEqualTo(47_040_016L);
            assertThat(lines).anyMatch(l -> l.startsWith("train-images-idx3-ubyte.gz: 100% (9.9 MB of 9.9 MB)"));

            assertThat(train.size()).isEqualTo(60_000);
            assertThat(test.size()).isEqualTo(10_000);
            checkAgainstIdx(train, shared.resolve("train-images-idx3-ubyte.gz"), shared.resolve("train-labels-idx1-ubyte.gz"),
                    TRAIN_HISTOGRAM);
            checkAgainstIdx(test, shared.resolve("t10k-images-idx3-ubyte.gz"), shared.resolve("t10k-labels-idx1-ubyte.gz"),
                    TEST_HISTOGRAM);

            // Pixels through ToTensor, on a few test samples.
            byte[] rawTest = TestData.gunzip(shared.resolve("t10k-images-idx3-ubyte.gz"));
            for (int i : new int[] {0, 4321, 9999}) {
                Tensor x = test.get(i).input();
                assertThat(x.shape().toArray()).containsExactly(1, 28, 28);
                float[] v = x.toFloatArray();
                for (int p = 0; p < 784; p++) assertThat(v[p]).isEqualTo((rawTest[16 + i * 784 + p] & 0xFF) / 255f);
            }
        }
    }

    private static void checkAgainstIdx(MNIST<?> ds, Path imagesGz, Path labelsGz, long[] histogram) {
        byte[] images = TestData.gunzip(imagesGz), labels = TestData.gunzip(labelsGz);
        assertThat(TestData.intAt(images, 0)).isEqualTo(0x803);
        int n = TestData.intAt(images, 4);
        assertThat(ds.size()).isEqualTo(n).isEqualTo(TestData.intAt(labels, 4));
        long[] counts = new long[10];
        for (int i = 0; i < n; i++) {
            counts[(int) ds.target(i)]++;
            if (ds.target(i) != labels[8 + i]) assertThat(ds.target(i)).as("label %d", i).isEqualTo(labels[8 + i]);
        }
        assertThat(counts).containsExactly(histogram);
        Random rnd = new Random(42);
        for (int k = 0; k < 300; k++) {
            int i = k == 0 ? n - 1 : rnd.nextInt(n);
            Image img = ds.image(i);
            for (int y = 0; y < 28; y++) {
                for (int x = 0; x < 28; x++) {
                    int expected = images[16 + i * 784 + y * 28 + x] & 0xFF;
                    if (img.get(x, y) != expected) assertThat(img.get(x, y)).as("image %d (%d, %d)", i, x, y).isEqualTo(expected);
                }
            }
        }
    }

    @Test
    void anInterruptedDownloadLeavesNoFileAndTheNextRunSucceeds() throws IOException {
        Path shared = TestData.sharedMnist();
        Path raw = root.resolve("MNIST/raw");
        try (LocalMirror m = LocalMirror.serving(shared).fault("train-images-idx3-ubyte.gz", Fault.HALF_THEN_CLOSE)) {
            assertThatThrownBy(() -> new MNIST<>(root, true, null, true, options(m.url())))
                    .isInstanceOf(UncheckedIOException.class)
                    .hasCauseExactlyInstanceOf(DownloadException.class)
                    .hasMessageContaining("Could not download train-images-idx3-ubyte.gz");
        }
        try (Stream<Path> s = Files.list(raw)) {
            assertThat(s).isEmpty();
        }
        try (LocalMirror m = LocalMirror.serving(shared)) {
            assertThat(new MNIST<>(root, true, null, true, options(m.url())).size()).isEqualTo(60_000);
        }
    }
}
