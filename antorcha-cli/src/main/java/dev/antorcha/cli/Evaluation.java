package dev.antorcha.cli;

import dev.antorcha.Antorcha;
import dev.antorcha.data.Batch;
import dev.antorcha.data.DataLoader;
import dev.antorcha.data.Dataset;
import dev.antorcha.data.Example;
import dev.antorcha.nn.CrossEntropyLoss;
import dev.antorcha.nn.Module;
import dev.antorcha.nn.Reduction;
import dev.antorcha.tensor.Tensor;
import java.util.List;
import java.util.Locale;

/**
 * Accuracy, mean loss and confusion matrix of a model on a data set, without recording a
 * graph. Train and eval both use it, so they report the same accuracy for the same weights.
 */
record Evaluation(int correct, int total, double meanLoss, long[][] confusion) {

    static Evaluation of(Module model, Dataset<? extends Example<Tensor, ?>> data, int batchSize, int classes) {
        boolean wasTraining = model.isTraining();
        // the batches go where the model's parameters are (a model trained with --device cuda)
        dev.antorcha.tensor.Device on = model.parameters().isEmpty() ? dev.antorcha.tensor.Device.CPU
                : model.parameters().get(0).device();
        model.eval();
        long[][] confusion = new long[classes][classes];
        int correct = 0, total = 0;
        double lossSum = 0;
        CrossEntropyLoss sum = new CrossEntropyLoss(Reduction.SUM);
        try (var _ = Antorcha.noGrad()) {
            for (Batch b : DataLoader.of(data, batchSize)) {
                Tensor logits = model.forward(b.input().to(on));
                lossSum += sum.forward(logits, b.target().to(on)).item();
                long[] predicted = logits.argmax(1).toLongArray(), actual = b.target().toLongArray();
                for (int i = 0; i < predicted.length; i++) {
                    confusion[(int) actual[i]][(int) predicted[i]]++;
                    if (predicted[i] == actual[i]) correct++;
                }
                total += predicted.length;
            }
        } finally {
            model.train(wasTraining);
        }
        return new Evaluation(correct, total, total == 0 ? Double.NaN : lossSum / total, confusion);
    }

    double accuracy() {
        return total == 0 ? 0 : 100.0 * correct / total;
    }

    /** {@code test accuracy: 95.93%}, the line the README and scripts rely on. */
    String accuracyLine() {
        return String.format(Locale.ROOT, "test accuracy: %.2f%%", accuracy());
    }

    String confusionTable(List<String> classes) {
        StringBuilder sb = new StringBuilder("confusion matrix (rows: true class, columns: predicted)\n");
        sb.append("      ");
        for (int j = 0; j < confusion.length; j++) sb.append(String.format(Locale.ROOT, "%6d", j));
        sb.append('\n');
        for (int i = 0; i < confusion.length; i++) {
            sb.append(String.format(Locale.ROOT, "%5d ", i));
            for (long c : confusion[i]) sb.append(String.format(Locale.ROOT, "%6d", c));
            if (i < classes.size()) sb.append("  ").append(classes.get(i));
            sb.append('\n');
        }
        return sb.toString();
    }
}
