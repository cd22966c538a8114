/**
 * Antorcha's vision datasets (MNIST, FashionMNIST, KMNIST with verified downloads) and image
 * transforms. Their API hands out core tensors and datasets, hence {@code requires transitive}.
 */
module dev.antorcha.vision {
    requires transitive dev.antorcha.core;

    exports dev.antorcha.vision.datasets;
    exports dev.antorcha.vision.transforms;
}
