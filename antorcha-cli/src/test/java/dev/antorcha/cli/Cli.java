package dev.antorcha.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.zip.GZIPInputStream;

/** Runs {@link Main#run} in-process with stdout and stderr captured; builds the MNIST fixture root. */
final class Cli {
    static final List<String> MNIST_FILES = List.of("train-images-idx3-ubyte", "train-labels-idx1-ubyte",
            "t10k-images-idx3-ubyte", "t10k-labels-idx1-ubyte");

    private Cli() {
    }

    /** What a run gave: exit code, stdout and stderr. */
    record Result(int code, String out, String err) {
        List<String> outLines() {
            return lines(out);
        }

        List<String> errLines() {
            return lines(err);
        }

        private static List<String> lines(String s) {
            return s.isEmpty() ? List.of() : Arrays.asList(s.split("\\R"));
        }

        @Override
        public String toString() {
            return "exit " + code + "\n--- stdout ---\n" + out + "--- stderr ---\n" + err;
        }
    }

    /** Runs the command line; System.out/err are redirected before Main creates its CommandLine. */
    static Result run(String... args) {
        PrintStream oldOut = System.out, oldErr = System.err;
        var out = new ByteArrayOutputStream();
        var err = new ByteArrayOutputStream();
        int code;
        try {
            System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
            System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
            code = Main.run(args);
        } finally {
            System.out.flush();
            System.err.flush();
            System.setOut(oldOut);
            System.setErr(oldErr);
        }
        return new Result(code, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }

    /** Like {@link #run} but asserts exit 0. */
    static Result ok(String... args) {
        Result r = run(args);
        assertThat(r.code()).as("%s", r).isZero();
        return r;
    }

    /** The committed fixture: train[0:1000] and t10k[0:200] of MNIST as .gz IDX files. */
    static Path fixture() {
        String p = System.getProperty("antorcha.testdata");
        Path dir = null;
        if (p != null) {
            dir = Path.of(p);
            if (Files.isDirectory(dir.resolve("mnist-small"))) dir = dir.resolve("mnist-small");
        }
        // Run from the module's folder, the reactor-root property may point to the wrong place.
        if (dir == null || !Files.isRegularFile(dir.resolve("train-images-idx3-ubyte.gz"))) {
            dir = Path.of("..", "testdata", "mnist-small");
        }
        assertThat(dir.resolve("train-images-idx3-ubyte.gz")).as("committed MNIST fixture").isRegularFile();
        return dir;
    }

    /**
     * {@code root/MNIST/raw} holding the fixture's four files decompressed, so that MNIST never
     * downloads (download() does nothing when the decompressed files exist); returns {@code root}.
     */
    static Path mnistRoot(Path root) {
        try {
            Path raw = Files.createDirectories(root.resolve("MNIST").resolve("raw"));
            for (String f : MNIST_FILES) Files.write(raw.resolve(f), gunzip(fixture().resolve(f + ".gz")));
            return root;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static byte[] gunzip(Path gz) {
        try (InputStream in = new GZIPInputStream(Files.newInputStream(gz))) {
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Test image {@code i} of the fixture (28x28 bytes, row-major) and its label. */
    static byte[] testImage(int i) {
        byte[] idx = gunzip(fixture().resolve("t10k-images-idx3-ubyte.gz"));
        return Arrays.copyOfRange(idx, 16 + i * 784, 16 + (i + 1) * 784);
    }

    static int testLabel(int i) {
        return gunzip(fixture().resolve("t10k-labels-idx1-ubyte.gz"))[8 + i] & 0xFF;
    }

    /** Files of {@code dir} whose names look like temporary files (the atomic writes' leftovers). */
    static List<Path> tempFiles(Path dir) {
        try (var s = Files.list(dir)) {
            return s.filter(f -> {
                String n = f.getFileName().toString();
                return n.endsWith(".tmp") || n.endsWith(".part") || n.startsWith(".");
            }).toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Every iteration's loss from a CSV written by {@code train --losses}. */
    static List<String> csv(Path file) {
        try {
            return Files.readAllLines(file, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
