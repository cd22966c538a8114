package dev.antorcha.vision.datasets;

import java.util.List;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * What tells the MNIST family apart, torchvision's class attributes {@code mirrors},
 * {@code resources} and {@code classes}: the folder under the root, the default mirrors, the
 * four {@code .gz} files with the MD5 torchvision checks, and the class names.
 *
 * <pre>{@code
 * MnistSpec.MNIST.images(true).fileName();   // "train-images-idx3-ubyte.gz"
 * }</pre>
 *
 * @param name      folder under the root and name in messages, e.g. {@code MNIST}: files live in {@code root/name/raw}
 * @param mirrors   default base URLs, tried in order
 * @param resources train images, train labels, test images, test labels (torchvision's order)
 * @param classes   class names, index = label
 */
public record MnistSpec(String name, List<String> mirrors, List<Resource> resources, List<String> classes) {

    /** One downloadable file and the MD5 of its {@code .gz}. */
    public record Resource(String fileName, String md5) {
        private static final Pattern MD5 = Pattern.compile("[0-9a-f]{32}");

        public Resource {
            if (fileName == null || !fileName.endsWith(".gz") || fileName.contains("/")) {
                throw new IllegalArgumentException("expected a plain .gz file name, got " + fileName);
            }
            if (md5 == null || !MD5.matcher(md5).matches()) {
                throw new IllegalArgumentException("expected an MD5 of 32 lowercase hex digits for " + fileName
                        + ", got " + md5);
            }
        }

        /** The name torchvision gives the decompressed file: without {@code .gz}. */
        public String decompressedName() {
            return fileName.substring(0, fileName.length() - 3);
        }
    }

    public MnistSpec {
        if (name == null || name.isBlank() || name.contains("/") || name.contains("\\")) {
            throw new IllegalArgumentException("expected a folder name, got " + name);
        }
        mirrors = DownloadOptions.normalize(Objects.requireNonNull(mirrors, "mirrors"));
        resources = List.copyOf(resources);
        if (resources.size() != 4) {
            throw new IllegalArgumentException("expected 4 resources (train images, train labels, test images, "
                    + "test labels), got " + resources.size());
        }
        classes = List.copyOf(classes);
        if (classes.isEmpty() || classes.size() > 256) {
            throw new IllegalArgumentException("expected 1 to 256 classes (labels are bytes), got " + classes.size());
        }
    }

    /** The image file of the training ({@code true}) or test split. */
    public Resource images(boolean train) {
        return resources.get(train ? 0 : 2);
    }

    /** The label file of the training ({@code true}) or test split. */
    public Resource labels(boolean train) {
        return resources.get(train ? 1 : 3);
    }

    /** The four files every MNIST-like set has, with this set's MD5s. */
    private static List<Resource> resources(String trainImagesMd5, String trainLabelsMd5, String testImagesMd5,
                                            String testLabelsMd5) {
        return List.of(new Resource("train-images-idx3-ubyte.gz", trainImagesMd5),
                new Resource("train-labels-idx1-ubyte.gz", trainLabelsMd5),
                new Resource("t10k-images-idx3-ubyte.gz", testImagesMd5),
                new Resource("t10k-labels-idx1-ubyte.gz", testLabelsMd5));
    }

    /** torchvision 0.14's {@code MNIST}. */
    public static final MnistSpec MNIST = new MnistSpec("MNIST",
            List.of("http://yann.lecun.com/exdb/mnist/", "https://ossci-datasets.s3.amazonaws.com/mnist/"),
            resources("f68b3c2dcbeaaa9fbdd348bbdeb94873", "d53e105ee54ea40749a09fcbcd1e9432",
                    "9fb629c4189551a2d022fa330f9573f3", "ec29112dd5afa0611ce80d1b7f02629c"),
            List.of("0 - zero", "1 - one", "2 - two", "3 - three", "4 - four",
                    "5 - five", "6 - six", "7 - seven", "8 - eight", "9 - nine"));

    /** torchvision 0.14's {@code FashionMNIST}. */
    public static final MnistSpec FASHION_MNIST = new MnistSpec("FashionMNIST",
            List.of("http://fashion-mnist.s3-website.eu-central-1.amazonaws.com/"),
            resources("8d4fb7e6c68d591d4c3dfef9ec88bf0d", "25c81989df183df01b3e8a0aad5dffbe",
                    "bef4ecab320f06d8554ea6380940ec79", "bb300cfdad3c16e7a12a480ee83cd310"),
            List.of("T-shirt/top", "Trouser", "Pullover", "Dress", "Coat",
                    "Sandal", "Shirt", "Sneaker", "Bag", "Ankle boot"));

    /** torchvision 0.14's {@code KMNIST} (Kuzushiji-MNIST). */
    public static final MnistSpec KMNIST = new MnistSpec("KMNIST",
            List.of("http://codh.rois.ac.jp/kmnist/dataset/kmnist/"),
            resources("bdb82020997e1d708af4cf47b453dcf7", "e144d726b3acfaa3e44228e80efcd344",
                    "5c965bf0a639b31b8f53240b1b52f4d7", "7320c461ea6c1c855c0b718fb2a4b134"),
            List.of("o", "ki", "su", "tsu", "na", "ha", "ma", "ya", "re", "wo"));
}
