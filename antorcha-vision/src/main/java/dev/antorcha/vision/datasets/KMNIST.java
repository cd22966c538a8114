package dev.antorcha.vision.datasets;

import dev.antorcha.vision.transforms.Image;
import dev.antorcha.vision.transforms.Transform;

import java.nio.file.Path;
import java.util.List;

/**
 * Kuzushiji-MNIST (cursive Japanese characters), torchvision's {@code datasets.KMNIST}: 60,000
 * training and 10,000 test images, {@code 28×28} gray, 10 classes ("o", "ki", … "wo").
 * Everything else (files in {@code root/KMNIST/raw}, verified downloads, lazy samples) is as in
 * {@link MNIST}; only the mirrors, MD5s and class names differ ({@link MnistSpec#KMNIST}).
 *
 * <pre>{@code
 * var train = new KMNIST<>("data", true, new ToTensor(), true);   // data/KMNIST/raw
 * }</pre>
 */
public class KMNIST<X> extends MNIST<X> {

    public KMNIST(String root, boolean train, Transform<Image, X> transform, boolean download) {
        this(Path.of(root), train, transform, download);
    }

    public KMNIST(Path root, boolean train, Transform<Image, X> transform, boolean download) {
        this(root, train, transform, download, DownloadOptions.defaults());
    }

    public KMNIST(Path root, boolean train, Transform<Image, X> transform, boolean download,
                DownloadOptions options) {
        super(MnistSpec.KMNIST, root, train, transform, download, options);
    }

    /** Replaces the mirrors KMNIST downloads from (null: back to torchvision's list). */
    public static void setMirrors(List<String> mirrors) {
        setMirrors(MnistSpec.KMNIST, mirrors);
    }

    /** The mirrors KMNIST downloads from when {@link DownloadOptions#mirrors()} is empty. */
    public static List<String> mirrors() {
        return mirrorsOf(MnistSpec.KMNIST);
    }
}
