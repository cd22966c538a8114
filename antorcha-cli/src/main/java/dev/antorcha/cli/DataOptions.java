package dev.antorcha.cli;

import dev.antorcha.tensor.Tensor;
import dev.antorcha.vision.datasets.DownloadOptions;
import dev.antorcha.vision.datasets.MNIST;
import dev.antorcha.vision.datasets.ProgressListener;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import picocli.CommandLine.Option;

/** Where the data comes from: shared by train, eval and download. */
final class DataOptions {
    @Option(names = "--dataset", paramLabel = "NAME", defaultValue = "mnist",
            description = "mnist or fashion-mnist (default: ${DEFAULT-VALUE})")
    String dataset;

    @Option(names = "--root", paramLabel = "DIR", defaultValue = "mnist_data",
            description = "data folder, laid out as torchvision's (default: ${DEFAULT-VALUE})")
    Path root;

    @Option(names = "--mirror", paramLabel = "URL",
            description = "download from this mirror instead of the data set's own (repeatable; "
                    + "the environment variable ANTORCHA_MIRROR does the same)")
    List<String> mirrors = new ArrayList<>();

    @Option(names = "--no-download", description = "never download; fail if the files are missing")
    boolean noDownload;

    DatasetChoice choice() {
        return DatasetChoice.parse(dataset);
    }

    /** --mirror values, else the comma-separated ANTORCHA_MIRROR, else the data set's own list. */
    List<String> effectiveMirrors() {
        if (!mirrors.isEmpty()) return mirrors;
        String env = System.getenv("ANTORCHA_MIRROR");
        if (env == null || env.isBlank()) return List.of();
        return Arrays.stream(env.split(",")).map(String::trim).filter(s -> !s.isEmpty()).toList();
    }

    MNIST<Tensor> load(boolean train, boolean quiet) {
        ProgressListener progress = quiet ? ProgressListener.silent() : ProgressListener.stderr();
        DownloadOptions opts = DownloadOptions.defaults().withMirrors(effectiveMirrors()).withProgress(progress);
        return choice().load(root, train, !noDownload, opts);
    }
}
