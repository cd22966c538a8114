package dev.antorcha.nn;

import dev.antorcha.Antorcha;
import dev.antorcha.tensor.Tensor;
import java.io.BufferedInputStream;
import java.io.DataInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.zip.GZIPInputStream;

/**
 * Test-only reader of the committed MNIST fixture ({@code testdata/mnist-small}: gzip'ed IDX
 * files, train[0:1000] and t10k[0:200]). The folder comes from the system property
 * {@code antorcha.testdata} (set by the parent pom), else {@code ../testdata} relative to the
 * module directory.
 */
final class MnistFixture {
    static final int IMAGES_MAGIC = 2051;
    static final int LABELS_MAGIC = 2049;

    /** Images {@code [N, 1, 28, 28]} float32 in [0, 1] and labels {@code [N]} int64. */
    record Split(Tensor images, Tensor labels) {
        int size() {
            return images.size(0);
        }
    }

    private MnistFixture() {
    }

    static Path folder() {
        String p = System.getProperty("antorcha.testdata");
        Path base = p != null && !p.isBlank() ? Path.of(p) : Path.of("..", "testdata");
        return base.resolve("mnist-small");
    }

    static Split train() throws IOException {
        return split("train");
    }

    static Split test() throws IOException {
        return split("t10k");
    }

    private static Split split(String prefix) throws IOException {
        Path dir = folder();
        Tensor images = readImages(dir.resolve(prefix + "-images-idx3-ubyte.gz"));
        Tensor labels = readLabels(dir.resolve(prefix + "-labels-idx1-ubyte.gz"));
        if (images.size(0) != labels.size(0)) {
            throw new IOException(prefix + ": " + images.size(0) + " images but " + labels.size(0) + " labels");
        }
        return new Split(images, labels);
    }

    /** pixel / 255 as float32, {@code [N, 1, rows, cols]}. */
    static Tensor readImages(Path file) throws IOException {
        try (DataInputStream in = open(file)) {
            int magic = in.readInt();
            if (magic != IMAGES_MAGIC) throw new IOException(file + ": bad magic " + magic + ", expected " + IMAGES_MAGIC);
            int n = in.readInt(), rows = in.readInt(), cols = in.readInt();
            if (n <= 0 || rows != 28 || cols != 28) throw new IOException(file + ": unexpected dims " + n + "x" + rows + "x" + cols);
            byte[] raw = new byte[n * rows * cols];
            in.readFully(raw);
            if (in.read() != -1) throw new IOException(file + ": trailing bytes after " + n + " images");
            float[] px = new float[raw.length];
            for (int i = 0; i < raw.length; i++) px[i] = (raw[i] & 0xFF) / 255f;
            return Antorcha.tensor(px, n, 1, rows, cols);
        }
    }

    /** int64 class labels {@code [N]}. */
    static Tensor readLabels(Path file) throws IOException {
        try (DataInputStream in = open(file)) {
            int magic = in.readInt();
            if (magic != LABELS_MAGIC) throw new IOException(file + ": bad magic " + magic + ", expected " + LABELS_MAGIC);
            int n = in.readInt();
            byte[] raw = new byte[n];
            in.readFully(raw);
            if (in.read() != -1) throw new IOException(file + ": trailing bytes after " + n + " labels");
            long[] labels = new long[n];
            for (int i = 0; i < n; i++) {
                labels[i] = raw[i] & 0xFF;
                if (labels[i] > 9) throw new IOException(file + ": label " + labels[i] + " at " + i);
            }
            return Antorcha.tensor(labels, n);
        }
    }

    private static DataInputStream open(Path file) throws IOException {
        InputStream raw = Files.newInputStream(file);
        return new DataInputStream(new BufferedInputStream(new GZIPInputStream(raw)));
    }
}
