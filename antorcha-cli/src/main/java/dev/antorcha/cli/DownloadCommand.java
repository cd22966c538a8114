package dev.antorcha.cli;

import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code antorcha download DATASET}: fetch and verify the four files of a data set. */
@Command(name = "download", mixinStandardHelpOptions = true,
        description = "Download and verify a data set (train and test files) into ROOT.")
final class DownloadCommand implements Callable<Integer> {
    @Parameters(index = "0", paramLabel = "DATASET", description = DatasetChoice.NAMES)
    String dataset;

    @Option(names = "--root", paramLabel = "DIR", defaultValue = "mnist_data", description = "data folder (default: ${DEFAULT-VALUE})")
    java.nio.file.Path root;

    @Option(names = "--mirror", paramLabel = "URL", description = "mirror to use instead of the data set's own (repeatable)")
    java.util.List<String> mirrors = new java.util.ArrayList<>();

    @Override
    public Integer call() {
        DataOptions d = new DataOptions();
        d.dataset = dataset;
        d.root = root;
        d.mirrors = mirrors;
        // Not kept: one split in memory at a time (the training images are 47 MB of the launcher's 128 MB heap).
        int trainSize = d.load(true, false, ModelKind.MLP.transform()).size();
        var test = d.load(false, false, ModelKind.MLP.transform());
        System.out.printf("%s: %d training and %d test images in %s%n", d.choice(), trainSize, test.size(),
                test.rawFolder());
        return 0;
    }
}
