package dev.antorcha.vision.datasets;

import java.io.PrintStream;
import java.util.HashMap;
import java.util.Map;
import java.util.Objects;
import java.util.function.Consumer;

/**
 * Receives what a download is doing, so that a command-line tool can draw it its own way. Both
 * methods are called on the thread that called {@code download}.
 *
 * <pre>{@code
 * var quiet = ProgressListener.silent();
 * var lines = ProgressListener.lines(log::info);   // "train-images-idx3-ubyte.gz: 40% (3.9 of 9.9 MB)"
 * }</pre>
 */
public interface ProgressListener {

    /** One line of status: the URL being fetched, a mirror that failed, a file reused. */
    void message(String line);

    /**
     * {@code bytesDone} of {@code fileName} received; {@code totalBytes} is -1 when the server
     * sent no length. Called with 0 when a transfer starts, after each piece of data that arrives,
     * and once with {@code bytesDone == totalBytes} when the file is complete.
     */
    void progress(String fileName, long bytesDone, long totalBytes);

    /**
     * Something the user should know even when progress is not wanted: a file that could not be
     * written, so the data are read from memory at each start. {@link #message} by default.
     */
    default void warning(String line) {
        message(line);
    }

    /** Prints nothing. */
    static ProgressListener silent() {
        return new ProgressListener() {
            @Override public void message(String line) { }
            @Override public void progress(String fileName, long bytesDone, long totalBytes) { }
        };
    }

    /** The default: {@link #lines} printed to {@code System.err}. */
    static ProgressListener stderr() {
        return printing(System.err);
    }

    /** {@link #lines} printed to {@code out}. */
    static ProgressListener printing(PrintStream out) {
        Objects.requireNonNull(out, "out");
        return lines(out::println);
    }

    /**
     * Messages as they come, and for each file a line every 10% (every 10 MB when the size is
     * unknown), handed to {@code sink}.
     */
    static ProgressListener lines(Consumer<String> sink) {
        Objects.requireNonNull(sink, "sink");
        Map<String, Long> lastStep = new HashMap<>();
        return new ProgressListener() {
            @Override
            public void message(String line) {
                sink.accept(line);
            }

            @Override
            public void progress(String fileName, long done, long total) {
                if (done == 0) {                  // a (new) transfer starts
                    lastStep.remove(fileName);
                    return;
                }
                long step = total > 0 ? done * 10 / total : done / 10_000_000;   // tenths, or 10 MB
                if (step <= lastStep.getOrDefault(fileName, 0L)) return;
                lastStep.put(fileName, step);
                sink.accept(total > 0
                        ? String.format("%s: %d%% (%s of %s)", fileName, done * 100 / total, mb(done), mb(total))
                        : String.format("%s: %s", fileName, mb(done)));
            }
        };
    }

    private static String mb(long bytes) {
        return bytes < 1_000_000 ? String.format("%.1f kB", bytes / 1e3) : String.format("%.1f MB", bytes / 1e6);
    }
}
