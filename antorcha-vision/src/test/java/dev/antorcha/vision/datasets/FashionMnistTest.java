package dev.antorcha.vision.datasets;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.antorcha.tensor.Tensor;
import dev.antorcha.vision.transforms.ToTensor;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;

/**
 * Fashion-MNIST from Debian's {@code dataset-fashion-mnist} package (installed by {@code .ci/run}).
 * Debian recompressed the .gz files, so their MD5s are not torchvision's; decompressed into
 * {@code root/FashionMNIST/raw} as torchvision keeps them, they load with {@code download=false}.
 */
class FashionMnistTest {
    private static final Path DEBIAN = Path.of("/usr/share/datasets/fashion-mnist");

    @TempDir Path root;

    @BeforeEach
    void needsTheDebianPackage() {
        boolean present = TestData.MNIST_FILES.stream().allMatch(f -> Files.isRegularFile(DEBIAN.resolve(f)));
        String why = "skipped: Debian's dataset-fashion-mnist is not installed (no " + DEBIAN
                + "/*.gz; apt-get install dataset-fashion-mnist)";
        if (!present) System.out.println("SKIPPED " + why);   // visible in the build log too
        assumeTrue(present, why);
    }

    @Test
    void loadsTheDecompressedFilesWithoutDownloading() throws IOException {
        Path raw = Files.createDirectories(root.resolve("FashionMNIST/raw"));
        byte[] trainLabels = null;
        for (String gz : TestData.MNIST_FILES) {
            byte[] plain = TestData.gunzip(DEBIAN.resolve(gz));
            Files.write(raw.resolve(gz.substring(0, gz.length() - 3)), plain);
            if (gz.startsWith("train-labels")) trainLabels = plain;
        }
        var train = new FashionMNIST<>(root, true, new ToTensor(), false);
        var test = new FashionMNIST<>(root.toString(), false, new ToTensor(), false);
        assertThat(train.size()).isEqualTo(60_000);
        assertThat(test.size()).isEqualTo(10_000);
        assertThat(train.labels()).isEqualTo(Arrays.copyOfRange(trainLabels, 8, trainLabels.length));
        assertThat(train.targets()).startsWith(9, 0, 0, 3, 0);
        assertThat(test.targets()).startsWith(9, 2, 1, 1, 6);
        assertThat(histogram(train)).containsOnly(6000);   // Fashion-MNIST is balanced
        assertThat(histogram(test)).containsOnly(1000);
        assertThat(train.classes()).containsExactly("T-shirt/top", "Trouser", "Pullover", "Dress", "Coat",
                "Sandal", "Shirt", "Sneaker", "Bag", "Ankle boot");
        Tensor x = train.get(0).input();
        assertThat(x.shape().toArray()).containsExactly(1, 28, 28);
        assertThat(train.classes().get((int) (long) train.get(0).target())).isEqualTo("Ankle boot");
        try (var files = Files.list(raw)) {
            assertThat(files).hasSize(4);   // nothing downloaded, nothing added
        }
    }

    private static long[] histogram(MNIST<?> ds) {
        long[] h = new long[10];
        for (byte b : ds.labels()) h[b]++;
        return h;
    }

    @Test
    void debiansRecompressedFilesFailTorchvisionsChecksum() throws IOException {
        try (LocalMirror m = LocalMirror.serving(DEBIAN)) {
            var opts = DownloadOptions.defaults().withMirrors(List.of(m.url())).withProgress(ProgressListener.silent());
            assertThatThrownBy(() -> new FashionMNIST<>(root, true, null, true, opts))
                    .isInstanceOf(UncheckedIOException.class)
                    .hasCauseExactlyInstanceOf(ChecksumException.class)
                    .hasMessageContaining("expected MD5 8d4fb7e6c68d591d4c3dfef9ec88bf0d")
                    .hasMessageContaining("To use FashionMNIST offline, place these files in "
                            + root.resolve("FashionMNIST/raw").toAbsolutePath())
                    .hasMessageContaining("http://fashion-mnist.s3-website.eu-central-1.amazonaws.com/train-images-idx3-ubyte.gz");
        }
        try (var files = Files.list(root.resolve("FashionMNIST/raw"))) {
            assertThat(files).isEmpty();
        }
    }
}
