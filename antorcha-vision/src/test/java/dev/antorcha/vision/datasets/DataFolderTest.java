package dev.antorcha.vision.datasets;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.antorcha.vision.datasets.LocalMirror.Fault;
import dev.antorcha.vision.transforms.Image;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * The data folder's failure paths: files that cannot be written, damaged or missing files,
 * interrupted transfers and their {@code .part} files. A data set of the family whose MD5s are
 * the committed fixture's (computed here with the JDK's MD5) lets downloads from a mirror on
 * 127.0.0.1 succeed.
 */
class DataFolderTest {
    private static final List<String> PLAIN = TestData.MNIST_FILES.stream().map(f -> f.substring(0, f.length() - 3)).toList();

    @TempDir Path root;
    private Path raw;
    private final List<String> lines = new CopyOnWriteArrayList<>();

    /** The fixture as a data set of its own: {@code root/SMALL/raw}, with the fixture's MD5s. */
    static final class Small<X> extends MNIST<X> {
        static final MnistSpec SPEC = smallSpec();

        Small(Path root, boolean train, boolean download, DownloadOptions options) {
            super(SPEC, root, train, null, download, options);
        }

        private static MnistSpec smallSpec() {
            List<MnistSpec.Resource> rs = new ArrayList<>();
            for (String f : TestData.MNIST_FILES) rs.add(new MnistSpec.Resource(f, md5(TestData.fixture().resolve(f))));
            return new MnistSpec("SMALL", List.of("http://127.0.0.1:9/"), rs,
                    List.of("0", "1", "2", "3", "4", "5", "6", "7", "8", "9"));
        }
    }

    static String md5(Path file) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("MD5").digest(Files.readAllBytes(file)));
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    @BeforeEach
    void setUp() {
        raw = root.resolve("SMALL").resolve("raw");
    }

    private DownloadOptions options(String mirror) {
        return DownloadOptions.defaults().withMirrors(List.of(mirror))
                .withTimeouts(Duration.ofSeconds(5), Duration.ofSeconds(5))
                .withProgress(ProgressListener.lines(lines::add));
    }

    private Path copyFixtureGz() throws IOException {
        Files.createDirectories(raw);
        for (String f : TestData.MNIST_FILES) Files.copy(TestData.fixture().resolve(f), raw.resolve(f));
        return raw;
    }

    private List<String> files() throws IOException {
        try (Stream<Path> s = Files.list(raw)) {
            return s.map(p -> p.getFileName().toString()).sorted().toList();
        }
    }

    private static byte[] fixturePlain(String name) {
        return TestData.gunzip(TestData.fixture().resolve(name + ".gz"));
    }

    private static byte[] body(byte[] idx, int header) {
        return Arrays.copyOfRange(idx, header, idx.length);
    }

    // ---- decompressed files that cannot be written ---------------------------------------

    @Test
    void aDecompressedFileThatCannotBeWrittenIsReadFromItsGzAndTheWarningSaysWhy() throws IOException {
        copyFixtureGz();
        for (String f : PLAIN) Files.createDirectories(raw.resolve(f).resolve("in-the-way"));
        try (LocalMirror m = LocalMirror.serving(TestData.fixture())) {
            MNIST<Image> train = new Small<>(root, true, true, options(m.url()));
            MNIST<Image> test = new Small<>(root, false, true, options(m.url()));
            assertThat(m.totalHits()).as("the verified .gz files are used, nothing is downloaded").isZero();
            assertThat(train.images()).isEqualTo(body(fixturePlain("train-images-idx3-ubyte"), 16));
            assertThat(test.labels()).isEqualTo(body(fixturePlain("t10k-labels-idx1-ubyte"), 8));
        }
        Path images = raw.resolve("train-images-idx3-ubyte");
        assertThat(lines).filteredOn(l -> l.startsWith("Cannot write")).containsExactly("Cannot write " + images
                + ": a directory is in the way (train-images-idx3-ubyte is a directory); remove or rename it. Reading "
                + "train-images-idx3-ubyte.gz into memory instead (again at each start until the decompressed file "
                + "can be written).");
        assertThat(files()).noneMatch(f -> f.endsWith(".part"));
    }

    @Test
    void aFullDiskAFolderThatRefusesFilesAndAFileInThePathAreSaidAsSuch() throws IOException {
        // The JDK's own exceptions for a real full device and a real folder that cannot hold files.
        Path full = Path.of("/dev/full");
        assumeTrue(Files.isWritable(full), "skipped: no /dev/full on this machine");
        IOException enospc = assertThrowsIo(() -> Files.write(full, new byte[1 << 16]));
        assertThat(new CannotWriteException(raw.resolve("x"), enospc).getMessage()).isEqualTo("cannot write "
                + raw.resolve("x") + ": the disk is full (No space left on device); free some space, or use a data "
                + "folder on another disk");

        // sysfs refuses new files even to root, as a read-only folder refuses them to a user.
        Path sys = Path.of("/sys/kernel");
        if (Files.isDirectory(sys)) {
            assertThatThrownBy(() -> PartFile.create(sys.resolve("antorcha-train-images")))
                    .isInstanceOf(CannotWriteException.class)
                    .hasMessage("cannot write " + sys.resolve("antorcha-train-images") + ": permission denied: the folder "
                            + "is read-only for this user; make it writable, or use another data folder");
        }

        Path aFile = Files.writeString(root.resolve("a-file"), "x");
        assertThatThrownBy(() -> PartFile.create(aFile.resolve("train-images-idx3-ubyte")))
                .isInstanceOf(CannotWriteException.class)
                .hasMessage("cannot write " + aFile.resolve("train-images-idx3-ubyte") + ": a part of the path is a "
                        + "file, not a folder (" + aFile.resolve("train-images-idx3-ubyte.part") + ": Not a directory); "
                        + "use another data folder");
    }

    private static IOException assertThrowsIo(IoAction a) {
        try {
            a.run();
        } catch (IOException e) {
            return e;
        }
        throw new AssertionError("expected an IOException");
    }

    private interface IoAction {
        void run() throws IOException;
    }

    /**
     * The launcher's heap (128 MB, serial collector) holds both MNIST splits read from the .gz
     * files when the decompressed files cannot be written: it used to end in an OutOfMemoryError.
     */
    @Test
    void theFullMnistFromItsGzFilesFitsTheLaunchersHeap() throws Exception {
        Path shared = TestData.sharedMnist();
        Path mnistRaw = Files.createDirectories(root.resolve("MNIST/raw"));
        for (String f : TestData.MNIST_FILES) Files.copy(shared.resolve(f), mnistRaw.resolve(f));
        for (String f : PLAIN) Files.createDirectories(mnistRaw.resolve(f).resolve("in-the-way"));
        String java = ProcessHandle.current().info().command().orElse("java");
        Process p = new ProcessBuilder(java, "--add-modules", "jdk.incubator.vector", "-XX:+UseSerialGC", "-Xmx128m",
                "-cp", System.getProperty("java.class.path"), LowHeapMain.class.getName(), root.toString())
                .redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes());
        assertThat(p.waitFor(5, TimeUnit.MINUTES)).isTrue();
        assertThat(p.exitValue()).as(out).isZero();
        assertThat(out).contains("60000 10000").contains("Cannot write " + mnistRaw.resolve("train-images-idx3-ubyte")
                + ": a directory is in the way").doesNotContain("OutOfMemoryError");
    }

    /** Run by the test above in a JVM of its own: both splits, as the tutorial loads them. */
    static final class LowHeapMain {
        public static void main(String[] args) {
            var opts = DownloadOptions.defaults().withMirrors(List.of("http://127.0.0.1:9/"));
            var train = new MNIST<Image>(Path.of(args[0]), true, null, true, opts);
            var test = new MNIST<Image>(Path.of(args[0]), false, null, true, opts);
            System.out.println(train.size() + " " + test.size());
        }
    }

    // ---- damaged files are fetched again -------------------------------------------------

    @Test
    void aTruncatedDecompressedFileWithoutItsGzIsDownloadedAgain() throws IOException {
        try (LocalMirror m = LocalMirror.serving(TestData.fixture())) {
            new Small<Image>(root, true, true, options(m.url()));
            assertThat(m.hits("train-images-idx3-ubyte.gz")).isEqualTo(1);
            Path images = raw.resolve("train-images-idx3-ubyte");
            byte[] full = Files.readAllBytes(images);
            Files.delete(raw.resolve("train-images-idx3-ubyte.gz"));
            Files.write(images, Arrays.copyOf(full, 5000));   // a killed process, a full disk

            MNIST<Image> again = new Small<>(root, true, true, options(m.url()));
            assertThat(m.hits("train-images-idx3-ubyte.gz")).isEqualTo(2);
            assertThat(images).binaryContent().isEqualTo(fixturePlain("train-images-idx3-ubyte"));
            assertThat(again.images()).isEqualTo(body(full, 16));
            assertThat(lines).contains(images + ": truncated: the header (1000 x 28 x 28) needs 784016 bytes, "
                    + "the file has 5000; fetching it again");
        }
        assertThat(files()).containsExactlyElementsOf(Stream.concat(TestData.MNIST_FILES.stream(), PLAIN.stream())
                .sorted().toList());
    }

    @Test
    void aCorruptGzIsDownloadedAgain() throws IOException {
        copyFixtureGz();
        Path gz = raw.resolve("train-labels-idx1-ubyte.gz");
        byte[] g = Files.readAllBytes(gz);
        g[g.length / 2] ^= 0x55;
        Files.write(gz, g);
        try (LocalMirror m = LocalMirror.serving(TestData.fixture())) {
            MNIST<Image> train = new Small<>(root, true, true, options(m.url()));
            assertThat(m.hits("train-labels-idx1-ubyte.gz")).isEqualTo(1);
            assertThat(m.totalHits()).isEqualTo(1);
            assertThat(train.labels()).isEqualTo(body(fixturePlain("train-labels-idx1-ubyte"), 8));
        }
        assertThat(gz).hasSameBinaryContentAs(TestData.fixture().resolve("train-labels-idx1-ubyte.gz"));
    }

    // ---- .part files ---------------------------------------------------------------------

    @Test
    void aDownloadCutHalfWayLeavesNoPartFileAndStalePartFilesAreRemoved() throws IOException {
        try (LocalMirror m = LocalMirror.serving(TestData.fixture()).fault("t10k-images-idx3-ubyte.gz", Fault.HALF_THEN_CLOSE)) {
            assertThatThrownBy(() -> new Small<Image>(root, true, true, options(m.url())))
                    .isInstanceOf(UncheckedIOException.class)
                    .hasCauseExactlyInstanceOf(DownloadException.class)
                    .hasMessageStartingWith("Could not download t10k-images-idx3-ubyte.gz into " + raw + ":\n  "
                            + m.url() + "t10k-images-idx3-ubyte.gz: the connection broke after ");
        }
        // The two files before it were complete: kept; nothing half-written.
        assertThat(files()).containsExactly("train-images-idx3-ubyte", "train-images-idx3-ubyte.gz",
                "train-labels-idx1-ubyte", "train-labels-idx1-ubyte.gz");

        // What a killed process leaves: a half transfer, a half decompression, and one of a file
        // that is complete already.
        Files.write(raw.resolve("t10k-images-idx3-ubyte.gz.part"), new byte[] {1, 2, 3});
        Files.write(raw.resolve("t10k-labels-idx1-ubyte.part"), new byte[] {4, 5, 6});
        Files.write(raw.resolve("train-images-idx3-ubyte.part"), new byte[] {7, 8, 9});
        try (LocalMirror m = LocalMirror.serving(TestData.fixture())) {
            MNIST<Image> test = new Small<>(root, false, true, options(m.url()));
            assertThat(test.images()).isEqualTo(body(fixturePlain("t10k-images-idx3-ubyte"), 16));
        }
        assertThat(files()).containsExactlyElementsOf(Stream.concat(TestData.MNIST_FILES.stream(), PLAIN.stream())
                .sorted().toList());
    }

    @Test
    void aDownloadKilledHalfWayLeavesNoPartFile() throws Exception {
        // SIGTERM, as Ctrl-C: the JVM runs its shutdown hooks, which delete the open .part file.
        try (LocalMirror m = LocalMirror.serving(TestData.fixture()).fault(null, Fault.STALL)) {
            String java = ProcessHandle.current().info().command().orElse("java");
            Process p = new ProcessBuilder(java, "--add-modules", "jdk.incubator.vector", "-cp",
                    System.getProperty("java.class.path"), StalledMain.class.getName(), root.toString(), m.url())
                    .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
            Path part = raw.resolve("train-images-idx3-ubyte.gz.part");
            while (!(Files.isRegularFile(part) && Files.size(part) > 0)) {
                assertThat(p.isAlive()).as("the download started").isTrue();
                Thread.sleep(20);
            }
            p.destroy();
            assertThat(p.waitFor(1, TimeUnit.MINUTES)).isTrue();
        }
        assertThat(files()).isEmpty();
    }

    /** Downloads SMALL from a stalling mirror until killed. */
    static final class StalledMain {
        public static void main(String[] args) {
            var opts = DownloadOptions.defaults().withMirrors(List.of(args[1]))
                    .withTimeouts(Duration.ofSeconds(60), Duration.ofSeconds(60));
            new Small<Image>(Path.of(args[0]), true, true, opts);
        }
    }

    // ---- every error names the file and the remedy ---------------------------------------

    @Test
    void aDirectoryWhereAFileShouldBe() throws IOException {
        Path images = Files.createDirectories(raw.resolve("train-images-idx3-ubyte"));
        assertThatThrownBy(() -> new Small<Image>(root, true, false, options(LocalMirror.deadUrl())))
                .isInstanceOf(UncheckedIOException.class)
                .hasMessage(images + " is a directory, not SMALL's IDX file; remove it, then pass download = true "
                        + "to fetch train-images-idx3-ubyte.gz, or place it there");
    }

    @Test
    void anUnreadableFile() throws IOException {
        // Root reads any file whatever its mode; /proc/self/mem is one that no one can read at offset 0.
        Path mem = Path.of("/proc/self/mem");
        assumeTrue(Files.isRegularFile(mem), "skipped: no /proc/self/mem on this machine");
        copyFixtureGz();
        Path labels = Files.createSymbolicLink(raw.resolve("train-labels-idx1-ubyte"), mem);
        assertThatThrownBy(() -> new Small<Image>(root, true, false, options(LocalMirror.deadUrl())))
                .isInstanceOf(UncheckedIOException.class)
                .hasMessageStartingWith("cannot read " + labels + ": ")
                .hasMessageEndingWith("; make it readable, or delete it and fetch it again");
    }

    @Test
    void aWrongMagicNumberNamesTheFileAndTheRemedy() throws IOException {
        copyFixtureGz();
        Files.delete(raw.resolve("train-labels-idx1-ubyte.gz"));
        // images where the labels should be
        Path labels = Files.write(raw.resolve("train-labels-idx1-ubyte"), fixturePlain("t10k-images-idx3-ubyte"));
        assertThatThrownBy(() -> new Small<Image>(root, true, false, options(LocalMirror.deadUrl())))
                .hasMessage(labels + ": wrong magic number 0x00000803 (3 dimension(s)) at offset 0, expected "
                        + "0x00000801 (IDX labels: unsigned byte, 1 dimension); delete it, then pass download = true "
                        + "to fetch it again, or place an intact train-labels-idx1-ubyte.gz (MD5 "
                        + Small.SPEC.labels(true).md5() + ") in " + raw);
    }

    @Test
    void withDownloadTheRemedyIsToRunAgain() throws IOException {
        try (LocalMirror m = LocalMirror.serving(TestData.fixture())) {
            new Small<Image>(root, false, true, options(m.url()));
        }
        Path labels = raw.resolve("t10k-labels-idx1-ubyte");
        byte[] l = Files.readAllBytes(labels);
        l[8 + 3] = (byte) 200;   // a header that agrees with the length, a label out of range
        Files.write(labels, l);
        assertThatThrownBy(() -> new Small<Image>(root, false, true, options(LocalMirror.deadUrl())))
                .hasMessage(labels + ": label 200 of item 3 (offset 11) is not a class of SMALL (0 to 9); delete "
                        + "t10k-images-idx3-ubyte and t10k-labels-idx1-ubyte (and their .gz) in " + raw
                        + " and run again: they will be downloaded again");
    }

    @Test
    void aDataFolderUnderARegularFileIsNamed() throws IOException {
        Path aFile = Files.writeString(root.resolve("data"), "x");
        try (LocalMirror m = LocalMirror.serving(TestData.fixture())) {
            assertThatThrownBy(() -> new Small<Image>(aFile, true, true, options(m.url())))
                    .isInstanceOf(UncheckedIOException.class)
                    .hasCauseInstanceOf(CannotWriteException.class)
                    .hasMessageStartingWith("cannot write " + aFile.resolve("SMALL/raw") + ": a part of the path is a file");
            assertThat(m.totalHits()).isZero();
        }
    }
}
