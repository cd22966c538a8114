package dev.antorcha.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYSeries;

/** {@link LossPlot}: size, smoothing, epoch boundaries, validation and atomic saving. */
class LossPlotTest {

    /** A decaying, noisy loss curve like a real run: {@code n} values. */
    static List<Float> losses(int n) {
        List<Float> l = new ArrayList<>();
        for (int i = 0; i < n; i++) l.add((float) (2.3 * Math.exp(-i / (n / 4.0)) + 0.1 + 0.15 * Math.sin(i * 1.7)));
        return l;
    }

    static BufferedImage image(LossPlot p) throws IOException {
        BufferedImage img = ImageIO.read(new ByteArrayInputStream(p.png()));
        assertThat(img).isNotNull();
        return img;
    }

    @Test
    void pngHasTheBuilderSizeDefaulting800By500() throws Exception {
        BufferedImage dflt = image(LossPlot.builder(losses(100)).build());
        assertThat(dflt.getWidth()).isEqualTo(800);
        assertThat(dflt.getHeight()).isEqualTo(500);
        BufferedImage custom = image(LossPlot.builder(losses(100)).size(640, 360).build());
        assertThat(custom.getWidth()).isEqualTo(640);
        assertThat(custom.getHeight()).isEqualTo(360);
        // white background, as matplotlib's default figure
        assertThat(dflt.getRGB(2, 2) & 0xFFFFFF).isEqualTo(0xFFFFFF);
        assertThat(dflt.getRGB(797, 497) & 0xFFFFFF).isEqualTo(0xFFFFFF);
    }

    /**
     * ImageIO caches encoded output in {@code imageio*.tmp} files of its cache folder unless told
     * not to; a run interrupted while plotting would leave one behind. Watch that folder while a
     * plot is made, starting from ImageIO's default (cache on).
     */
    @Test
    void makingThePngCreatesNoCacheFile(@org.junit.jupiter.api.io.TempDir Path cacheDir) throws Exception {
        javax.imageio.ImageIO.setUseCache(true);
        javax.imageio.ImageIO.setCacheDirectory(cacheDir.toFile());
        try (var watch = cacheDir.getFileSystem().newWatchService()) {
            cacheDir.register(watch, java.nio.file.StandardWatchEventKinds.ENTRY_CREATE);
            LossPlot.builder(List.of(3f, 2f, 1f)).build().png();
            var key = watch.poll(300, java.util.concurrent.TimeUnit.MILLISECONDS);
            assertThat(key == null ? List.of() : key.pollEvents().stream().map(e -> e.context().toString()).toList())
                    .as("files created in the cache folder").isEmpty();
        } finally {
            javax.imageio.ImageIO.setCacheDirectory(null);
        }
    }

    @Test
    void smoothingWindowIsAFiftiethOfTheRunAtLeastOne() {
        assertThat(LossPlot.smoothingWindow(1)).isEqualTo(1);
        assertThat(LossPlot.smoothingWindow(8)).isEqualTo(1);
        assertThat(LossPlot.smoothingWindow(99)).isEqualTo(1);
        assertThat(LossPlot.smoothingWindow(100)).isEqualTo(2);
        assertThat(LossPlot.smoothingWindow(1407)).isEqualTo(28); // 3 MNIST epochs of 469
    }

    @Test
    void movingAverageIsTheTrailingMeanOverTheWindow() {
        List<Float> l = losses(500); // window 10
        XYChart chart = LossPlot.builder(l).build().chart();
        XYSeries avg = chart.getSeriesMap().get("moving average (10)");
        assertThat(avg).isNotNull();
        double[] y = avg.getYData();
        assertThat(y).hasSize(500);
        assertThat(y[0]).isCloseTo(l.get(0), org.assertj.core.data.Offset.offset(1e-6));
        assertThat(y[3]).isCloseTo((l.get(0) + l.get(1) + l.get(2) + l.get(3)) / 4.0, org.assertj.core.data.Offset.offset(1e-6));
        for (int i : new int[] {9, 10, 250, 499}) {
            double mean = 0;
            for (int k = i - 9; k <= i; k++) mean += l.get(k);
            assertThat(y[i]).as("index %d", i).isCloseTo(mean / 10, org.assertj.core.data.Offset.offset(1e-6));
        }
        assertThat(chart.getSeriesMap().get("loss").getYData()).hasSize(500);
        assertThat(chart.getXAxisTitle()).isEqualTo("iteration");
        assertThat(chart.getYAxisTitle()).isEqualTo("loss");
    }

    @Test
    void shortRunsHaveNoMovingAverageAndEpochBoundariesAreDrawn() {
        XYChart shortRun = LossPlot.builder(losses(8)).iterationsPerEpoch(8).build().chart();
        assertThat(shortRun.getSeriesMap().keySet()).containsExactly("loss");
        XYChart three = LossPlot.builder(losses(300)).iterationsPerEpoch(100).title("t").build().chart();
        assertThat(three.getTitle()).isEqualTo("t");
        assertThat(three.getSeriesMap().keySet()).containsExactly("loss", "moving average (6)", "epoch 1", "epoch 2");
        assertThat(three.getSeriesMap().get("epoch 2").getXData()).containsExactly(200, 200);
        assertThat(three.getSeriesMap().get("epoch 1").isShowInLegend()).isFalse();
    }

    @Test
    void badInputIsRejected() {
        assertThatThrownBy(() -> LossPlot.builder(List.of())).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("no losses");
        assertThatThrownBy(() -> LossPlot.builder(losses(5)).size(99, 500)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> LossPlot.builder(losses(5)).iterationsPerEpoch(-1)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void aSingleLossOrAConstantOneStillDraws() throws Exception {
        assertThat(image(LossPlot.builder(List.of(2.3f)).build()).getWidth()).isEqualTo(800);
        assertThat(image(LossPlot.builder(List.of(1f, 1f, 1f)).iterationsPerEpoch(1).build()).getWidth()).isEqualTo(800);
    }

    @Test
    void saveIsAtomicAndLeavesNoTemporaryFile(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("sub").resolve("losses.png");
        LossPlot.builder(losses(200)).iterationsPerEpoch(50).build().save(file);
        assertThat(ImageIO.read(file.toFile())).isNotNull();
        assertThat(Cli.tempFiles(file.getParent())).isEmpty();

        // overwrite an existing plot: replaced in one move
        LossPlot.builder(losses(50)).size(300, 200).build().save(file);
        assertThat(ImageIO.read(file.toFile()).getWidth()).isEqualTo(300);
        try (var s = Files.list(file.getParent())) {
            assertThat(s.toList()).containsExactly(file);
        }

        // the target is a non-empty folder: the save fails and cleans up after itself
        Path blocked = Files.createDirectories(dir.resolve("blocked.png"));
        Files.writeString(blocked.resolve("keep"), "x");
        assertThatThrownBy(() -> LossPlot.builder(losses(50)).build().save(blocked)).isInstanceOf(IOException.class);
        assertThat(Cli.tempFiles(dir)).isEmpty();
        assertThat(blocked.resolve("keep")).exists();
    }

    @Test
    void aDivergedRunWithInfiniteLossesStillGetsItsPlot() throws Exception {
        java.util.List<Float> losses = new java.util.ArrayList<>();
        for (int i = 0; i < 200; i++) losses.add(i < 150 ? 2.3f - i * 0.01f : Float.POSITIVE_INFINITY);
        losses.set(10, Float.NaN);
        byte[] png = LossPlot.builder(losses).iterationsPerEpoch(100).build().png();
        var img = javax.imageio.ImageIO.read(new java.io.ByteArrayInputStream(png));
        org.assertj.core.api.Assertions.assertThat(img.getWidth()).isEqualTo(800);
    }
}
