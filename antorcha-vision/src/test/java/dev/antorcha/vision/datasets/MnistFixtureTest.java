package dev.antorcha.vision.datasets;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.antorcha.data.Example;
import dev.antorcha.tensor.DType;
import dev.antorcha.tensor.Tensor;
import dev.antorcha.vision.transforms.Compose;
import dev.antorcha.vision.transforms.Image;
import dev.antorcha.vision.transforms.Normalize;
import dev.antorcha.vision.transforms.ToTensor;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;

/** MNIST over the committed fixture (train[0:1000], t10k[0:200]), without any network. */
class MnistFixtureTest {
    @TempDir Path root;

    @Test
    void loadsTheFixtureAndKeepsFilesAsTorchvisionDoes() throws IOException {
        Path raw = TestData.copyFixture(root);
        var train = new MNIST<>(root, true, new ToTensor(), false);
        var test = new MNIST<>(root.toString(), false, new ToTensor(), false);
        assertThat(train.size()).isEqualTo(1000);
        assertThat(test.size()).isEqualTo(200);
        assertThat(train.rawFolder()).isEqualTo(raw);
        long[] first = new long[10];
        for (int i = 0; i < 10; i++) first[i] = train.get(i).target();
        assertThat(first).containsExactly(5, 0, 4, 1, 9, 2, 1, 3, 1, 4);
        assertThat(test.targets()).startsWith(7, 2, 1, 0, 4, 1, 4, 9, 5, 9);

        // The decompressed files now sit next to the .gz, byte for byte what gunzip gives.
        for (String gz : TestData.MNIST_FILES) {
            Path plain = raw.resolve(gz.substring(0, gz.length() - 3));
            assertThat(plain).binaryContent().isEqualTo(TestData.gunzip(raw.resolve(gz)));
            assertThat(raw.resolve(plain.getFileName() + ".part")).doesNotExist();
        }
        // Later runs read the decompressed files; the .gz are not needed any more.
        for (String gz : TestData.MNIST_FILES) Files.delete(raw.resolve(gz));
        assertThat(new MNIST<>(root, true, null, false).size()).isEqualTo(1000);
    }

    @Test
    void pixelsAndLabelsMatchTheRawIdxBytes() throws IOException {
        TestData.copyFixture(root);
        MNIST<Image> train = new MNIST<>(root, true, null, false);
        byte[] rawImages = TestData.gunzip(TestData.fixture().resolve("train-images-idx3-ubyte.gz"));
        byte[] rawLabels = TestData.gunzip(TestData.fixture().resolve("train-labels-idx1-ubyte.gz"));
        assertThat(train.images()).isEqualTo(Arrays.copyOfRange(rawImages, 16, rawImages.length));
        assertThat(train.labels()).isEqualTo(Arrays.copyOfRange(rawLabels, 8, rawLabels.length));
        for (int i : new int[] {0, 1, 499, 999}) {
            Example<Image, Long> ex = train.get(i);
            Image img = ex.input();
            assertThat(img.width()).isEqualTo(28);
            assertThat(img.height()).isEqualTo(28);
            assertThat(img.channels()).isEqualTo(1);
            for (int y = 0; y < 28; y++) {
                for (int x = 0; x < 28; x++) {
                    assertThat(img.get(x, y)).isEqualTo(rawImages[16 + i * 784 + y * 28 + x] & 0xFF);
                }
            }
            assertThat(ex.target()).isEqualTo(rawLabels[8 + i]);
            assertThat(train.target(i)).isEqualTo(rawLabels[8 + i]);
        }
        assertThat(train.height()).isEqualTo(28);
        assertThat(train.width()).isEqualTo(28);
    }

    @Test
    void toTensorGivesOneByTwentyEightByTwentyEightInTheUnitRange() throws IOException {
        TestData.copyFixture(root);
        var train = new MNIST<>(root, true, new ToTensor(), false);
        Tensor x = train.get(0).input();
        assertThat(x.shape().toArray()).containsExactly(1, 28, 28);
        assertThat(x.dtype()).isEqualTo(DType.FLOAT32);
        float[] v = x.toFloatArray();
        for (int i = 0; i < v.length; i++) assertThat(v[i]).isEqualTo((train.images()[i] & 0xFF) / 255f);
        assertThat(x.min().item()).isEqualTo(0f);
        assertThat(x.max().item()).isEqualTo(1f);   // digit 5 has saturated strokes

        var normalized = new MNIST<>(root, true, Compose.of(new ToTensor(), new Normalize(0.1307f, 0.3081f)), false);
        float[] n = normalized.get(0).input().toFloatArray();
        assertThat(n[0]).isEqualTo((0f - 0.1307f) / 0.3081f);
        assertThat(normalized.toString()).isEqualTo("""
                Dataset MNIST
                    Number of datapoints: 1000
                    Root location: %s
                    Split: Train
                    StandardTransform
                Transform: Compose(
                    ToTensor()
                    Normalize(mean=[0.1307], std=[0.3081])
                )""".formatted(root));
    }

    @Test
    void accessorsAndBounds() throws IOException {
        TestData.copyFixture(root);
        var test = new MNIST<>(root, false, null, false);
        assertThat(test.classes()).hasSize(10).startsWith("0 - zero").endsWith("9 - nine");
        assertThat(test.classToIdx()).containsEntry("7 - seven", 7);
        assertThat(test.train()).isFalse();
        assertThat(test.spec()).isSameAs(MnistSpec.MNIST);
        assertThatThrownBy(() -> test.get(200))
                .isInstanceOf(IndexOutOfBoundsException.class)
                .hasMessage("index 200 is out of range for MNIST (test) with 200 samples");
        assertThatThrownBy(() -> test.get(-1)).isInstanceOf(IndexOutOfBoundsException.class);
    }

    @Test
    void missingFilesSayWhatToPlaceWhere() {
        Path raw = root.resolve("MNIST/raw");
        assertThatThrownBy(() -> new MNIST<>(root, true, new ToTensor(), false))
                .isInstanceOf(UncheckedIOException.class)
                .hasCauseInstanceOf(NoSuchFileException.class)
                .satisfies(e -> {
                    DatasetNotFoundException nf = (DatasetNotFoundException) e.getCause();
                    assertThat(nf.folder()).isEqualTo(raw);
                    assertThat(nf.missing()).containsExactly("train-images-idx3-ubyte.gz", "train-labels-idx1-ubyte.gz");
                    // Short lines, each file on its own, in Java's words rather than Python's.
                    List<String> lines = e.getMessage().lines().toList();
                    assertThat(lines.getFirst()).isEqualTo("Dataset not found: MNIST (train) is missing "
                            + "train-images-idx3-ubyte.gz, train-labels-idx1-ubyte.gz in " + raw + ".");
                    assertThat(lines).hasSize(6).allSatisfy(l -> assertThat(l.length()).isLessThan(250));
                    assertThat(lines.get(1)).startsWith("To download it, pass download = true. To use MNIST offline, "
                            + "place these files in " + raw.toAbsolutePath());
                    assertThat(lines.get(5)).isEqualTo("  t10k-labels-idx1-ubyte.gz  (MD5 ec29112dd5afa0611ce80d1b7f02629c) "
                            + "from http://yann.lecun.com/exdb/mnist/t10k-labels-idx1-ubyte.gz or "
                            + "https://ossci-datasets.s3.amazonaws.com/mnist/t10k-labels-idx1-ubyte.gz");
                })
                .message().doesNotContain("download=true");
        assertThatThrownBy(() -> new KMNIST<>(root, false, null, false))
                .hasMessageContaining(root.resolve("KMNIST/raw").toString())
                .hasMessageContaining("http://codh.rois.ac.jp/kmnist/dataset/kmnist/t10k-images-idx3-ubyte.gz");
    }

    @Test
    void offlineDownloadNamesTheFolderTheFilesAndTheUrls() throws IOException {
        String dead = LocalMirror.deadUrl();
        var opts = DownloadOptions.defaults().withMirrors(List.of(dead)).withProgress(ProgressListener.silent());
        assertThatThrownBy(() -> new MNIST<>(root, true, null, true, opts))
                .isInstanceOf(UncheckedIOException.class)
                .hasCauseExactlyInstanceOf(DownloadException.class)
                .hasMessageContaining("Could not download train-images-idx3-ubyte.gz")
                .hasMessageContaining("To use MNIST offline, place these files in " + root.resolve("MNIST/raw").toAbsolutePath())
                .hasMessageContaining("t10k-labels-idx1-ubyte.gz  (MD5 ec29112dd5afa0611ce80d1b7f02629c) from "
                        + dead + "t10k-labels-idx1-ubyte.gz or http://yann.lecun.com/exdb/mnist/t10k-labels-idx1-ubyte.gz");
        assertThat(root.resolve("MNIST/raw")).isEmptyDirectory();
    }

    @Test
    void aMirrorServingOtherBytesIsAChecksumError() throws IOException {
        // The fixture files are real MNIST, but cut: their MD5s are not torchvision's.
        try (LocalMirror m = LocalMirror.serving(TestData.fixture())) {
            var opts = DownloadOptions.defaults().withMirrors(List.of(m.url())).withProgress(ProgressListener.silent());
            assertThatThrownBy(() -> new MNIST<>(root, true, null, true, opts))
                    .isInstanceOf(UncheckedIOException.class)
                    .hasCauseExactlyInstanceOf(ChecksumException.class)
                    .hasMessageContaining("train-images-idx3-ubyte.gz")
                    .hasMessageContaining("expected MD5 f68b3c2dcbeaaa9fbdd348bbdeb94873, got "
                            + Downloader.md5(TestData.fixture().resolve("train-images-idx3-ubyte.gz")));
        }
        assertThat(root.resolve("MNIST/raw")).isEmptyDirectory();
    }

    @Test
    void aTruncatedFileOnDiskIsDecompressedAgainFromItsGzOrNamedWithTheRemedy() throws IOException {
        Path raw = TestData.copyFixture(root);
        List<String> lines = new java.util.concurrent.CopyOnWriteArrayList<>();
        var opts = DownloadOptions.defaults().withProgress(ProgressListener.lines(lines::add));
        new MNIST<>(root, true, null, false);   // decompresses
        Path images = raw.resolve("train-images-idx3-ubyte");
        byte[] full = Files.readAllBytes(images);
        Files.write(images, Arrays.copyOf(full, full.length - 100));
        // With its .gz beside it, the damaged copy is replaced (even offline: the .gz is the data set).
        MNIST<Image> repaired = new MNIST<>(root, true, null, false, opts);
        assertThat(repaired.images()).isEqualTo(Arrays.copyOfRange(full, 16, full.length));
        assertThat(images).binaryContent().isEqualTo(full);
        assertThat(lines).containsExactly(images + ": truncated: the header (1000 x 28 x 28) needs 784016 bytes, "
                + "the file has 783916; decompressing train-images-idx3-ubyte.gz again");

        // Without it, the message names the file, what is wrong and what to do.
        Files.delete(raw.resolve("train-images-idx3-ubyte.gz"));
        Files.write(images, Arrays.copyOf(full, full.length - 100));
        assertThatThrownBy(() -> new MNIST<>(root, true, null, false))
                .isInstanceOf(UncheckedIOException.class)
                .hasRootCauseInstanceOf(IdxFormatException.class)
                .hasMessage(images + ": truncated: the header (1000 x 28 x 28) needs 784016 bytes, the file has 783916; "
                        + "delete it, then pass download = true to fetch it again, or place an intact "
                        + "train-images-idx3-ubyte.gz (MD5 f68b3c2dcbeaaa9fbdd348bbdeb94873) in " + raw);

        Path gz = raw.resolve("t10k-images-idx3-ubyte.gz");
        byte[] g = Files.readAllBytes(gz);
        Files.write(gz, Arrays.copyOf(g, g.length - 200));
        assertThatThrownBy(() -> new MNIST<>(root, false, null, false))
                .hasMessageStartingWith(gz.toString())
                .hasMessageEndingWith("delete it, then pass download = true to fetch it again, or place an intact "
                        + "t10k-images-idx3-ubyte.gz (MD5 9fb629c4189551a2d022fa330f9573f3) in " + raw);
        assertThat(raw.resolve("t10k-images-idx3-ubyte")).doesNotExist();
    }

    @Test
    void inconsistentFilesAreRejected() throws IOException {
        Path raw = Files.createDirectories(root.resolve("MNIST/raw"));
        Path fx = TestData.fixture();
        Files.copy(fx.resolve("t10k-images-idx3-ubyte.gz"), raw.resolve("train-images-idx3-ubyte.gz"));
        Files.copy(fx.resolve("train-labels-idx1-ubyte.gz"), raw.resolve("train-labels-idx1-ubyte.gz"));
        assertThatThrownBy(() -> new MNIST<>(root, true, null, false))
                .hasMessageContaining("has 1000 labels but")
                .hasMessageContaining("has 200 images")
                .hasMessageEndingWith("; delete train-images-idx3-ubyte and train-labels-idx1-ubyte (and their .gz) in "
                        + raw + ", then pass download = true to fetch them again, or place intact copies");

        Files.write(raw.resolve("t10k-images-idx3-ubyte"), TestData.idx(8, new int[] {2, 28, 28}, new byte[2 * 784]));
        Files.write(raw.resolve("t10k-labels-idx1-ubyte"), TestData.idx(8, new int[] {2}, new byte[] {3, 10}));
        assertThatThrownBy(() -> new MNIST<>(root, false, null, false))
                .hasMessage(raw.resolve("t10k-labels-idx1-ubyte") + ": label 10 of item 1 (offset 9) is not a class of "
                        + "MNIST (0 to 9); delete t10k-images-idx3-ubyte and t10k-labels-idx1-ubyte (and their .gz) in "
                        + raw + ", then pass download = true to fetch them again, or place intact copies");
    }

    @Test
    void mirrorsCanBeReplacedLikeTorchvisionsClassAttribute() {
        assertThat(FashionMNIST.mirrors()).containsExactly("http://fashion-mnist.s3-website.eu-central-1.amazonaws.com/");
        try {
            FashionMNIST.setMirrors(List.of("http://127.0.0.1:9/fmnist"));
            assertThat(FashionMNIST.mirrors()).containsExactly("http://127.0.0.1:9/fmnist/");
            assertThat(MNIST.mirrors()).as("MNIST's own list is untouched").hasSize(2);
        } finally {
            FashionMNIST.setMirrors(null);
        }
        assertThat(FashionMNIST.mirrors()).hasSize(1);
    }
}
