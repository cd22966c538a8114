package dev.antorcha.cli;

import dev.antorcha.Antorcha;
import dev.antorcha.examples.Classifier;
import dev.antorcha.tensor.Tensor;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import javax.imageio.ImageIO;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code antorcha predict}: classifies PNG/JPEG images of any size. Each is turned to grayscale,
 * scaled to 28×28 and, like MNIST, made light-on-dark (a dark-on-light picture is inverted).
 */
@Command(name = "predict", mixinStandardHelpOptions = true,
        description = "Classify images (PNG/JPEG, any size) with saved weights: class and top-3 probabilities.")
final class PredictCommand implements Callable<Integer> {
    @Option(names = "--weights", defaultValue = "classifier.safetensors", paramLabel = "FILE",
            description = "weights saved by 'antorcha train' (default: ${DEFAULT-VALUE})")
    Path weights;

    @Parameters(arity = "1..*", paramLabel = "IMAGE", description = "image files")
    List<Path> images;

    @Override
    public Integer call() throws Exception {
        Classifier model = ModelFiles.load(weights);
        model.eval();
        List<String> classes = DatasetChoice.parse(ModelFiles.datasetOf(weights)).labels();
        for (Path p : images) {
            Tensor x = toInput(p);
            float[] prob;
            try (var _ = Antorcha.noGrad()) {
                prob = model.forward(x).softmax(1).toFloatArray();
            }
            Integer[] order = new Integer[prob.length];
            for (int i = 0; i < order.length; i++) order[i] = i;
            java.util.Arrays.sort(order, (a, b) -> Float.compare(prob[b], prob[a]));
            StringBuilder sb = new StringBuilder(p + ": " + classes.get(order[0]) + "  (");
            for (int r = 0; r < 3; r++) {
                if (r > 0) sb.append(", ");
                sb.append(String.format(Locale.ROOT, "%s %.2f%%", classes.get(order[r]), 100 * prob[order[r]]));
            }
            System.out.println(sb.append(')'));
        }
        return 0;
    }

    /** The image as a {@code [1, 1, 28, 28]} tensor in [0, 1], light strokes on a dark ground. */
    static Tensor toInput(Path file) throws IOException {
        if (!Files.exists(file)) throw new NoSuchFileException(file.toString(), null, "image not found");
        BufferedImage src = ImageIO.read(file.toFile());
        if (src == null) throw new IllegalArgumentException(file + " is not a PNG or JPEG image that Java can read");
        BufferedImage gray = new BufferedImage(28, 28, BufferedImage.TYPE_BYTE_GRAY);
        Graphics2D g = gray.createGraphics();
        if (src.getColorModel().hasAlpha()) {
            // transparent means paper: composite over white, then the dark-on-light check below inverts
            g.setColor(java.awt.Color.WHITE);
            g.fillRect(0, 0, 28, 28);
        }
        g.setRenderingHint(RenderingHints.KEY_INTERPOLATION, RenderingHints.VALUE_INTERPOLATION_BILINEAR);
        g.setRenderingHint(RenderingHints.KEY_RENDERING, RenderingHints.VALUE_RENDER_QUALITY);
        g.drawImage(src, 0, 0, 28, 28, null);
        g.dispose();
        float[] px = new float[28 * 28];
        var raster = gray.getRaster();
        double border = 0;
        for (int y = 0; y < 28; y++) {
            for (int x = 0; x < 28; x++) {
                px[y * 28 + x] = raster.getSample(x, y, 0) / 255f;
                if (x == 0 || y == 0 || x == 27 || y == 27) border += px[y * 28 + x];
            }
        }
        if (border / (4 * 27) > 0.5) {
            for (int i = 0; i < px.length; i++) px[i] = 1f - px[i];
        }
        return Antorcha.tensor(px, 1, 1, 28, 28);
    }
}
