package dev.antorcha.cli;

import dev.antorcha.tensor.Tensor;
import dev.antorcha.vision.datasets.MNIST;
import java.nio.file.Path;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code antorcha eval}: test accuracy, mean loss and confusion matrix of saved weights. */
@Command(name = "eval", mixinStandardHelpOptions = true,
        description = "Evaluate saved weights on the test set: accuracy, mean loss, confusion matrix.")
final class EvalCommand implements Callable<Integer> {
    @Mixin
    DataOptions data;

    @Option(names = "--weights", defaultValue = "classifier.safetensors", paramLabel = "FILE",
            description = "weights saved by 'antorcha train' (default: ${DEFAULT-VALUE})")
    Path weights;

    @Option(names = "--batch-size", description = "images per forward pass (default: the model's test batch: "
            + "1000 for the MLP, 64 for the CNN, 250 for the MNIST RNN)")
    Integer batchSize;

    @picocli.CommandLine.Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        if (batchSize != null && batchSize < 1) throw new UsageException("--batch-size must be >= 1, got " + batchSize);
        ModelFiles.Loaded loaded = ModelFiles.load(weights);
        // the recipe's test batch, as train evaluates: a CNN's activations of 1,000 images would not fit the launcher's heap
        int batch = batchSize != null ? batchSize : loaded.kind().recipe.testBatch();
        String trainedOn = ModelFiles.datasetOf(weights);
        if (!spec.commandLine().getParseResult().hasMatchedOption("--dataset")) {
            data.dataset = trainedOn;          // evaluate on what the weights were trained on
        } else if (!DatasetChoice.parse(data.dataset).option.equals(DatasetChoice.parse(trainedOn).option)) {
            throw new IllegalArgumentException(weights + " was trained on " + trainedOn + ", not on " + data.dataset
                    + " (drop --dataset to evaluate on " + trainedOn + ")");
        }
        MNIST<Tensor> test = data.load(false, false, loaded.kind().transform());
        Evaluation e = Evaluation.of(loaded.model(), test, batch, test.classes().size());
        System.out.println(e.accuracyLine());
        System.out.printf(Locale.ROOT, "mean loss: %.4f (%d images)%n", e.meanLoss(), e.total());
        System.out.print(e.confusionTable(test.classes()));
        return 0;
    }
}
