package dev.antorcha.cli;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;
import org.knowm.xchart.XYSeries;
import org.knowm.xchart.style.Styler;
import org.knowm.xchart.style.XYStyler;
import org.knowm.xchart.style.markers.SeriesMarkers;

/**
 * The loss of every iteration as a PNG, drawn like the tutorial's matplotlib figure (white
 * background, light grid, iteration on x, loss on y), plus a smoothed curve and dashed epoch
 * boundaries so the trend is readable. Headless: no display is needed.
 *
 * <pre>{@code
 * LossPlot.builder(losses).iterationsPerEpoch(469).title("MNIST").build().save(Path.of("losses.png"));
 * }</pre>
 */
public final class LossPlot {
    private final List<Float> losses;
    private final int iterationsPerEpoch;
    private final String title;
    private final int width;
    private final int height;

    private LossPlot(Builder b) {
        this.losses = List.copyOf(b.losses);
        this.iterationsPerEpoch = b.iterationsPerEpoch;
        this.title = b.title;
        this.width = b.width;
        this.height = b.height;
    }

    public static Builder builder(List<Float> losses) {
        return new Builder(losses);
    }

    /** Options of the plot; sizes are validated. */
    public static final class Builder {
        private final List<Float> losses;
        private int iterationsPerEpoch;
        private String title = "loss per iteration";
        private int width = 800;
        private int height = 500;

        private Builder(List<Float> losses) {
            if (losses.isEmpty()) throw new IllegalArgumentException("no losses to plot");
            this.losses = losses;
        }

        /** Draws a dashed line at every epoch boundary (0: none). */
        public Builder iterationsPerEpoch(int n) {
            if (n < 0) throw new IllegalArgumentException("iterations per epoch must be >= 0, got " + n);
            this.iterationsPerEpoch = n;
            return this;
        }

        public Builder title(String t) {
            this.title = t;
            return this;
        }

        public Builder size(int w, int h) {
            if (w < 100 || h < 100) throw new IllegalArgumentException("plot size must be at least 100x100, got " + w + "x" + h);
            this.width = w;
            this.height = h;
            return this;
        }

        public LossPlot build() {
            return new LossPlot(this);
        }
    }

    /** Window of the trailing moving average: about a fiftieth of the run, at least 1. */
    static int smoothingWindow(int n) {
        return Math.max(1, n / 50);
    }

    XYChart chart() {
        XYChart chart = new XYChartBuilder().width(width).height(height).title(title)
                .xAxisTitle("iteration").yAxisTitle("loss").build();
        XYStyler st = chart.getStyler();
        st.setChartBackgroundColor(Color.WHITE);
        st.setPlotBackgroundColor(Color.WHITE);
        st.setPlotBorderVisible(true);
        st.setPlotBorderColor(new Color(0x99, 0x99, 0x99));
        st.setPlotGridLinesVisible(true);
        st.setPlotGridLinesColor(new Color(0xE5, 0xE5, 0xE5));
        st.setLegendPosition(Styler.LegendPosition.InsideNE);
        st.setLegendBorderColor(new Color(0xDD, 0xDD, 0xDD));
        st.setChartTitleBoxVisible(false);
        st.setChartTitleFont(new Font(Font.SANS_SERIF, Font.PLAIN, 16));
        st.setAntiAlias(true);
        st.setXAxisDecimalPattern("0");

        int n = losses.size();
        double[] x = new double[n], y = new double[n], smooth = new double[n], center = new double[n];
        int w = smoothingWindow(n);
        double acc = 0;
        int finite = 0;
        for (int i = 0; i < n; i++) {
            x[i] = i;
            float l = losses.get(i);
            // A diverged run's infinite loss is drawn as a gap (XChart refuses infinities), and
            // the moving average is taken over the finite values of its window.
            y[i] = Float.isFinite(l) ? l : Double.NaN;
            if (!Double.isNaN(y[i])) {
                acc += y[i];
                finite++;
            }
            if (i >= w && !Double.isNaN(y[i - w])) {
                acc -= y[i - w];
                finite--;
            }
            smooth[i] = finite == 0 ? Double.NaN : acc / finite;
            center[i] = (Math.max(0, i - w + 1) + i) / 2.0;   // a window's mean belongs at its middle
        }
        XYSeries raw = chart.addSeries("loss", x, y);
        raw.setMarker(SeriesMarkers.NONE);
        raw.setLineColor(new Color(0x1F, 0x77, 0xB4, 0x99));   // matplotlib's first colour, translucent
        raw.setLineStyle(new BasicStroke(1f));
        if (w > 1) {
            XYSeries avg = chart.addSeries("moving average (" + w + ")", center, smooth);
            avg.setMarker(SeriesMarkers.NONE);
            avg.setLineColor(new Color(0xFF, 0x7F, 0x0E));
            avg.setLineStyle(new BasicStroke(2f));
        }
        if (iterationsPerEpoch > 0 && iterationsPerEpoch < n) {
            double lo = min(y), hi = max(y);
            List<XYSeries> bounds = new ArrayList<>();
            for (int e = iterationsPerEpoch, k = 1; e < n; e += iterationsPerEpoch, k++) {
                XYSeries b = chart.addSeries("epoch " + k, new double[] {e, e}, new double[] {lo, hi});
                bounds.add(b);
            }
            for (XYSeries b : bounds) {
                b.setMarker(SeriesMarkers.NONE);
                b.setLineColor(new Color(0x80, 0x80, 0x80));
                b.setLineStyle(new BasicStroke(1f, BasicStroke.CAP_BUTT, BasicStroke.JOIN_MITER, 10f, new float[] {5f, 4f}, 0f));
                b.setShowInLegend(false);
            }
        }
        return chart;
    }

    /**
     * Renders a throwaway figure on a daemon thread, so that loading Java2D, the fonts and the
     * PNG writer (over half a second, once per JVM) overlaps with training instead of following it.
     */
    public static void prepareInBackground() {
        Thread.ofPlatform().daemon().name("antorcha-plot-warmup").start(() -> {
            try {
                builder(List.of(2f, 1f, 0.5f)).iterationsPerEpoch(1).build().png();
            } catch (IOException | RuntimeException e) {
                // Only a warm-up: the real plot reports its own errors.
            }
        });
    }

    /** PNG bytes of the figure. */
    public byte[] png() throws IOException {
        // In memory: no imageio*.tmp cache file in the temp folder, which an interrupted run would
        // leave behind. (Here rather than at class loading: ImageIO's start-up belongs to the
        // background warm-up, not to the main thread.)
        javax.imageio.ImageIO.setUseCache(false);
        return BitmapEncoder.getBitmapBytes(chart(), BitmapEncoder.BitmapFormat.PNG);
    }

    /** Writes the PNG to {@code file} through a temporary file and an atomic move. */
    public void save(Path file) throws IOException {
        AtomicFiles.write(file, png());
    }

    private static double min(double[] v) {
        double m = Double.POSITIVE_INFINITY;
        for (double d : v) if (Double.isFinite(d)) m = Math.min(m, d);
        return Double.isFinite(m) ? m : 0;
    }

    private static double max(double[] v) {
        double m = Double.NEGATIVE_INFINITY;
        for (double d : v) if (Double.isFinite(d)) m = Math.max(m, d);
        return Double.isFinite(m) ? m : 1;
    }
}
