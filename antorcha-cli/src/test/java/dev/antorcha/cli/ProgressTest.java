package dev.antorcha.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** {@link Progress}: a bar redrawn in place on a terminal, plain lines otherwise, nothing when disabled. */
class ProgressTest {
    private final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    private final PrintStream out = new PrintStream(bytes, true, StandardCharsets.UTF_8);

    private String text() {
        return bytes.toString(StandardCharsets.UTF_8);
    }

    @Test
    void plainLinesEveryTenthOfTheEpochWhenNotATerminal() {
        Progress p = new Progress(out, false, true);
        p.start("epoch 1/3", 20);
        for (int i = 1; i <= 20; i++) p.step(i, 2.0f, 128);
        p.finish("epoch 1/3: done");
        String[] lines = text().split("\n");
        assertThat(text()).doesNotContain("\r").doesNotContain("\u001b");
        assertThat(lines).hasSize(11);
        assertThat(lines[0]).matches("epoch 1/3 \\[==>\\s{21}\\] 2/20  loss 2\\.0000  [\\d,]+ img/s");
        assertThat(lines[9]).matches("epoch 1/3 \\[={24}\\] 20/20  loss 2\\.0000  [\\d,]+ img/s");
        assertThat(lines[10]).isEqualTo("epoch 1/3: done");
        assertThat(p.meanLoss(20)).isEqualTo(2.0);
    }

    @Test
    void fewerIterationsThanTenthsStillPrintEveryIterationOnce() {
        Progress p = new Progress(out, false, true);
        p.start("e", 3);
        p.step(1, 1f, 10);
        p.step(2, 2f, 10);
        p.step(3, 3f, 10);
        assertThat(text().split("\n")).hasSize(3);
        assertThat(text().split("\n")[2]).contains("3/3  loss 2.0000");
        assertThat(p.meanLoss(3)).isEqualTo(2.0);
    }

    @Test
    void onATerminalTheBarIsRedrawnInPlaceAndClearedAtTheEnd() {
        Progress p = new Progress(out, true, true);
        p.start("epoch 2/3", 4);
        for (int i = 1; i <= 4; i++) p.step(i, 0.5f, 64);
        p.finish("epoch 2/3: summary");
        String s = text();
        assertThat(s).startsWith("\r").doesNotContain("\n\r");
        // the last state is always drawn, whatever the redraw rate limit skipped
        assertThat(s).contains("\repoch 2/3 [========================] 4/4  loss 0.5000");
        assertThat(s).endsWith("\r\u001b[Kepoch 2/3: summary" + System.lineSeparator());
        assertThat(s.chars().filter(c -> c == '\n').count()).isEqualTo(1);
    }

    @Test
    void disabledPrintsNothingButStillAveragesTheLoss() {
        Progress p = new Progress(out, true, false);
        p.start("e", 2);
        p.step(1, 1f, 1);
        p.step(2, 4f, 1);
        p.finish("summary");
        assertThat(text()).isEmpty();
        assertThat(p.meanLoss(2)).isEqualTo(2.5);
        assertThat(p.meanLoss(0)).isNaN();
    }
}
