package dev.antorcha.vision.datasets;

import java.io.IOException;
import java.io.InputStream;
import java.io.InterruptedIOException;
import java.net.ConnectException;
import java.net.HttpURLConnection;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
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
 *     partial is ever left under the final name, and a later run starts cleanly (a {@code .part}
 *     file left by a killed process is replaced, see {@link PartFile}).</li>
 * </ol>
 * A file that cannot be written here (a full disk, a read-only folder) ends the download at once
 * with a {@link CannotWriteException}: another mirror would not help.
 *
 * <pre>{@code
 * try (var d = new Downloader(DownloadOptions.defaults().withMirrors(List.of("http://127.0.0.1:8765/")))) {
 *     d.download("train-labels-idx1-ubyte.gz", "d53e105ee54ea40749a09fcbcd1e9432", rawDir);
 * }
 * }</pre>
 */
public final class Downloader implements AutoCloseable {
    private static final String USER_AGENT = "antorcha-vision (Java)";
    private static final Pattern MD5 = Pattern.compile("[0-9a-fA-F]{32}");

    private static final int MAX_REDIRECTS = 10;

    private final DownloadOptions options;

    /** @throws IllegalArgumentException when {@code options} names no mirror */
    public Downloader(DownloadOptions options) {
        if (options.mirrors().isEmpty()) throw new IllegalArgumentException("Downloader needs at least one mirror");
        this.options = options;
    }

    /**
     * Makes {@code dir/fileName} a verified copy of the file, fetching it from the first mirror
     * that delivers it intact.
     *
     * @return the verified file
     * @throws ChecksumException when no mirror delivered it intact and one served wrong bytes
     * @throws DownloadException when no mirror could deliver it (the message lists each URL and why)
     * @throws CannotWriteException when {@code dir} cannot be written (the message says why and what to do)
     * @throws IOException       when the transfer was interrupted
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
        try {
            Files.createDirectories(dir);
        } catch (IOException e) {
            throw new CannotWriteException(dir, e);
        }
        StringBuilder failures = new StringBuilder();
        String badMd5 = null;
        for (String mirror : options.mirrors()) {
            URI uri = URI.create(mirror + fileName);
            progress.message("Downloading " + uri + " to " + target);
            String why;
            try (PartFile part = PartFile.create(target)) {
                String actual = fetch(uri, fileName, part);
                if (actual.equals(expected)) {
                    part.commit();
                    return target;
                }
                badMd5 = actual;
                why = "checksum mismatch: expected MD5 " + expected + ", got " + actual;
            } catch (InterruptedIOException | CannotWriteException e) {
                // Stopped, or this machine's problem: another mirror would not help.
                throw e;
            } catch (IOException e) {
                why = describe(e);
            }
            progress.message("Failed to download " + uri + " (" + why + ")"
                    + (mirror.equals(options.mirrors().getLast()) ? "" : ", trying the next mirror"));
            failures.append("\n  ").append(uri).append(": ").append(why);
        }
        String message = "Could not download " + fileName + " into " + dir + ":" + failures;
        if (badMd5 != null) throw new ChecksumException(fileName, expected, badMd5, message);
        throw new DownloadException(fileName, message);
    }

    /** One transfer into {@code part}; returns the MD5 of the bytes received. */
    private String fetch(URI uri, String fileName, PartFile part) throws IOException {
        MessageDigest md = newMd5();
        ProgressListener progress = options.progress();
        HttpURLConnection c = connect(uri);
        try (InputStream in = c.getInputStream()) {
            long total = c.getContentLengthLong(), got = 0;
            progress.progress(fileName, 0, -1);
            byte[] buf = new byte[1 << 16];
            while (true) {
                if (Thread.interrupted()) throw new InterruptedIOException("download of " + fileName + " was interrupted");
                int r;
                try {
                    r = in.read(buf);
                } catch (SocketTimeoutException e) {
                    // Not rethrown as is: it is an InterruptedIOException, which means "stop" here.
                    throw new IOException("no data for " + options.readTimeout().toMillis() / 1000.0
                            + " s after " + got + " bytes (read timeout)", e);
                } catch (IOException e) {
                    // HttpURLConnection says "Premature EOF": the server closed the connection.
                    throw new IOException("the connection broke after " + got + (total >= 0 ? " of " + total : "")
                            + " bytes (" + e.getMessage() + ")", e);
                }
                if (r < 0) break;
                md.update(buf, 0, r);
                part.write(buf, 0, r);
                got += r;
                progress.progress(fileName, got, total);
            }
            if (total >= 0 && got != total) {
                throw new IOException("transfer ended after " + got + " of " + total + " bytes");
            }
            progress.progress(fileName, got, got);
            return HexFormat.of().formatHex(md.digest());
        } finally {
            c.disconnect();
        }
    }

    /**
     * Opens {@code uri} and follows up to {@value #MAX_REDIRECTS} redirects (also between http
     * and https, which {@link HttpURLConnection} alone does not); returns a connection that
     * answered 200. {@link HttpURLConnection} rather than {@code java.net.http.HttpClient}: it
     * starts in a few milliseconds instead of a quarter of a second, and a download is one
     * sequential read.
     */
    private HttpURLConnection connect(URI uri) throws IOException {
        URI at = uri;
        for (int hop = 0; ; hop++) {
            if (!"http".equalsIgnoreCase(at.getScheme()) && !"https".equalsIgnoreCase(at.getScheme())) {
                throw new IOException("unsupported URL scheme: " + at);
            }
            HttpURLConnection c = (HttpURLConnection) at.toURL().openConnection();
            c.setConnectTimeout(timeoutMillis(options.connectTimeout()));
            c.setReadTimeout(timeoutMillis(options.readTimeout()));
            c.setInstanceFollowRedirects(false);
            c.setRequestProperty("User-Agent", USER_AGENT);
            int status;
            try {
                status = c.getResponseCode();
            } catch (SocketTimeoutException e) {
                c.disconnect();
                boolean connecting = e.getMessage() != null && e.getMessage().contains("connect");
                throw new IOException(connecting
                        ? "no connection after " + options.connectTimeout().toMillis() / 1000.0 + " s (connect timeout)"
                        : "no response for " + options.readTimeout().toMillis() / 1000.0 + " s (read timeout)", e);
            }
            if (status == HttpURLConnection.HTTP_OK) return c;
            String location = c.getHeaderField("Location");
            c.disconnect();
            boolean redirect = status == 301 || status == 302 || status == 303 || status == 307 || status == 308;
            if (!redirect || location == null) throw new IOException("HTTP " + status);
            if (hop == MAX_REDIRECTS) throw new IOException("more than " + MAX_REDIRECTS + " redirects");
            at = at.resolve(location);
        }
    }

    private static int timeoutMillis(java.time.Duration d) {
        return (int) Math.max(1, Math.min(Integer.MAX_VALUE, d.toMillis()));
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

    /**
     * Nothing to release: each transfer closes its connection when it ends. Kept so that a
     * {@code try}-with-resources block stays right if a future transport holds threads.
     */
    @Override
    public void close() {
    }
}
