package dev.antorcha.tensor;

import java.util.Objects;

/**
 * A pair of tensors as PyTorch's {@code torch.return_types} give them: the values an op selected
 * and their int64 positions ({@code torch.max(x, dim)}, {@code torch.topk}, {@code max_pool2d}
 * with {@code return_indices=True}).
 *
 * <pre>{@code
 * ValuesIndices m = x.max(1, false);
 * Tensor best = m.values(), where = m.indices();
 * }</pre>
 *
 * @param values  the selected values, differentiable where the input is
 * @param indices int64 positions, never differentiable
 */
public record ValuesIndices(Tensor values, Tensor indices) {
    public ValuesIndices {
        Objects.requireNonNull(values, "values");
        Objects.requireNonNull(indices, "indices");
    }
}
