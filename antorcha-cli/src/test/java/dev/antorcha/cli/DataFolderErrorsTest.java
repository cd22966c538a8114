package dev.antorcha.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Collectors;
import javax.imageio.ImageIO;
import org.assertj.core.api.AbstractStringAssert;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The data folder through the command line: missing, damaged or unwritable files end in one
 * line in the command's words (its flags, not the library's {@code download} argument), and
 * every data set the README names can be chosen.
 */
class DataFolderErrorsTest {
    /** torchvision's KMNIST classes, in label order. */
    static final List<String> KMNIST_CLASSES = List.of("o", "ki", "su", "tsu", "na", "ha", "ma", "ya", "re", "wo");

    @TempDir
    Path tmp;

    private String[] outputs() {
        return new String[] {"--plot", tmp.resolve("p.png").toString(), "--save", tmp.resolve("w.safetensors").toString()};
    }

    private static String[] concat(String[] a, String... b) {
        String[] r = Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, r, a.length, b.length);
        return r;
    }

    private static AbstractStringAssert<?> oneLineError(String... args) {
        return ErrorPathsTest.oneLineError(1, args);
    }

    @Test
    void missingDataUnderNoDownloadIsOneShortLineInTheCommandsWords() {
        Path empty = tmp.resolve("empty");
        Path raw = empty.resolve("MNIST").resolve("raw");
        oneLineError(concat(new String[] {"train", "--root", empty.toString(), "--no-download", "--quiet"}, outputs()))
                .isEqualTo("Dataset not found: MNIST (train) is missing train-images-idx3-ubyte.gz, "
                        + "train-labels-idx1-ubyte.gz in " + raw + "; run without --no-download to download them, or "
                        + "copy MNIST's files (train-images-idx3-ubyte.gz, train-labels-idx1-ubyte.gz, "
                        + "t10k-images-idx3-ubyte.gz, t10k-labels-idx1-ubyte.gz) into that folder");
    }

    @Test
    void aFailedDownloadIsOneLineWithTheReasonAndTheOfflineRemedy() throws IOException {
        String dead = deadUrl();
        Path raw = tmp.resolve("fresh").resolve("MNIST").resolve("raw");
        oneLineError(concat(new String[] {"train", "--root", tmp.resolve("fresh").toString(), "--mirror", dead, "--quiet"},
                outputs()))
                .startsWith("Could not download train-images-idx3-ubyte.gz into " + raw + ": " + dead
                        + "train-images-idx3-ubyte.gz: ConnectException")
                .endsWith("; to work offline, copy MNIST's files (train-images-idx3-ubyte.gz, train-labels-idx1-ubyte.gz, "
                        + "t10k-images-idx3-ubyte.gz, t10k-labels-idx1-ubyte.gz) into that folder")
                .doesNotContain("download = true").hasSizeLessThan(500);
        assertThat(Cli.tempFiles(raw)).isEmpty();
    }

    @Test
    void aDamagedFileUnderNoDownloadNamesTheFileAndTheFlag() throws IOException {
        Path root = Cli.mnistRoot(tmp.resolve("data"));
        Path images = root.resolve("MNIST/raw/train-images-idx3-ubyte");
        byte[] b = Files.readAllBytes(images);
        Files.write(images, Arrays.copyOf(b, 1000));
        oneLineError(concat(new String[] {"train", "--root", root.toString(), "--no-download", "--quiet"}, outputs()))
                .isEqualTo(images + ": truncated: the header (1000 x 28 x 28) needs 784016 bytes, the file has 1000; "
                        + "delete it, then run without --no-download to fetch it again, or place an intact "
                        + "train-images-idx3-ubyte.gz (MD5 f68b3c2dcbeaaa9fbdd348bbdeb94873) in " + images.getParent());
    }

    /**
     * The launcher's JVM (128 MB heap, serial collector) on the whole MNIST with directories where
     * the decompressed files should go: both commands used to end in "out of memory ... -Xmx1g".
     */
    @Test
    void whenTheDecompressedFilesCannotBeWrittenTrainAndDownloadSaySoAndFitTheLaunchersHeap() throws Exception {
        String shared = System.getProperty("antorcha.shared");
        Path mnist = shared == null ? null : Path.of(shared, "data", "mnist");
        boolean present = mnist != null && Files.isRegularFile(mnist.resolve("train-images-idx3-ubyte.gz"));
        String why = "skipped: the original MNIST files are not at " + mnist + " (system property antorcha.shared + /data/mnist)";
        if (!present) System.out.println("SKIPPED " + why);
        assumeTrue(present, why);
        Path root = tmp.resolve("data"), raw = Files.createDirectories(root.resolve("MNIST/raw"));
        for (String f : Cli.MNIST_FILES) {
            Files.copy(mnist.resolve(f + ".gz"), raw.resolve(f + ".gz"));
            Files.createDirectories(raw.resolve(f).resolve("in-the-way"));
        }
        String cannot = "Cannot write " + raw.resolve("train-images-idx3-ubyte") + ": a directory is in the way";
        String train = launcher(concat(new String[] {"train", "--root", root.toString(), "--epochs", "1", "--quiet"}, outputs()));
        assertThat(train).contains(cannot).contains("test accuracy: ").doesNotContain("out of memory");
        String download = launcher("download", "mnist", "--root", root.toString());
        assertThat(download).contains(cannot).contains("mnist: 60000 training and 10000 test images in " + raw);
        assertThat(Cli.tempFiles(raw)).isEmpty();
    }

    /** Runs the command line in a JVM with the launcher's memory settings; returns its output, after asserting exit 0. */
    private static String launcher(String... args) throws Exception {
        String java = ProcessHandle.current().info().command().orElse("java");
        List<String> cmd = new java.util.ArrayList<>(List.of(java, "--add-modules", "jdk.incubator.vector",
                "-XX:+UseSerialGC", "-Xmx128m", "-cp", System.getProperty("java.class.path"), Main.class.getName()));
        cmd.addAll(List.of(args));
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes());
        assertThat(p.waitFor(5, TimeUnit.MINUTES)).isTrue();
        assertThat(p.exitValue()).as(out).isZero();
        return out;
    }

    // ---- KMNIST ----------------------------------------------------------------------------

    /** {@code root/KMNIST/raw} holding the MNIST fixture decompressed: KMNIST's shapes, read without download. */
    private Path kmnistRoot() throws IOException {
        Path root = tmp.resolve("k");
        Path raw = Files.createDirectories(root.resolve("KMNIST").resolve("raw"));
        for (String f : Cli.MNIST_FILES) Files.write(raw.resolve(f), Cli.gunzip(Cli.fixture().resolve(f + ".gz")));
        return root;
    }

    @Test
    void kmnistIsADatasetOfTrainEvalPredictAndDownload() throws Exception {
        Path root = kmnistRoot();
        Path weights = tmp.resolve("w.safetensors");
        Cli.ok(concat(new String[] {"train", "--dataset", "kmnist", "--root", root.toString(), "--no-download", "--epochs", "1",
                "--quiet"}, outputs()));
        Cli.Result eval = Cli.ok("eval", "--weights", weights.toString(), "--root", root.toString(), "--no-download");
        assertThat(eval.out()).contains("tsu").contains("wo");

        Path png = tmp.resolve("char.png");
        assertThat(ImageIO.write(PredictCommandTest.gray(Cli.testImage(0)), "png", png.toFile())).isTrue();
        Cli.Result predict = Cli.ok("predict", "--weights", weights.toString(), png.toString());
        String classes = KMNIST_CLASSES.stream().collect(Collectors.joining("|", "(", ")"));
        assertThat(predict.outLines()).singleElement().asString()
                .matches(java.util.regex.Pattern.quote(png.toString()) + ": " + classes + "  \\(" + classes + " .*");

        Cli.Result download = Cli.ok("download", "kmnist", "--root", root.toString());
        assertThat(download.outLines()).containsExactly("kmnist: 1000 training and 200 test images in "
                + root.resolve("KMNIST").resolve("raw"));
    }

    @Test
    void downloadKmnistFetchesKmnistsFilesAndChecksKmnistsMd5() throws IOException {
        // The mirror serves MNIST's fixture under KMNIST's names: the request is KMNIST's, the
        // bytes are not, and torchvision's KMNIST MD5 says so.
        Map<String, AtomicInteger> hits = new ConcurrentHashMap<>();
        HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/", ex -> {
            try (ex) {
                String name = ex.getRequestURI().getPath().substring(1);
                hits.computeIfAbsent(name, k -> new AtomicInteger()).incrementAndGet();
                Path f = Cli.fixture().resolve(name);
                if (name.contains("/") || !Files.isRegularFile(f)) {
                    ex.sendResponseHeaders(404, -1);
                    return;
                }
                byte[] body = Files.readAllBytes(f);
                ex.sendResponseHeaders(200, body.length);
                ex.getResponseBody().write(body);
            }
        });
        server.start();
        try {
            String url = "http://127.0.0.1:" + server.getAddress().getPort() + "/";
            Path root = tmp.resolve("kd"), raw = root.resolve("KMNIST").resolve("raw");
            Cli.Result r = Cli.run("download", "kmnist", "--root", root.toString(), "--mirror", url);
            assertThat(r.code()).as("%s", r).isEqualTo(1);
            assertThat(r.err()).as("%s", r).doesNotContain("\tat ");
            // download shows its progress; the error is the last line
            assertThat(r.errLines().getLast())
                    .startsWith("antorcha: Could not download train-images-idx3-ubyte.gz into " + raw + ": " + url
                            + "train-images-idx3-ubyte.gz: checksum mismatch: expected MD5 bdb82020997e1d708af4cf47b453dcf7, got ")
                    .contains("copy KMNIST's files");
            assertThat(hits.keySet()).containsExactly("train-images-idx3-ubyte.gz");
            try (var s = Files.list(raw)) {
                assertThat(s).as("nothing kept, nothing half-written").isEmpty();
            }
        } finally {
            server.stop(0);
        }
    }

    @Test
    void theHelpAndTheMessagesListEveryDataset() {
        List<String> options = Arrays.stream(DatasetChoice.values()).map(d -> d.option).toList();
        assertThat(DatasetChoice.NAMES.split(", | or ")).containsExactlyInAnyOrderElementsOf(options);
        assertThat(options).contains("kmnist");
        for (String command : List.of("train", "eval", "download")) {
            assertThat(Cli.ok(command, "--help").out()).as(command).contains(DatasetChoice.NAMES);
        }
        ErrorPathsTest.oneLineError(2, concat(new String[] {"train", "--dataset", "cifar", "--root", tmp.toString(), "--no-download"},
                outputs())).isEqualTo("unknown dataset 'cifar' (expected mnist, fashion-mnist or kmnist) (see 'antorcha train --help')");
    }

    /** A URL where nothing listens: the port of a socket just closed. */
    private static String deadUrl() throws IOException {
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return "http://127.0.0.1:" + s.getLocalPort() + "/";
        }
    }
}
