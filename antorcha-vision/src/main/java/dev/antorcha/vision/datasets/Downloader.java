package dev.antorcha.vision.datasets;

import java.io.IOException;
import java.io.InputStream;
import java.io.InterruptedIOException;
import java.net.ConnectException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpResponse.BodySubscribers;
import java.net.http.HttpTimeoutException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Flow;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.regex.Pattern;

/**
 * Fetches files from a list of mirrors and verifies their MD5, torchvision's
 * {@code download_url} with its mirror loop. For each file:
 * <ol>
 * <li>a file already under the final name with the right MD5 is kept (not downloaded again);</li>
 * <li>each mirror is tried in order: the body streams into {@code NAME.part} in the target folder
 *     while its MD5 is computed, and only a complete transfer with the expected MD5 is moved
 *     (atomically) to {@code NAME};</li>
 * <li>a failed, corrupted, stalled or interrupted transfer deletes {@code NAME.part}, so nothing
 *     partial is ever left under the final name, and a later run starts cleanly.</li>
 * </ol>
 *
 * <pre>{@code
 * try (var d = new Downloader(DownloadOptions.defaults().withMirrors(List.of("http://127.0.0.1:8765/")))) {
 *     d.download("train-labels-idx1-ubyte.gz", "d53e105ee54ea40749a09fcbcd1e9432", rawDir);
 * }
 * }</pre>
 */
public final class Downloader implements AutoCloseable {
    private static final String USER_AGENT = "antorcha-vision (java.net.http)";
    private static final Pattern MD5 = Pattern.compile("[0-9a-fA-F]{32}");
    private static final long POLL_MS = 100;

    private final DownloadOptions options;
    private final HttpClient client;

    /** @throws IllegalArgumentException when {@code options} names no mirror */
    public Downloader(DownloadOptions options) {
        if (options.mirrors().isEmpty()) throw new IllegalArgumentException("Downloader needs at least one mirror");
        this.options = options;
        this.client = HttpClient.newBuilder()
                .connectTimeout(options.connectTimeout())
                .followRedirects(HttpClient.Redirect.NORMAL)
                .version(HttpClient.Version.HTTP_1_1)
                .build();
    }

    /**
     * Makes {@code dir/fileName} a verified copy of the file, fetching it from the first mirror
     * that delivers it intact.
     *
     * @return the verified file
     * @throws ChecksumException when no mirror delivered it intact and one served wrong bytes
     * @throws DownloadException when no mirror could deliver it (the message lists each URL and why)
     * @throws IOException       when {@code dir} cannot be written
     */
    public Path download(String fileName, String md5, Path dir) throws IOException {
        if (fileName.isEmpty() || fileName.contains("/") || fileName.contains("\\") || fileName.startsWith(".")) {
            throw new IllegalArgumentException("expected a plain file name, got '" + fileName + "'");
        }
        if (!MD5.matcher(md5).matches()) throw new IllegalArgumentException("not an MD5 (32 hex digits): " + md5);
        String expected = md5.toLowerCase();
        ProgressListener progress = options.progress();
        Path target = dir.resolve(fileName);
        if (Files.isRegularFile(target)) {
            String actual = md5(target);
            if (actual.equals(expected)) {
                progress.message("Using downloaded and verified file: " + target);
                return target;
            }
            progress.message(target + " has MD5 " + actual + ", expected " + expected + ": downloading it again");
        }
        Files.createDirectories(dir);
        Path part = dir.resolve(fileName + ".part");
        StringBuilder failures = new StringBuilder();
        String badMd5 = null;
        for (String mirror : options.mirrors()) {
            URI uri = URI.create(mirror + fileName);
            progress.message("Downloading " + uri + " to " + target);
            String why;
            try {
                String actual = fetch(uri, fileName, part);
                if (actual.equals(expected)) {
                    moveAtomically(part, target);
                    return target;
                }
                badMd5 = actual;
                why = "checksum mismatch: expected MD5 " + expected + ", got " + actual;
            } catch (InterruptedIOException e) {
                Files.deleteIfExists(part);
                throw e;
            } catch (IOException e) {
                why = describe(e);
            }
            Files.deleteIfExists(part);
            progress.message("Failed to download " + uri + " (" + why + ")"
                    + (mirror.equals(options.mirrors().getLast()) ? "" : ", trying the next mirror"));
            failures.append("\n  ").append(uri).append(": ").append(why);
        }
        String message = "Could not download " + fileName + " into " + dir + ":" + failures;
        if (badMd5 != null) throw new ChecksumException(fileName, expected, badMd5, message);
        throw new DownloadException(fileName, message);
    }

    /** One transfer into {@code part}; returns the MD5 of the bytes received. */
    private String fetch(URI uri, String fileName, Path part) throws IOException {
        MessageDigest md = newMd5();
        try (FileChannel ch = FileChannel.open(part, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                StandardOpenOption.TRUNCATE_EXISTING)) {
            Sink sink = new Sink(ch, md);
            HttpRequest request = HttpRequest.newBuilder(uri).timeout(options.readTimeout())
                    .header("User-Agent", USER_AGENT).GET().build();
            options.progress().progress(fileName, 0, -1);
            CompletableFuture<HttpResponse<Void>> response = client.sendAsync(request, info -> {
                sink.total = info.headers().firstValueAsLong("Content-Length").orElse(-1);
                sink.status = info.statusCode();
                return info.statusCode() == 200 ? BodySubscribers.fromSubscriber(sink) : BodySubscribers.discarding();
            });
            HttpResponse<Void> r = await(response, sink, fileName);
            if (r.statusCode() != 200) throw new IOException("HTTP " + r.statusCode());
            long got = sink.bytes, total = sink.total;
            if (total >= 0 && got != total) {
                throw new IOException("transfer ended after " + got + " of " + total + " bytes");
            }
            ch.force(true);   // the bytes are on disk before the file gets its final name
            options.progress().progress(fileName, got, got);
            return HexFormat.of().formatHex(md.digest());
        }
    }

    /** Waits for the transfer, reporting progress on this thread and cancelling it when data stops coming. */
    private HttpResponse<Void> await(CompletableFuture<HttpResponse<Void>> response, Sink sink, String fileName)
            throws IOException {
        CompletableFuture<Object> either = CompletableFuture.anyOf(response, sink.failure);
        long readNanos = options.readTimeout().toNanos();
        long lastBytes = 0, lastChange = System.nanoTime();
        while (true) {
            try {
                either.get(POLL_MS, TimeUnit.MILLISECONDS);
                return response.join();
            } catch (TimeoutException e) {
                long now = System.nanoTime(), b = sink.bytes;
                if (b != lastBytes) {
                    lastBytes = b;
                    lastChange = now;
                    options.progress().progress(fileName, b, sink.total);
                } else if (sink.status != 0 && now - lastChange > readNanos) {
                    sink.cancel();
                    response.cancel(true);
                    throw new HttpTimeoutException("no data for " + options.readTimeout().toMillis() / 1000.0
                            + " s after " + b + " bytes (read timeout)");
                }
            } catch (ExecutionException | java.util.concurrent.CompletionException e) {
                Throwable c = e.getCause() != null ? e.getCause() : e;
                if (c instanceof IOException io) throw io;
                throw new IOException(describe(c), c);
            } catch (InterruptedException e) {
                sink.cancel();
                response.cancel(true);
                Thread.currentThread().interrupt();
                throw new InterruptedIOException("download of " + fileName + " was interrupted");
            }
        }
    }

    /** Writes the body to the file and the digest as it arrives (on the client's threads). */
    private static final class Sink implements Flow.Subscriber<List<ByteBuffer>> {
        final FileChannel ch;
        final MessageDigest md;
        final CompletableFuture<Void> failure = new CompletableFuture<>();
        volatile Flow.Subscription subscription;
        volatile boolean cancelled;
        volatile long bytes;
        volatile long total = -1;
        volatile int status;

        Sink(FileChannel ch, MessageDigest md) {
            this.ch = ch;
            this.md = md;
        }

        @Override
        public void onSubscribe(Flow.Subscription s) {
            subscription = s;
            if (cancelled) s.cancel();
            else s.request(1);
        }

        @Override
        public void onNext(List<ByteBuffer> items) {
            try {
                long n = bytes;
                for (ByteBuffer b : items) {
                    md.update(b.duplicate());
                    while (b.hasRemaining()) n += ch.write(b);
                }
                bytes = n;
                subscription.request(1);
            } catch (IOException e) {
                failure.completeExceptionally(e);
                cancel();
            }
        }

        @Override
        public void onError(Throwable t) {
            // reported through the response future
        }

        @Override
        public void onComplete() {
            // reported through the response future
        }

        void cancel() {
            cancelled = true;
            Flow.Subscription s = subscription;
            if (s != null) s.cancel();
        }
    }

    /** The MD5 of {@code file} as 32 lowercase hex digits. */
    public static String md5(Path file) throws IOException {
        MessageDigest md = newMd5();
        try (InputStream in = Files.newInputStream(file)) {
            byte[] buf = new byte[1 << 16];
            for (int r; (r = in.read(buf)) > 0; ) md.update(buf, 0, r);
        }
        return HexFormat.of().formatHex(md.digest());
    }

    private static MessageDigest newMd5() {
        try {
            return MessageDigest.getInstance("MD5");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("this JVM has no MD5", e);   // every Java SE has it
        }
    }

    /** Renames {@code from} to {@code to} in one step where the file system can. */
    static void moveAtomically(Path from, Path to) throws IOException {
        try {
            Files.move(from, to, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (AtomicMoveNotSupportedException e) {
            Files.move(from, to, StandardCopyOption.REPLACE_EXISTING);
        }
    }

    /** A short reason: each distinct message down the cause chain. */
    static String describe(Throwable t) {
        StringBuilder sb = new StringBuilder();
        for (Throwable c = t; c != null && sb.length() < 500; c = c.getCause() == c ? null : c.getCause()) {
            String m = c.getMessage();
            if (m == null && c instanceof ConnectException) m = "connection refused";
            if (m == null || sb.indexOf(m) >= 0) continue;
            if (!sb.isEmpty()) sb.append(": ");
            // A plain IOException's name adds nothing; ConnectException, EOFException... do.
            if (c.getClass() != IOException.class) sb.append(c.getClass().getSimpleName()).append(": ");
            sb.append(m);
        }
        return sb.isEmpty() ? t.getClass().getSimpleName() : sb.toString();
    }

    /** Stops the HTTP client's threads and any transfer still running. */
    @Override
    public void close() {
        client.shutdownNow();
    }
}
