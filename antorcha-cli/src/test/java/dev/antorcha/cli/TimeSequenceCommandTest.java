package dev.antorcha.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.antorcha.io.SafeTensors;
import java.awt.image.BufferedImage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code antorcha time-sequence} on a small sine set: the example's lines, its figures, its weights and its errors. */
class TimeSequenceCommandTest {
    private static final Pattern STEP = Pattern.compile("step (\\d+): train loss (\\S+), test loss (\\S+)");

    @Test
    void trainsAFewStepsPrintsTheLossesAndDrawsEveryStep(@TempDir Path tmp) throws Exception {
        Path out = tmp.resolve("out");
        Cli.Result r = Cli.ok("time-sequence", "--steps", "3", "--waves", "8", "--length", "60", "--future", "20",
                "--plot", out.resolve("predict%d.png").toString(), "--save", out.resolve("seq.safetensors").toString());
        List<String> lines = r.outLines();
        assertThat(lines).hasSize(4);
        double[] train = new double[3];
        for (int i = 0; i < 3; i++) {
            Matcher m = STEP.matcher(lines.get(i));
            assertThat(m.matches()).as(lines.get(i)).isTrue();
            assertThat(m.group(1)).isEqualTo(Integer.toString(i));
            train[i] = Double.parseDouble(m.group(2));
            assertThat(Double.parseDouble(m.group(3))).isFinite().isPositive();
        }
        assertThat(train[1]).isLessThan(train[0]);
        assertThat(train[2]).isLessThan(train[1]);
        assertThat(lines.get(3)).matches("total time: \\d+\\.\\d\\d s");
        for (int i = 0; i < 3; i++) {
            BufferedImage img = ImageIO.read(out.resolve("predict" + i + ".png").toFile());
            assertThat(img).as("predict%d.png", i).isNotNull();
            assertThat(img.getWidth()).isEqualTo(1500);
            assertThat(img.getHeight()).isEqualTo(500);
        }
        assertThat(Cli.tempFiles(out)).isEmpty();
        var weights = SafeTensors.load(out.resolve("seq.safetensors"));
        assertThat(weights.keySet()).contains("lstm1.weight_ih", "lstm2.weight_hh", "linear.bias");
        assertThat(weights.get("lstm1.weight_hh").shape().toArray()).containsExactly(204, 51);
    }

    @Test
    void aNameWithoutThePlaceholderHoldsTheLatestFigure(@TempDir Path tmp) {
        Cli.ok("time-sequence", "--steps", "2", "--waves", "5", "--length", "30", "--future", "5", "--plot",
                tmp.resolve("latest.png").toString());
        try (var s = Files.list(tmp)) {
            assertThat(s.map(p -> p.getFileName().toString())).containsExactly("latest.png");
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    @Test
    void badValuesAreUsageErrors() {
        Cli.Result r = Cli.run("time-sequence", "--steps", "0");
        assertThat(r.code()).isEqualTo(2);
        assertThat(r.errLines()).containsExactly("antorcha: --steps must be >= 1, got 0 (see 'antorcha time-sequence --help')");
        r = Cli.run("time-sequence", "--waves", "3");
        assertThat(r.code()).isEqualTo(2);
        assertThat(r.err()).contains("--waves must be >= 4");
    }

    @Test
    void anUnwritablePlotFailsBeforeTraining(@TempDir Path tmp) throws Exception {
        Path file = Files.writeString(tmp.resolve("a-file"), "x");
        Cli.Result r = Cli.run("time-sequence", "--plot", file.resolve("predict%d.png").toString());
        assertThat(r.code()).isEqualTo(1);
        assertThat(r.errLines()).hasSize(1);
        assertThat(r.err()).contains("--plot").contains("is a file, not a folder");
        assertThat(r.out()).isEmpty();
    }
}
