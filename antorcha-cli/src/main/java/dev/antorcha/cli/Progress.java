package dev.antorcha.cli;

import java.io.PrintStream;
import java.util.Locale;

/**
 * The per-epoch progress display: on a terminal a bar redrawn in place (at most 10 times a
 * second) with iterations, running loss and images/s; otherwise a plain line every tenth of the
 * epoch, so logs stay readable.
 */
final class Progress {
    private static final int BAR = 24;
    private final PrintStream out;
    private final boolean terminal;
    private final boolean enabled;
    /** What {@link #step}'s sizes count, per second: images, or a language model's tokens. */
    private final String rate;
    private String label;
    private int total;
    private long startNanos;
    private long lastDraw;
    private int lastTenth;
    private double lossSum;
    private long images;

    Progress(PrintStream out, boolean terminal, boolean enabled) {
        this(out, terminal, enabled, "img/s");
    }

    Progress(PrintStream out, boolean terminal, boolean enabled, String rate) {
        this.out = out;
        this.terminal = terminal;
        this.enabled = enabled;
        this.rate = rate;
    }

    /** Whether stdout is an interactive terminal. */
    static boolean stdoutIsTerminal() {
        var c = System.console();
        return c != null && c.isTerminal();
    }

    void start(String label, int total) {
        this.label = label;
        this.total = total;
        this.startNanos = System.nanoTime();
        this.lastDraw = 0;
        this.lastTenth = 0;
        this.lossSum = 0;
        this.images = 0;
    }

    /** After iteration {@code done} (1-based) of the epoch, with that batch's loss and size. */
    void step(int done, float loss, int batchSize) {
        lossSum += loss;
        images += batchSize;
        if (!enabled) return;
        long now = System.nanoTime();
        if (terminal) {
            if (done == total || now - lastDraw > 100_000_000L) {
                lastDraw = now;
                out.print("\r" + line(done, now) + "\u001b[K");
                out.flush();
            }
        } else {
            int tenth = total == 0 ? 10 : done * 10 / total;
            if (tenth > lastTenth) {
                lastTenth = tenth;
                out.println(line(done, now));
            }
        }
    }

    /** Ends the epoch's display (clearing the bar) and prints {@code summary}. */
    void finish(String summary) {
        if (enabled && terminal) out.print("\r\u001b[K");
        if (enabled) out.println(summary);
    }

    double meanLoss(int iterations) {
        return iterations == 0 ? Double.NaN : lossSum / iterations;
    }

    private String line(int done, long now) {
        int filled = total == 0 ? BAR : (int) ((long) done * BAR / total);
        double seconds = Math.max(1e-9, (now - startNanos) / 1e9);
        String bar = "=".repeat(filled) + (filled < BAR ? ">" + " ".repeat(BAR - filled - 1) : "");
        return String.format(Locale.ROOT, "%s [%s] %d/%d  loss %.4f  %,.0f %s",
                label, bar, done, total, lossSum / Math.max(1, done), images / seconds, rate);
    }
}
