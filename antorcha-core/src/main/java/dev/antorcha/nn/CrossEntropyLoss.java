package dev.antorcha.nn;

import dev.antorcha.nn.functional.Losses;
import dev.antorcha.tensor.Tensor;

/**
 * Cross-entropy between logits {@code [N, C]} (or {@code [N, C, d...]}) and int64 class targets
 * {@code [N]} (or float class probabilities of the input's shape), PyTorch's
 * {@code nn.CrossEntropyLoss}.
 *
 * <pre>{@code
 * CrossEntropyLoss lossFunction = new CrossEntropyLoss();
 * Tensor error = lossFunction.forward(output, tags);
 * var smoothed = new CrossEntropyLoss(new CrossEntropyLoss.Options(Reduction.SUM, -100, 0.1));
 * }</pre>
 */
public class CrossEntropyLoss extends Loss {

    /** Validated options: reduction, the target value to ignore, label smoothing in [0, 1]. */
    public record Options(Reduction reduction, long ignoreIndex, double labelSmoothing) {
        public Options {
            if (reduction == null) throw new IllegalArgumentException("reduction must not be null");
            if (!(labelSmoothing >= 0 && labelSmoothing <= 1)) {
                throw new IllegalArgumentException("label_smoothing must be between 0.0 and 1.0. Got: " + labelSmoothing);
            }
        }

        public static Options defaults() {
            return new Options(Reduction.MEAN, -100, 0.0);
        }

        public Options withReduction(Reduction r) {
            return new Options(r, ignoreIndex, labelSmoothing);
        }

        public Options withIgnoreIndex(long i) {
            return new Options(reduction, i, labelSmoothing);
        }

        public Options withLabelSmoothing(double s) {
            return new Options(reduction, ignoreIndex, s);
        }
    }

    private final Options options;

    public CrossEntropyLoss() {
        this(Options.defaults());
    }

    public CrossEntropyLoss(Reduction reduction) {
        this(Options.defaults().withReduction(reduction));
    }

    public CrossEntropyLoss(Options options) {
        super(options.reduction());
        this.options = options;
    }

    public Options options() {
        return options;
    }

    @Override
    public Tensor forward(Tensor input, Tensor target) {
        return Losses.crossEntropy(input, target, options.reduction(), options.ignoreIndex(), options.labelSmoothing());
    }
}
