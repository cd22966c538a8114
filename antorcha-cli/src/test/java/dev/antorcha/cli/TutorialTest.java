package dev.antorcha.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.antorcha.Antorcha;
import dev.antorcha.examples.Classifier;
import dev.antorcha.examples.Tutorial;
import dev.antorcha.tensor.Tensor;
import java.awt.image.BufferedImage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The tutorial translated to Java ({@link Tutorial}) and its {@link Classifier}, on the committed fixture. */
class TutorialTest {

    @Test
    void tutorialRunsOneEpochOnTheFixtureAndDrawsThePlot(@TempDir Path tmp) throws Exception {
        Path root = Cli.mnistRoot(tmp.resolve("mnist_data"));
        Path plot = tmp.resolve("out").resolve("losses.png");
        Antorcha.manualSeed(0);
        List<Float> losses = Tutorial.run(root.toString(), 1, plot);

        assertThat(losses).hasSize(8); // ceil(1000 / 128)
        assertThat(losses).allSatisfy(l -> assertThat(l).isFinite().isPositive());
        assertThat(losses.getFirst()).as("untrained: about ln 10").isBetween(2.0f, 2.6f);
        assertThat(losses.getLast()).isLessThan(losses.getFirst());

        BufferedImage img = ImageIO.read(plot.toFile());
        assertThat(img).isNotNull();
        assertThat(img.getWidth()).isEqualTo(800);
        assertThat(img.getHeight()).isEqualTo(500);
        assertThat(Cli.tempFiles(plot.getParent())).isEmpty();
        // the data were read where they were, nothing was downloaded next to them
        try (var s = Files.list(root.resolve("MNIST").resolve("raw"))) {
            assertThat(s.map(p -> p.getFileName().toString())).containsExactlyInAnyOrderElementsOf(Cli.MNIST_FILES);
        }
    }

    @Test
    void tutorialIsReproducibleWithTheSameSeed(@TempDir Path tmp) throws Exception {
        Path root = Cli.mnistRoot(tmp.resolve("mnist_data"));
        Antorcha.manualSeed(7);
        List<Float> a = Tutorial.run(root.toString(), 1, tmp.resolve("a.png"));
        Antorcha.manualSeed(7);
        List<Float> b = Tutorial.run(root.toString(), 1, tmp.resolve("b.png"));
        assertThat(a).isEqualTo(b);
    }

    @Test
    void classifierHasTheTutorialsNamesAndShapes() {
        Classifier c = new Classifier();
        assertThat(c.stateDict().keySet()).containsExactly("input_layer.weight", "input_layer.bias",
                "hidden_layer.weight", "hidden_layer.bias", "output_layer.weight", "output_layer.bias");
        assertThat(c.parameters()).hasSize(6);
        Tensor out = c.forward(Antorcha.rand(3, 1, 28, 28));
        assertThat(out.shape().toArray()).containsExactly(3, 10);
        assertThat(c.forward(Antorcha.rand(2, 784)).shape().toArray()).containsExactly(2, 10);

        Classifier small = new Classifier(20, 10);
        assertThat(small.inputLayer.outFeatures()).isEqualTo(20);
        assertThat(small.hiddenLayer.inFeatures()).isEqualTo(20);
        assertThat(small.outputLayer.inFeatures()).isEqualTo(10);
        assertThat(small.outputLayer.outFeatures()).isEqualTo(10);
    }
}
