package dev.antorcha.cli;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.io.IOException;
import java.nio.file.Path;
import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;
import org.knowm.xchart.XYSeries;
import org.knowm.xchart.style.XYStyler;
import org.knowm.xchart.style.markers.SeriesMarkers;

/**
 * The figure of PyTorch's {@code time_sequence_prediction} example: each predicted wave drawn in
 * red, green, blue (matplotlib's {@code 'r'}, {@code 'g'}, {@code 'b'}), solid over the steps that
 * had an input and dotted over the predicted future, on a wide white figure titled as the
 * example's. Headless: no display is needed.
 *
 * <pre>{@code
 * new PredictionPlot(predictions, 999).save(Path.of("predict0.png"));   // predictions [3][1999]
 * }</pre>
 */
public final class PredictionPlot {
    private static final Color[] COLORS = {new Color(0xFF, 0, 0), new Color(0, 0x80, 0), new Color(0, 0, 0xFF)};
    private final double[][] waves;
    private final int inputLength;

    /**
     * @param waves       one row per wave: the predictions for the input steps, then for the future ones
     * @param inputLength how many of each row's values are predictions for input steps (drawn solid)
     */
    public PredictionPlot(double[][] waves, int inputLength) {
        if (waves.length == 0) throw new IllegalArgumentException("no waves to plot");
        for (double[] w : waves) {
            if (inputLength < 0 || inputLength > w.length) {
                throw new IllegalArgumentException("input length " + inputLength + " is outside a wave of " + w.length + " values");
            }
        }
        this.waves = waves.clone();
        this.inputLength = inputLength;
    }

    XYChart chart() {
        XYChart chart = new XYChartBuilder().width(1500).height(500)
                .title("Predict future values for time sequences (dotted lines are predicted values)")
                .xAxisTitle("x").yAxisTitle("y").build();
        XYStyler st = chart.getStyler();
        st.setChartBackgroundColor(Color.WHITE);
        st.setPlotBackgroundColor(Color.WHITE);
        st.setPlotBorderVisible(true);
        st.setPlotBorderColor(Color.BLACK);
        st.setPlotGridLinesVisible(false);
        st.setLegendVisible(false);
        st.setChartTitleBoxVisible(false);
        st.setChartTitleFont(new Font(Font.SANS_SERIF, Font.PLAIN, 20));
        st.setAxisTitleFont(new Font(Font.SANS_SERIF, Font.PLAIN, 16));
        st.setAxisTickLabelsFont(new Font(Font.SANS_SERIF, Font.PLAIN, 14));
        st.setAntiAlias(true);
        st.setXAxisDecimalPattern("0");
        BasicStroke solid = new BasicStroke(2f);
        BasicStroke dotted = new BasicStroke(2f, BasicStroke.CAP_ROUND, BasicStroke.JOIN_ROUND, 10f, new float[] {0.5f, 4f}, 0f);
        for (int k = 0; k < waves.length; k++) {
            double[] w = waves[k];
            int future = w.length - inputLength;
            double[] x = new double[inputLength], y = new double[inputLength];
            for (int i = 0; i < inputLength; i++) {
                x[i] = i;
                y[i] = finite(w[i]);
            }
            // the future starts at the last input step, so that the two parts join
            int from = Math.max(0, inputLength - 1);
            double[] fx = new double[w.length - from], fy = new double[w.length - from];
            for (int i = from; i < w.length; i++) {
                fx[i - from] = i;
                fy[i - from] = finite(w[i]);
            }
            Color c = COLORS[k % COLORS.length];
            if (inputLength > 0) style(chart.addSeries("wave " + k, x, y), c, solid);
            if (future > 0) style(chart.addSeries("wave " + k + " predicted", fx, fy), c, dotted);
        }
        return chart;
    }

    /** XChart refuses infinities: a diverged prediction is drawn as a gap. */
    private static double finite(double v) {
        return Double.isFinite(v) ? v : Double.NaN;
    }

    private static void style(XYSeries s, Color c, BasicStroke stroke) {
        s.setMarker(SeriesMarkers.NONE);
        s.setLineColor(c);
        s.setLineStyle(stroke);
    }

    /** PNG bytes of the figure. */
    public byte[] png() throws IOException {
        javax.imageio.ImageIO.setUseCache(false);   // no imageio*.tmp left behind by an interrupted run
        return BitmapEncoder.getBitmapBytes(chart(), BitmapEncoder.BitmapFormat.PNG);
    }

    /** Writes the PNG to {@code file} through a temporary file and an atomic move. */
    public void save(Path file) throws IOException {
        AtomicFiles.write(file, png());
    }
}
