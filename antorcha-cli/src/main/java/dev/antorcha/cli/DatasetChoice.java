package dev.antorcha.cli;

import dev.antorcha.tensor.Tensor;
import dev.antorcha.vision.datasets.DownloadOptions;
import dev.antorcha.vision.datasets.FashionMNIST;
import dev.antorcha.vision.datasets.KMNIST;
import dev.antorcha.vision.datasets.MNIST;
import dev.antorcha.vision.datasets.MnistSpec;
import dev.antorcha.vision.transforms.Image;
import dev.antorcha.vision.transforms.Transform;
import java.nio.file.Path;
import java.util.List;

/** The data sets the command line knows, by their option names. */
enum DatasetChoice {
    MNIST_("mnist", MnistSpec.MNIST, MNIST::new),
    FASHION_MNIST("fashion-mnist", MnistSpec.FASHION_MNIST, FashionMNIST::new),
    KMNIST_("kmnist", MnistSpec.KMNIST, KMNIST::new);

    /** The option names for help texts and messages (annotations need a constant; a test checks it against the values). */
    static final String NAMES = "mnist, fashion-mnist or kmnist";

    /** A data set's public constructor. */
    private interface Loader {
        MNIST<Tensor> load(Path root, boolean train, Transform<Image, Tensor> transform, boolean download,
                           DownloadOptions options);
    }

    final String option;
    final MnistSpec spec;
    private final Loader loader;

    DatasetChoice(String option, MnistSpec spec, Loader loader) {
        this.option = option;
        this.spec = spec;
        this.loader = loader;
    }

    static DatasetChoice parse(String s) {
        for (DatasetChoice d : values()) if (d.option.equalsIgnoreCase(s)) return d;
        throw new IllegalArgumentException("unknown dataset '" + s + "' (expected " + NAMES + ")");
    }

    /** The chosen set's split through {@code transform} (the tutorial's is {@code Compose([ToTensor()])}). */
    MNIST<Tensor> load(Path root, boolean train, Transform<Image, Tensor> transform, boolean download,
                       DownloadOptions options) {
        return loader.load(root, train, transform, download, options);
    }

    /** Short class names for printing: torchvision's names without the digits' spelled-out part. */
    List<String> labels() {
        return spec.classes().stream().map(c -> c.split(" - ")[0]).toList();
    }

    @Override
    public String toString() {
        return option;
    }
}
