package dev.antorcha.optim;

import dev.antorcha.tensor.Tensor;
import java.util.List;
import java.util.Map;

/**
 * An optimizer's resumable state, PyTorch's {@code optimizer.state_dict()}: the hyperparameters
 * of each group, and per parameter (indexed across all groups in order) its buffers
 * ({@code exp_avg}, {@code momentum_buffer}, ...) and {@code step} as 0-d tensors (copies).
 */
public record OptimizerState(List<Map<String, Double>> paramGroups, Map<Integer, Map<String, Tensor>> state) {
}
