package dev.antorcha.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.antorcha.tensor.Tensor;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.nio.file.Files;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code antorcha predict} on fixture digits written as PNG files, with weights trained for 3 epochs. */
class PredictCommandTest {
    static final Pattern LINE = Pattern.compile(
            "(.+): (\\d)  \\((\\d) (\\d{1,3}\\.\\d\\d)%, (\\d) (\\d{1,3}\\.\\d\\d)%, (\\d) (\\d{1,3}\\.\\d\\d)%\\)");
    static final int IMAGES = 5;

    @TempDir
    static Path tmp;
    static Path weights;
    static final List<Path> files = new ArrayList<>();
    static final List<Integer> labels = new ArrayList<>();

    @BeforeAll
    static void trainAndWriteImages() throws Exception {
        Path root = Cli.mnistRoot(tmp.resolve("data"));
        weights = tmp.resolve("w.safetensors");
        Cli.ok("train", "--root", root.toString(), "--no-download", "--epochs", "3", "--seed", "1", "--quiet",
                "--plot", tmp.resolve("p.png").toString(), "--save", weights.toString());
        for (int i = 0; i < IMAGES; i++) {
            BufferedImage img = i == IMAGES - 1 ? invertedAndScaled(Cli.testImage(i), 112) : gray(Cli.testImage(i));
            Path f = tmp.resolve("digit" + i + ".png");
            assertThat(ImageIO.write(img, "png", f.toFile())).isTrue();
            files.add(f);
            labels.add(Cli.testLabel(i));
        }
    }

    /** The digit as MNIST stores it: white strokes on black, 28x28 gray. */
    static BufferedImage gray(byte[] px) {
        BufferedImage img = new BufferedImage(28, 28, BufferedImage.TYPE_BYTE_GRAY);
        img.getRaster().setDataElements(0, 0, 28, 28, px);
        return img;
    }

    /** The digit as a user would draw it: black on white, {@code size}x{@code size}, RGB. */
    static BufferedImage invertedAndScaled(byte[] px, int size) {
        byte[] inv = new byte[px.length];
        for (int i = 0; i < px.length; i++) inv[i] = (byte) (255 - (px[i] & 0xFF));
        BufferedImage big = new BufferedImage(size, size, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = big.createGraphics();
        g.setRenderingHint(RenderingHints.KEY_INTERPOLATION, RenderingHints.VALUE_INTERPOLATION_BICUBIC);
        g.drawImage(gray(inv), 0, 0, size, size, null);
        g.dispose();
        return big;
    }

    static float[] pixels(Path file) throws Exception {
        Tensor t = PredictCommand.toInput(file);
        assertThat(t.shape().toArray()).containsExactly(1, 1, 28, 28);
        return t.toFloatArray();
    }

    @Test
    void aTwentyEightPixelGrayDigitIsReadExactlyAsTheDatasetHasIt() throws Exception {
        byte[] px = Cli.testImage(0);
        float[] in = pixels(files.getFirst());
        for (int i = 0; i < px.length; i++) assertThat(in[i]).as("pixel %d", i).isEqualTo((px[i] & 0xFF) / 255f);
    }

    @Test
    void aLargeDarkOnLightDigitIsInvertedAndScaledDown() throws Exception {
        byte[] px = Cli.testImage(IMAGES - 1);
        float[] in = pixels(files.getLast());
        double diff = 0, border = 0;
        for (int i = 0; i < px.length; i++) {
            diff += Math.abs(in[i] - (px[i] & 0xFF) / 255f);
            int x = i % 28, y = i / 28;
            if (x == 0 || y == 0 || x == 27 || y == 27) border += in[i];
        }
        assertThat(border / 108).as("mean border after inversion: dark, like MNIST").isLessThan(0.05);
        assertThat(diff / px.length).as("mean |difference| to the original digit").isLessThan(0.1);
    }

    @Test
    void blackInkOnATransparentBackgroundIsReadAsTheDigit() throws Exception {
        byte[] px = Cli.testImage(0);
        BufferedImage argb = new BufferedImage(28, 28, BufferedImage.TYPE_INT_ARGB);
        for (int i = 0; i < px.length; i++) argb.setRGB(i % 28, i / 28, (px[i] & 0xFF) << 24); // black, alpha = ink
        Path f = tmp.resolve("transparent.png");
        ImageIO.write(argb, "png", f.toFile());
        float[] in = pixels(f);
        for (int i = 0; i < px.length; i++) {
            assertThat(in[i]).as("pixel %d", i).isCloseTo((px[i] & 0xFF) / 255f, org.assertj.core.data.Offset.offset(2f / 255));
        }
    }

    @Test
    void oneLinePerImageWithTheClassAndTopThreeProbabilities() {
        List<String> args = new ArrayList<>(List.of("predict", "--weights", weights.toString()));
        files.forEach(f -> args.add(f.toString()));
        Cli.Result r = Cli.ok(args.toArray(String[]::new));
        assertThat(r.err()).isEmpty();
        assertThat(r.outLines()).as("%s", r).hasSize(IMAGES);
        int right = 0;
        for (int i = 0; i < IMAGES; i++) {
            Matcher m = LINE.matcher(r.outLines().get(i));
            assertThat(m.matches()).as(r.outLines().get(i)).isTrue();
            assertThat(m.group(1)).isEqualTo(files.get(i).toString());
            assertThat(m.group(2)).isEqualTo(m.group(3));
            assertThat(List.of(m.group(3), m.group(5), m.group(7))).doesNotHaveDuplicates();
            double p1 = Double.parseDouble(m.group(4)), p2 = Double.parseDouble(m.group(6)),
                    p3 = Double.parseDouble(m.group(8));
            assertThat(p1).isGreaterThanOrEqualTo(p2);
            assertThat(p2).isGreaterThanOrEqualTo(p3);
            assertThat(p1 + p2 + p3).isLessThanOrEqualTo(100.015); // three values rounded to 0.01
            if (Integer.parseInt(m.group(2)) == labels.get(i)) right++;
        }
        assertThat(right).as("correct predictions of %s in %s", labels, r.out()).isGreaterThanOrEqualTo(3);
    }

    @Test
    void aNonImageFileIsOneErrorLine() throws Exception {
        Path notImage = Files.writeString(tmp.resolve("notes.png"), "not a picture\n");
        Cli.Result r = Cli.run("predict", "--weights", weights.toString(), notImage.toString());
        assertThat(r.code()).as("%s", r).isEqualTo(1);
        assertThat(r.errLines()).as("%s", r).singleElement().asString()
                .isEqualTo("antorcha: " + notImage + " is not an image that Java can read (PNG, JPEG, GIF or BMP)");
    }

    /** The one error line of predicting {@code image}, checked to be one line with exit code 1. */
    static String errorOf(Path image) {
        Cli.Result r = Cli.run("predict", "--weights", weights.toString(), image.toString());
        assertThat(r.code()).as("%s", r).isEqualTo(1);
        assertThat(r.errLines()).as("%s", r).hasSize(1);
        assertThat(r.err()).doesNotContain("\tat ");
        return r.errLines().getFirst();
    }

    @Test
    void aFolderIsNamedAsSuch() throws Exception {
        Path dir = Files.createDirectories(tmp.resolve("pictures.png"));
        assertThat(errorOf(dir)).isEqualTo("antorcha: " + dir + " is a folder, not an image");
    }

    @Test
    void corruptAndTruncatedPngsNameTheFileAndWhatIsWrong() throws Exception {
        byte[] good = Files.readAllBytes(files.getFirst());
        byte[] corrupt = good.clone();
        int idat = indexOf(good, "IDAT".getBytes(StandardCharsets.US_ASCII));
        for (int i = idat + 6; i < idat + 20; i++) corrupt[i] ^= (byte) 0x5A;   // damage the compressed pixels
        Path bad = Files.write(tmp.resolve("corrupt.png"), corrupt);
        assertThat(errorOf(bad)).startsWith("antorcha: " + bad + " is not a readable PNG image (")
                .doesNotContain("Caught exception").doesNotContain("()");
        Path cut = Files.write(tmp.resolve("truncated.png"), java.util.Arrays.copyOf(good, idat + 10));
        assertThat(errorOf(cut)).startsWith("antorcha: " + cut + " is not a readable PNG image (");
    }

    static int indexOf(byte[] hay, byte[] needle) {
        outer:
        for (int i = 0; i + needle.length <= hay.length; i++) {
            for (int j = 0; j < needle.length; j++) if (hay[i + j] != needle[j]) continue outer;
            return i;
        }
        throw new AssertionError("not found");
    }

    /**
     * A 12000×12000 gray PNG (144 MB of pixels once decoded, a few hundred KB on disk) classified
     * by the command in a JVM with a 96 MB heap, as the launcher's small heap would run it: it is
     * read with subsampling, never whole.
     */
    @Test
    void aHugeImageIsReadInASmallHeap() throws Exception {
        Path huge = tmp.resolve("huge.png");
        Files.write(huge, HugePng.gray(12_000, 12_000));
        String cp = System.getProperty("surefire.test.class.path", System.getProperty("java.class.path"));
        Path javaBin = Path.of(System.getProperty("java.home"), "bin", "java");
        Process p = new ProcessBuilder(javaBin.toString(), "-Xmx96m", "-cp", cp, Main.class.getName(),
                "predict", "--weights", weights.toString(), huge.toString()).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor()).as(out).isZero();
        assertThat(out.strip()).matches(java.util.regex.Pattern.quote(huge.toString()) + ": \\d  \\(.*\\)");
    }

    @Test
    void aMissingImageIsOneErrorLine() {
        Path missing = tmp.resolve("absent.png");
        Cli.Result r = Cli.run("predict", "--weights", weights.toString(), missing.toString());
        assertThat(r.code()).as("%s", r).isEqualTo(1);
        assertThat(r.errLines()).singleElement().asString().isEqualTo("antorcha: image not found: " + missing);
    }
}
