package dev.antorcha.vision.datasets;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.antorcha.vision.datasets.LocalMirror.Fault;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.stream.Stream;

/** The downloader against mirrors on 127.0.0.1 serving the committed fixture files. */
class DownloaderTest {
    private static final String FILE = "train-images-idx3-ubyte.gz";   // 161 kB of real digits

    @TempDir Path tmp;
    private Path src;
    private Path dest;
    private String md5;
    private final List<String> lines = new CopyOnWriteArrayList<>();

    @BeforeEach
    void setUp() throws IOException {
        src = TestData.fixture();
        dest = tmp.resolve("raw");
        md5 = Downloader.md5(src.resolve(FILE));
    }

    private DownloadOptions options(String... mirrors) {
        return DownloadOptions.defaults().withMirrors(List.of(mirrors))
                .withTimeouts(Duration.ofSeconds(5), Duration.ofSeconds(5))
                .withProgress(ProgressListener.lines(lines::add));
    }

    private Path download(DownloadOptions opts) throws IOException {
        try (Downloader d = new Downloader(opts)) {
            return d.download(FILE, md5, dest);
        }
    }

    private List<String> destFiles() throws IOException {
        if (!Files.isDirectory(dest)) return List.of();
        try (Stream<Path> s = Files.list(dest)) {
            return s.map(p -> p.getFileName().toString()).sorted().toList();
        }
    }

    @Test
    void downloadsVerifiesAndReportsProgress() throws IOException {
        try (LocalMirror m = LocalMirror.serving(src)) {
            Path got = download(options(m.url()));
            assertThat(got).isEqualTo(dest.resolve(FILE)).hasSameBinaryContentAs(src.resolve(FILE));
            assertThat(destFiles()).containsExactly(FILE);
            assertThat(lines).anyMatch(l -> l.startsWith("Downloading " + m.url() + FILE))
                    .anyMatch(l -> l.startsWith(FILE + ": 100%"));
        }
    }

    @Test
    void aVerifiedFileIsNotDownloadedAgainButAWrongOneIs() throws IOException {
        try (LocalMirror m = LocalMirror.serving(src)) {
            download(options(m.url()));
            download(options(m.url()));
            assertThat(m.hits(FILE)).isEqualTo(1);
            assertThat(lines).anyMatch(l -> l.startsWith("Using downloaded and verified file"));

            Files.write(dest.resolve(FILE), new byte[] {1, 2, 3});
            download(options(m.url()));
            assertThat(m.hits(FILE)).isEqualTo(2);
            assertThat(dest.resolve(FILE)).hasSameBinaryContentAs(src.resolve(FILE));
        }
    }

    @Test
    void fallsBackToTheNextMirror() throws IOException {
        try (LocalMirror bad = LocalMirror.serving(src).fault(null, Fault.NOT_FOUND);
             LocalMirror good = LocalMirror.serving(src)) {
            download(options(bad.url(), good.url()));
            assertThat(bad.hits(FILE)).isEqualTo(1);
            assertThat(good.hits(FILE)).isEqualTo(1);
            assertThat(dest.resolve(FILE)).hasSameBinaryContentAs(src.resolve(FILE));
            assertThat(lines).anyMatch(l -> l.contains("HTTP 404") && l.contains("trying the next mirror"));
        }
    }

    @Test
    void followsRedirects() throws IOException {
        try (LocalMirror m = LocalMirror.serving(src).fault(FILE, Fault.REDIRECT)) {
            download(options(m.url()));
            assertThat(m.hits("moved/" + FILE)).isEqualTo(1);
            assertThat(dest.resolve(FILE)).hasSameBinaryContentAs(src.resolve(FILE));
        }
    }

    @Test
    void aRedirectLoopEndsWithAClearError() throws IOException {
        try (LocalMirror m = LocalMirror.serving(src).fault(FILE, Fault.REDIRECT_LOOP)) {
            assertThatThrownBy(() -> download(options(m.url())))
                    .isExactlyInstanceOf(DownloadException.class)
                    .hasMessageContaining(m.url() + FILE).hasMessageContaining("more than 10 redirects");
            assertThat(m.hits(FILE)).isEqualTo(11);
            assertThat(destFiles()).isEmpty();
        }
    }

    @Test
    void aCorruptedFileIsRejectedAndLeavesNothing() throws IOException {
        try (LocalMirror m = LocalMirror.serving(src).fault(FILE, Fault.CORRUPT)) {
            assertThatThrownBy(() -> download(options(m.url())))
                    .isInstanceOfSatisfying(ChecksumException.class, e -> {
                        assertThat(e.fileName()).isEqualTo(FILE);
                        assertThat(e.expectedMd5()).isEqualTo(md5);
                        assertThat(e.actualMd5()).isNotEqualTo(md5).hasSize(32);
                        assertThat(e.getMessage()).contains(FILE, m.url() + FILE, "checksum mismatch",
                                "expected MD5 " + md5, "got " + e.actualMd5());
                    });
            assertThat(destFiles()).isEmpty();
        }
    }

    @Test
    void anInterruptedTransferLeavesNoPartialFileAndALaterRunSucceeds() throws IOException {
        try (LocalMirror m = LocalMirror.serving(src).fault(FILE, Fault.HALF_THEN_CLOSE)) {
            assertThatThrownBy(() -> download(options(m.url())))
                    .isExactlyInstanceOf(DownloadException.class)
                    .hasMessageContaining(FILE).hasMessageContaining(m.url() + FILE);
            assertThat(destFiles()).isEmpty();
        }
        Files.write(dest.resolve(FILE + ".part"), new byte[] {9, 9, 9});   // as a killed process would leave it
        try (LocalMirror m = LocalMirror.serving(src)) {
            download(options(m.url()));
        }
        assertThat(destFiles()).containsExactly(FILE);
        assertThat(dest.resolve(FILE)).hasSameBinaryContentAs(src.resolve(FILE));
    }

    @Test
    void aStalledTransferTimesOut() throws IOException {
        try (LocalMirror m = LocalMirror.serving(src).fault(FILE, Fault.STALL)) {
            DownloadOptions opts = options(m.url()).withTimeouts(Duration.ofSeconds(5), Duration.ofMillis(300));
            assertThatThrownBy(() -> download(opts))
                    .isExactlyInstanceOf(DownloadException.class)
                    .hasMessageContaining("read timeout");
            assertThat(destFiles()).isEmpty();
        }
    }

    @Test
    void aSlowButSteadyTransferIsNotATimeout() throws IOException {
        // 2 s in all, a piece every 100 ms, with a 1 s read timeout: the timeout is between pieces,
        // not for the whole body (and ten times a gap, so a busy machine does not trip it).
        try (LocalMirror m = LocalMirror.serving(src).fault(FILE, Fault.SLOW)) {
            download(options(m.url()).withTimeouts(Duration.ofSeconds(5), Duration.ofSeconds(1)));
            assertThat(dest.resolve(FILE)).hasSameBinaryContentAs(src.resolve(FILE));
            assertThat(lines.stream().filter(l -> l.startsWith(FILE + ": "))).hasSizeGreaterThanOrEqualTo(5);
        }
    }

    @Test
    void noServerListeningNamesEachUrl() throws IOException {
        String dead = LocalMirror.deadUrl();
        assertThatThrownBy(() -> download(options(dead)))
                .isExactlyInstanceOf(DownloadException.class)
                .hasMessageContaining("Could not download " + FILE)
                .hasMessageContaining(dead + FILE)
                .hasMessageContaining("ConnectException");
        assertThat(destFiles()).isEmpty();
    }

    @Test
    void optionsAreValidated() {
        assertThat(DownloadOptions.defaults().withMirrors(List.of("http://h/x")).mirrors()).containsExactly("http://h/x/");
        assertThatThrownBy(() -> DownloadOptions.defaults().withMirrors(List.of("ftp://h/")))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("ftp://h/");
        assertThatThrownBy(() -> DownloadOptions.defaults().withTimeouts(Duration.ZERO, Duration.ofSeconds(1)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("connectTimeout must be positive, got PT0S");
        assertThatThrownBy(() -> new Downloader(DownloadOptions.defaults()))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("at least one mirror");
        try (Downloader d = new Downloader(options("http://127.0.0.1:1/"))) {
            assertThatThrownBy(() -> d.download("../x.gz", md5, dest)).isInstanceOf(IllegalArgumentException.class);
            assertThatThrownBy(() -> d.download(FILE, "abc", dest)).hasMessageContaining("not an MD5");
        }
    }

    @Test
    void progressLinesComeEveryTenth() {
        List<String> out = new CopyOnWriteArrayList<>();
        ProgressListener p = ProgressListener.lines(out::add);
        p.progress("f", 0, 1000);
        for (long b = 50; b <= 1000; b += 50) p.progress("f", b, 1000);
        assertThat(out).hasSize(10).first().isEqualTo("f: 10% (0.1 kB of 1.0 kB)");
        assertThat(out.getLast()).isEqualTo("f: 100% (1.0 kB of 1.0 kB)");
    }
}
