package dev.antorcha.vision.datasets;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.zip.GZIPInputStream;

/** Where the test data live, and small helpers that read them independently of the code under test. */
final class TestData {
    static final List<String> MNIST_FILES = List.of("train-images-idx3-ubyte.gz", "train-labels-idx1-ubyte.gz",
            "t10k-images-idx3-ubyte.gz", "t10k-labels-idx1-ubyte.gz");

    private TestData() {
    }

    /** The committed fixture: train[0:1000] and t10k[0:200] of MNIST as .gz IDX files. */
    static Path fixture() {
        String p = System.getProperty("antorcha.testdata");
        Path dir = p != null ? Path.of(p, "mnist-small") : null;
        // Run from the module's folder, the reactor-root property points to the wrong place.
        if (dir == null || !Files.isDirectory(dir)) dir = Path.of("..", "testdata", "mnist-small");
        assertThat(dir.resolve("train-images-idx3-ubyte.gz")).as("committed MNIST fixture").isRegularFile();
        return dir;
    }

    /** {@code ../shared/data/mnist}, the four original files; skips the test when absent. */
    static Path sharedMnist() {
        String p = System.getProperty("antorcha.shared");
        Path dir = p == null ? null : Path.of(p, "data", "mnist");
        boolean present = dir != null && MNIST_FILES.stream().allMatch(f -> Files.isRegularFile(dir.resolve(f)));
        String why = "skipped: the original MNIST files are not at " + dir + " (system property antorcha.shared + /data/mnist)";
        if (!present) System.out.println("SKIPPED " + why);   // visible in the build log too
        assumeTrue(present, why);
        return dir;
    }

    /** Copies the fixture's four .gz files into {@code root/MNIST/raw}; returns that folder. */
    static Path copyFixture(Path root) throws IOException {
        Path raw = Files.createDirectories(root.resolve("MNIST").resolve("raw"));
        for (String f : MNIST_FILES) Files.copy(fixture().resolve(f), raw.resolve(f));
        return raw;
    }

    /** The decompressed bytes of a .gz file, read with the JDK alone. */
    static byte[] gunzip(Path gz) {
        try (InputStream in = new GZIPInputStream(Files.newInputStream(gz))) {
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Big-endian int at {@code at}. */
    static int intAt(byte[] b, int at) {
        return (b[at] & 0xFF) << 24 | (b[at + 1] & 0xFF) << 16 | (b[at + 2] & 0xFF) << 8 | (b[at + 3] & 0xFF);
    }

    /** An IDX file: magic {@code 0x0000TTRR}, the dims, then {@code data}. */
    static byte[] idx(int type, int[] dims, byte[] data) {
        byte[] out = new byte[4 + 4 * dims.length + data.length];
        out[2] = (byte) type;
        out[3] = (byte) dims.length;
        for (int i = 0; i < dims.length; i++) putInt(out, 4 + 4 * i, dims[i]);
        System.arraycopy(data, 0, out, 4 + 4 * dims.length, data.length);
        return out;
    }

    static void putInt(byte[] b, int at, int v) {
        b[at] = (byte) (v >>> 24);
        b[at + 1] = (byte) (v >>> 16);
        b[at + 2] = (byte) (v >>> 8);
        b[at + 3] = (byte) v;
    }
}
