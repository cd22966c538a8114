package dev.antorcha.vision.datasets;

import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * How to download: which mirrors, how long to wait, where progress goes. A validated value.
 *
 * <pre>{@code
 * var opts = DownloadOptions.defaults().withMirrors(List.of("http://127.0.0.1:8765/"));
 * var train = new MNIST<>(Path.of("data"), true, new ToTensor(), true, opts);
 * }</pre>
 *
 * @param mirrors        base URLs tried in order, each file's URL being {@code mirror + fileName};
 *                       empty means the dataset's own list (torchvision's {@code mirrors})
 * @param connectTimeout how long to wait for a connection
 * @param readTimeout    how long to wait for the response, and at most between two pieces of data
 * @param progress       receives status lines and byte counts
 */
public record DownloadOptions(List<String> mirrors, Duration connectTimeout, Duration readTimeout,
                              ProgressListener progress) {

    public static final Duration DEFAULT_CONNECT_TIMEOUT = Duration.ofSeconds(30);
    public static final Duration DEFAULT_READ_TIMEOUT = Duration.ofSeconds(60);

    public DownloadOptions {
        Objects.requireNonNull(mirrors, "mirrors must not be null (an empty list means the dataset's own mirrors)");
        mirrors = normalize(mirrors);
        checkPositive("connectTimeout", connectTimeout);
        checkPositive("readTimeout", readTimeout);
        Objects.requireNonNull(progress, "progress must not be null (use ProgressListener.silent())");
    }

    /** The dataset's mirrors, 30 s to connect, 60 s read timeout, progress to {@code System.err}. */
    public static DownloadOptions defaults() {
        return new DownloadOptions(List.of(), DEFAULT_CONNECT_TIMEOUT, DEFAULT_READ_TIMEOUT, ProgressListener.stderr());
    }

    public DownloadOptions withMirrors(List<String> newMirrors) {
        return new DownloadOptions(newMirrors, connectTimeout, readTimeout, progress);
    }

    public DownloadOptions withTimeouts(Duration connect, Duration read) {
        return new DownloadOptions(mirrors, connect, read, progress);
    }

    public DownloadOptions withProgress(ProgressListener listener) {
        return new DownloadOptions(mirrors, connectTimeout, readTimeout, listener);
    }

    /** Checks that each mirror is an absolute http(s) URL and makes it end with {@code /}. */
    static List<String> normalize(List<String> mirrors) {
        List<String> out = new ArrayList<>(mirrors.size());
        for (String m : mirrors) {
            if (m == null || m.isBlank()) throw new IllegalArgumentException("a mirror is null or blank: " + mirrors);
            URI uri;
            try {
                uri = URI.create(m.strip());
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("invalid mirror URL: " + m + " (" + e.getMessage() + ")", e);
            }
            String scheme = uri.getScheme();
            if (scheme == null || !(scheme.equalsIgnoreCase("http") || scheme.equalsIgnoreCase("https"))
                    || uri.getHost() == null) {
                throw new IllegalArgumentException("invalid mirror URL: " + m
                        + " (expected http://host/path/ or https://host/path/)");
            }
            String s = uri.toString();
            out.add(s.endsWith("/") ? s : s + "/");
        }
        return List.copyOf(out);
    }

    private static void checkPositive(String name, Duration d) {
        if (d == null || d.isZero() || d.isNegative()) {
            throw new IllegalArgumentException(name + " must be positive, got " + d);
        }
    }
}
