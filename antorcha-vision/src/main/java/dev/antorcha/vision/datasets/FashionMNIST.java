package dev.antorcha.vision.datasets;

import dev.antorcha.vision.transforms.Image;
import dev.antorcha.vision.transforms.Transform;

import java.nio.file.Path;
import java.util.List;

/**
 * Zalando's Fashion-MNIST, torchvision's {@code datasets.FashionMNIST}: 60,000 training and
 * 10,000 test images of clothing, {@code 28×28} gray, 10 classes ("T-shirt/top" … "Ankle boot").
 * Everything else (files in {@code root/FashionMNIST/raw}, verified downloads, lazy samples) is as in
 * {@link MNIST}; only the mirrors, MD5s and class names differ ({@link MnistSpec#FASHION_MNIST}).
 *
 * <pre>{@code
 * var test = new FashionMNIST<>("data", false, new ToTensor(), true);   // data/FashionMNIST/raw
 * }</pre>
 */
public class FashionMNIST<X> extends MNIST<X> {

    public FashionMNIST(String root, boolean train, Transform<Image, X> transform, boolean download) {
        this(Path.of(root), train, transform, download);
    }

    public FashionMNIST(Path root, boolean train, Transform<Image, X> transform, boolean download) {
        this(root, train, transform, download, DownloadOptions.defaults());
    }

    public FashionMNIST(Path root, boolean train, Transform<Image, X> transform, boolean download,
                DownloadOptions options) {
        super(MnistSpec.FASHION_MNIST, root, train, transform, download, options);
    }

    /** Replaces the mirrors FashionMNIST downloads from (null: back to torchvision's list). */
    public static void setMirrors(List<String> mirrors) {
        setMirrors(MnistSpec.FASHION_MNIST, mirrors);
    }

    /** The mirrors FashionMNIST downloads from when {@link DownloadOptions#mirrors()} is empty. */
    public static List<String> mirrors() {
        return mirrorsOf(MnistSpec.FASHION_MNIST);
    }
}
