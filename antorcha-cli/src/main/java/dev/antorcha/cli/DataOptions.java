package dev.antorcha.cli;

import dev.antorcha.tensor.Tensor;
import dev.antorcha.vision.datasets.DatasetNotFoundException;
import dev.antorcha.vision.datasets.DownloadException;
import dev.antorcha.vision.datasets.DownloadOptions;
import dev.antorcha.vision.datasets.MNIST;
import dev.antorcha.vision.datasets.ProgressListener;
import dev.antorcha.vision.transforms.Image;
import dev.antorcha.vision.transforms.Transform;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import picocli.CommandLine.Option;

/** Where the data comes from: shared by train, eval and download. */
final class DataOptions {
    @Option(names = "--dataset", paramLabel = "NAME", defaultValue = "mnist",
            description = DatasetChoice.NAMES + " (default: ${DEFAULT-VALUE})")
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

    /** The --dataset option's data set; an unknown name is a usage error. */
    DatasetChoice choice() {
        try {
            return DatasetChoice.parse(dataset);
        } catch (IllegalArgumentException e) {
            throw new UsageException(e.getMessage());
        }
    }

    /** --mirror values, else the comma-separated ANTORCHA_MIRROR, else the data set's own list. */
    List<String> effectiveMirrors() {
        if (!mirrors.isEmpty()) return mirrors;
        String env = System.getenv("ANTORCHA_MIRROR");
        if (env == null || env.isBlank()) return List.of();
        return Arrays.stream(env.split(",")).map(String::trim).filter(s -> !s.isEmpty()).toList();
    }

    /**
     * The split, downloaded unless {@code --no-download}. A failure becomes one line in the
     * command line's words: the library's messages run over several lines and speak of its
     * {@code download} argument, where the user has a flag.
     */
    MNIST<Tensor> load(boolean train, boolean quiet, Transform<Image, Tensor> transform) {
        DownloadOptions opts = DownloadOptions.defaults().withMirrors(effectiveMirrors()).withProgress(progress(quiet));
        DatasetChoice choice = choice();
        try {
            return choice.load(root, train, transform, !noDownload, opts);
        } catch (UncheckedIOException e) {
            throw new UncheckedIOException(oneLine(e, choice), e.getCause());
        }
    }

    /** Status lines and byte counts on stderr; with {@code --quiet}, only the warnings. */
    private static ProgressListener progress(boolean quiet) {
        if (!quiet) return ProgressListener.stderr();
        return new ProgressListener() {
            @Override public void message(String line) { }
            @Override public void progress(String fileName, long bytesDone, long totalBytes) { }
            @Override public void warning(String line) {
                System.err.println(line);
            }
        };
    }

    private String oneLine(UncheckedIOException e, DatasetChoice choice) {
        String offline = "to work offline, copy " + choice.spec.name() + "'s files ("
                + String.join(", ", choice.spec.resources().stream().map(r -> r.fileName()).toList())
                + ") into that folder";
        if (e.getCause() instanceof DatasetNotFoundException nf) {
            return "Dataset not found: " + nf.dataset() + " (" + (nf.train() ? "train" : "test") + ") is missing "
                    + String.join(", ", nf.missing()) + " in " + nf.folder() + "; "
                    + (noDownload ? "run without --no-download to download " + (nf.missing().size() == 1 ? "it" : "them")
                    + ", or " + offline.substring("to work offline, ".length()) : offline);
        }
        if (e.getCause() instanceof DownloadException d) {
            // "Could not download F into D:\n  URL: why\n  URL: why", then the library's offline list
            return joinLines(d.getMessage()) + "; " + offline;
        }
        String m = e.getMessage() == null ? e.getCause().toString() : e.getMessage();
        return joinLines(m.replace(MNIST.DOWNLOAD_REMEDY, "run without --no-download"));
    }

    private static String joinLines(String s) {
        return s.replaceAll(":\\R\\s*", ": ").replaceAll("\\R\\s*", "; ");
    }
}
