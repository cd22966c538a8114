package dev.antorcha.data;

import dev.antorcha.ops.Args;
import dev.antorcha.tensor.Tensor;
import java.util.Objects;

/**
 * A dataset over two tensors that share their first dimension, PyTorch's
 * {@code TensorDataset(inputs, targets)}: sample {@code i} is {@code (inputs[i], targets[i])}.
 * Shape contract: inputs {@code [N, *]}, targets {@code [N, *]} → each sample's input is
 * {@code [*]} and its target {@code [*]} (a 0-d tensor for {@code [N]} labels). Samples are views
 * that share the tensors' storage (no copy) and are detached from autograd.
 *
 * <pre>{@code
 * var data = new TensorDataset(Antorcha.randn(100, 3), Antorcha.tensor(labels));   // [100, 3], [100]
 * for (Batch b : DataLoader.of(data, 10)) { ... }                                  // [10, 3], [10] int64
 * }</pre>
 */
public final class TensorDataset implements Dataset<Example<Tensor, Tensor>> {
    private final Tensor inputs;
    private final Tensor targets;

    /** @throws IllegalArgumentException when a tensor is 0-d or the first dimensions differ */
    public TensorDataset(Tensor inputs, Tensor targets) {
        Args.tensor(inputs, "TensorDataset", "inputs");
        Args.tensor(targets, "TensorDataset", "targets");
        if (inputs.dim() == 0 || targets.dim() == 0) {
            throw new IllegalArgumentException("TensorDataset needs tensors with at least one dimension, got inputs "
                    + inputs.shape() + " and targets " + targets.shape());
        }
        if (inputs.size(0) != targets.size(0)) {
            throw new IllegalArgumentException("Size mismatch between tensors: inputs " + inputs.shape()
                    + " has " + inputs.size(0) + " samples but targets " + targets.shape() + " has "
                    + targets.size(0));
        }
        this.inputs = inputs.detach();
        this.targets = targets.detach();
    }

    @Override
    public Example<Tensor, Tensor> get(int index) {
        Objects.checkIndex(index, size());
        // Low-level views: no graph node per sample, no copy.
        return new Example<>(inputs.viewOf(inputs.layout().select(0, index)),
                targets.viewOf(targets.layout().select(0, index)));
    }

    @Override
    public int size() {
        return inputs.size(0);
    }

    /** All inputs, {@code [N, *]}. */
    public Tensor inputs() {
        return inputs;
    }

    /** All targets, {@code [N, *]}. */
    public Tensor targets() {
        return targets;
    }
}
