package dev.antorcha.vision.datasets;

import dev.antorcha.tensor.Factory;
import dev.antorcha.tensor.Tensor;
import dev.antorcha.data.Batch;
import dev.antorcha.data.BatchDataset;
import dev.antorcha.data.Collate;
import dev.antorcha.vision.transforms.Compose;
import dev.antorcha.vision.transforms.Normalize;
import dev.antorcha.vision.transforms.ToTensor;
import dev.antorcha.data.Dataset;
import dev.antorcha.data.Example;
import dev.antorcha.vision.transforms.Image;
import dev.antorcha.vision.transforms.Transform;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The MNIST handwritten digits, torchvision's {@code datasets.MNIST}: 60,000 training and 10,000
 * test images of {@code 28×28} gray pixels, labels 0–9.
 *
 * <p>Files live in {@code root/MNIST/raw/} exactly as torchvision keeps them (each {@code .gz}
 * and its decompressed IDX file), so either tool uses what the other fetched. A decompressed file
 * is used when present; a lone {@code .gz} is decompressed next to itself. With
 * {@code download}, missing files, and decompressed files cut short (a full disk, a killed
 * process), are fetched from the mirrors and checked against torchvision's MD5s (see
 * {@link Downloader}).
 *
 * <p>The pixels stay as one {@code byte[]} ({@link #images()}); {@link #get} builds each sample
 * lazily: an {@link Image} over that array, passed through {@code transform}.
 *
 * <pre>{@code
 * var train = new MNIST<>("mnist_data", true, new ToTensor(), true);
 * Example<Tensor, Long> ex = train.get(0);    // input [1, 28, 28] in [0, 1], target 5
 * }</pre>
 *
 * <p>All constructors throw {@link UncheckedIOException} on failure, with a message that names
 * the file, says what is wrong and what to do (which files to place in which folder); the cause
 * is an {@link IdxFormatException}, {@link ChecksumException}, {@link DownloadException},
 * {@link CannotWriteException}, {@link DatasetNotFoundException} (a {@link NoSuchFileException})
 * or the file system's own exception. A decompressed file that cannot be written (a full disk, a
 * read-only folder) is no failure: the {@code .gz} is read instead, and a warning says why.
 *
 * @param <X> what {@code transform} makes of an {@link Image} ({@link Image} itself when it is {@code null})
 */
public class MNIST<X> implements Dataset<Example<X, Long>>, BatchDataset {
    private static final Map<String, List<String>> MIRRORS = new ConcurrentHashMap<>();

    /**
     * How messages tell the caller to turn downloading on (the constructors' {@code download}
     * argument); a front end with its own word for it, such as a command-line flag, may replace it.
     */
    public static final String DOWNLOAD_REMEDY = "pass download = true";

    private final MnistSpec spec;
    private final Path root;
    private final boolean train;
    private final Transform<Image, X> transform;
    /**
     * The transform is the tutorial's {@code ToTensor()} (alone or in a one-step Compose), or
     * {@code Compose([ToTensor(), Normalize(mean, std)])} with one mean and std (the MNIST examples'):
     * batches take the fast path.
     */
    private final boolean fastPath;
    /** {mean, std} of that Normalize step, or null. */
    private final float[] normalize;
    private final DownloadOptions options;
    private final byte[] images;
    private final byte[] labels;
    private final int size;
    private final int height;
    private final int width;

    /** torchvision's {@code MNIST(root, train, transform, download=...)}; {@code transform} may be null. */
    public MNIST(String root, boolean train, Transform<Image, X> transform, boolean download) {
        this(Path.of(root), train, transform, download);
    }

    public MNIST(Path root, boolean train, Transform<Image, X> transform, boolean download) {
        this(root, train, transform, download, DownloadOptions.defaults());
    }

    /** With explicit mirrors, timeouts and progress output. */
    public MNIST(Path root, boolean train, Transform<Image, X> transform, boolean download, DownloadOptions options) {
        this(MnistSpec.MNIST, root, train, transform, download, options);
    }

    /** For the rest of the family (FashionMNIST, KMNIST, or a spec of one's own). */
    protected MNIST(MnistSpec spec, Path root, boolean train, Transform<Image, X> transform, boolean download,
                    DownloadOptions options) {
        this.spec = spec;
        this.root = root;
        this.train = train;
        this.transform = transform;
        this.normalize = normalizeStep(transform);
        this.fastPath = transform instanceof ToTensor || normalize != null
                || transform instanceof Compose<?, ?> c && c.transforms().size() == 1 && c.transforms().get(0) instanceof ToTensor;
        this.options = options;
        RawFolder files = new RawFolder(spec, rawFolder(), options.withMirrors(effectiveMirrors()));
        if (download) files.download();
        MnistSpec.Resource imgFile = spec.images(train), labFile = spec.labels(train);
        IdxFile img = files.read(imgFile, download), lab = files.read(labFile, download);
        if (img == null || lab == null) {
            DatasetNotFoundException e = files.notFound(train, download);
            throw new UncheckedIOException(e.getMessage(), e);
        }
        if (img.count() != lab.count()) {
            throw unchecked(new IdxFormatException(lab.name(), "has " + lab.count() + " labels but " + img.name()
                    + " has " + img.count() + " images; " + files.replaceBoth(imgFile, labFile, download)));
        }
        byte[] l = lab.data();
        for (int i = 0; i < l.length; i++) {
            if ((l[i] & 0xFF) >= spec.classes().size()) {
                throw unchecked(new IdxFormatException(lab.name(), "label " + (l[i] & 0xFF)
                        + " of item " + i + " (offset " + (8 + i) + ") is not a class of " + spec.name()
                        + " (0 to " + (spec.classes().size() - 1) + "); " + files.replaceBoth(imgFile, labFile, download)));
            }
        }
        this.images = img.data();
        this.labels = l;
        int[] dims = img.dims();
        this.size = img.count();
        this.height = dims[1];
        this.width = dims[2];
    }

    // ---- mirrors, torchvision's class attribute ----------------------------------------------

    /** Replaces the mirrors MNIST downloads from (null: back to torchvision's list), for every later instance. */
    public static void setMirrors(List<String> mirrors) {
        setMirrors(MnistSpec.MNIST, mirrors);
    }

    /** The mirrors MNIST downloads from when {@link DownloadOptions#mirrors()} is empty. */
    public static List<String> mirrors() {
        return mirrorsOf(MnistSpec.MNIST);
    }

    protected static void setMirrors(MnistSpec spec, List<String> mirrors) {
        if (mirrors == null) MIRRORS.remove(spec.name());
        else MIRRORS.put(spec.name(), DownloadOptions.normalize(mirrors));
    }

    protected static List<String> mirrorsOf(MnistSpec spec) {
        return MIRRORS.getOrDefault(spec.name(), spec.mirrors());
    }

    private List<String> effectiveMirrors() {
        return options.mirrors().isEmpty() ? mirrorsOf(spec) : options.mirrors();
    }

    // ---- files ------------------------------------------------------------------------------

    /** {@code root/NAME/raw}, where the files live. */
    public final Path rawFolder() {
        return root.resolve(spec.name()).resolve("raw");
    }

    /**
     * Fetches and verifies whatever is missing or damaged (both splits, as torchvision does) and
     * decompresses it; does nothing when every decompressed file is present and complete.
     */
    public final void download() {
        new RawFolder(spec, rawFolder(), options.withMirrors(effectiveMirrors())).download();
    }

    /** Keeps the message on top: users read it first, the cause's type is for code. */
    private static UncheckedIOException unchecked(IOException e) {
        return RawFolder.unchecked(e);
    }

    // ---- samples ----------------------------------------------------------------------------

    /** Sample {@code index}: the transformed image and its label. */
    @Override
    @SuppressWarnings("unchecked")
    public Example<X, Long> get(int index) {
        Image img = image(index);
        // No transform: the raw Image is the sample, as torchvision returns the PIL image.
        X x = transform == null ? (X) img : transform.apply(img);
        return new Example<>(x, (long) (labels[index] & 0xFF));
    }

    @Override
    public int size() {
        return size;
    }

    /**
     * The DataLoader's fast path: with the tutorial's transform ({@code ToTensor}, alone or as the
     * only step of a {@code Compose}), or {@code ToTensor} then a one-channel {@code Normalize},
     * the batch {@code [B, 1, H, W]} is filled straight from the stored bytes, equal bit for bit
     * to collating {@code get(i)} (the same float32 subtraction then division as {@link Normalize});
     * any other transform takes the general path.
     */
    @Override
    public Batch batch(int[] indices) {
        if (!fastPath) {
            List<Example<X, Long>> samples = new ArrayList<>(indices.length);
            for (int i : indices) samples.add(get(i));
            return Collate.<Example<X, Long>>defaultCollate().collate(samples);
        }
        int plane = height * width;
        float[] x = new float[indices.length * plane];
        long[] y = new long[indices.length];
        for (int b = 0; b < indices.length; b++) {
            int i = indices[b];
            checkIndex(i);
            ToTensor.fill(images, i * plane, x, b * plane, plane);
            if (normalize != null) {
                float m = normalize[0], sd = normalize[1];
                for (int k = b * plane, end = k + plane; k < end; k++) x[k] = (x[k] - m) / sd;
            }
            y[b] = labels[i] & 0xFF;
        }
        // The fresh arrays become the tensors' storage: no second copy.
        return new Batch(Factory.adopt(x, indices.length, 1, height, width), Factory.adopt(y, indices.length));
    }

    /** {mean, std} when {@code t} is {@code Compose([ToTensor(), Normalize(mean, std)])} with one value each, else null. */
    private static float[] normalizeStep(Transform<?, ?> t) {
        if (!(t instanceof Compose<?, ?> c) || c.transforms().size() != 2) return null;
        if (!(c.transforms().get(0) instanceof ToTensor) || !(c.transforms().get(1) instanceof Normalize n)) return null;
        float[] mean = n.mean(), std = n.std();
        return mean.length == 1 ? new float[] {mean[0], std[0]} : null;
    }

    private void checkIndex(int index) {
        if (index < 0 || index >= size) {
            throw new IndexOutOfBoundsException("index " + index + " is out of range for " + spec.name() + " ("
                    + (train ? "train" : "test") + ") with " + size + " samples");
        }
    }

    /** The raw image {@code index} ({@code height × width}, one channel), without the transform. */
    public Image image(int index) {
        checkIndex(index);
        return Image.wrap(images, index * height * width, width, height, 1);
    }

    /** The label of sample {@code index}. */
    public long target(int index) {
        checkIndex(index);
        return labels[index] & 0xFF;
    }

    /**
     * All pixels, {@code size() × height() × width()} bytes (image {@code i} at {@code i * height * width}).
     * The dataset's own array, for fast paths: do not modify it.
     */
    public byte[] images() { return images; }

    /** All labels as unsigned bytes, {@code size()} of them. The dataset's own array: do not modify it. */
    public byte[] labels() { return labels; }

    /** All labels as int64 values, torchvision's {@code targets} (a copy). */
    public long[] targets() {
        long[] t = new long[size];
        for (int i = 0; i < size; i++) t[i] = labels[i] & 0xFF;
        return t;
    }

    public int height() { return height; }
    public int width() { return width; }
    public boolean train() { return train; }
    public Path root() { return root; }
    public MnistSpec spec() { return spec; }
    public Transform<Image, X> transform() { return transform; }

    /** The class names, index = label, e.g. {@code "5 - five"}. */
    public List<String> classes() { return spec.classes(); }

    /** Class name → label, torchvision's {@code class_to_idx}. */
    public Map<String, Integer> classToIdx() {
        Map<String, Integer> m = new LinkedHashMap<>();
        for (int i = 0; i < spec.classes().size(); i++) m.put(spec.classes().get(i), i);
        return m;
    }

    /** Like torchvision's repr. */
    @Override
    public String toString() {
        return "Dataset " + spec.name() + "\n    Number of datapoints: " + size + "\n    Root location: " + root
                + "\n    Split: " + (train ? "Train" : "Test")
                + (transform == null ? "" : "\n    StandardTransform\nTransform: " + transform);
    }
}
