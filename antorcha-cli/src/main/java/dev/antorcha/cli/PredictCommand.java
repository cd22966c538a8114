package dev.antorcha.cli;

import dev.antorcha.Antorcha;
import dev.antorcha.nn.Module;
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
import java.util.Iterator;
import javax.imageio.ImageIO;
import javax.imageio.ImageReadParam;
import javax.imageio.ImageReader;
import javax.imageio.stream.ImageInputStream;
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
        ModelFiles.Loaded loaded = ModelFiles.load(weights);
        Module model = loaded.model();
        model.eval();
        List<String> classes = DatasetChoice.parse(ModelFiles.datasetOf(weights)).labels();
        for (Path p : images) {
            Tensor x = loaded.kind().input(toInput(p));
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

    /** Decoded images are kept to about this many pixels a side: plenty for a 28×28 input. */
    static final int MAX_SIDE = 1024;

    /**
     * Reads an image, every failure said with the file's name: missing, a folder, unreadable, not
     * an image, corrupt. A large image is decoded with subsampling (every n-th pixel, at most
     * {@link #MAX_SIDE} a side), so a 12000×12000 picture costs no more memory than a small one.
     */
    static BufferedImage read(Path file) throws IOException {
        if (!Files.exists(file)) throw new NoSuchFileException(file.toString(), null, "image not found");
        if (Files.isDirectory(file)) throw new IllegalArgumentException(file + " is a folder, not an image");
        if (!Files.isReadable(file)) throw new java.nio.file.AccessDeniedException(file.toString(), null, "image not readable");
        // No cache file: ImageIO would otherwise leave imageio*.tmp files in the temp folder when interrupted.
        ImageIO.setUseCache(false);
        try (ImageInputStream in = ImageIO.createImageInputStream(file.toFile())) {
            if (in == null) throw new IOException(file + ": cannot open the file as an image");
            Iterator<ImageReader> readers = ImageIO.getImageReaders(in);
            if (!readers.hasNext()) {
                throw new IllegalArgumentException(file + " is not an image that Java can read (PNG, JPEG, GIF or BMP)");
            }
            ImageReader reader = readers.next();
            try {
                reader.setInput(in, true, true);
                int w = reader.getWidth(0), h = reader.getHeight(0);
                ImageReadParam param = reader.getDefaultReadParam();
                int step = Math.max(1, (Math.max(w, h) + MAX_SIDE - 1) / MAX_SIDE);
                if (step > 1) param.setSourceSubsampling(step, step, 0, 0);
                return reader.read(0, param);
            } catch (IOException | RuntimeException e) {
                throw new IOException(file + " is not a readable " + reader.getFormatName().toUpperCase(Locale.ROOT)
                        + " image (" + imageIoReason(e) + ")", e);
            } finally {
                reader.dispose();
            }
        }
    }

    /** ImageIO's reason, from the innermost exception that has one ("Caught exception during read" says nothing). */
    private static String imageIoReason(Throwable e) {
        String reason = null;
        for (Throwable t = e; t != null; t = t.getCause()) {
            String m = t.getMessage();
            if (m != null && !m.isBlank() && !m.startsWith("Caught exception during read")) reason = m.strip();
            if (t instanceof java.io.EOFException) return "the file ends early: truncated";
        }
        if (reason == null) return "corrupt data: " + e.getClass().getSimpleName();
        return reason.equals("Error reading PNG image data") ? "corrupt PNG data" : reason;
    }

    /** The image as a {@code [1, 1, 28, 28]} tensor in [0, 1], light strokes on a dark ground. */
    static Tensor toInput(Path file) throws IOException {
        BufferedImage src = read(file);
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
