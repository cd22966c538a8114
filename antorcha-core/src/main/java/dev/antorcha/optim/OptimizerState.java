package dev.antorcha.optim;

import dev.antorcha.tensor.Tensor;
import java.util.List;
import java.util.Map;

/**
 * An optimizer's resumable state, PyTorch's {@code optimizer.state_dict()}: the hyperparameters
 * of each group, and per parameter (indexed across all groups in order) its buffers
 * ({@code exp_avg}, {@code momentum_buffer}, ...) and {@code step} as 0-d tensors (copies), and the number of
 * parameters in each group (torch's {@code param_groups[i]['params']}), checked on load.
 */
public record OptimizerState(List<Map<String, Double>> paramGroups, Map<Integer, Map<String, Tensor>> state,
                             List<Integer> groupSizes) {
    /** A state without the groups' sizes (they are then not checked on load). */
    public OptimizerState(List<Map<String, Double>> paramGroups, Map<Integer, Map<String, Tensor>> state) {
        this(paramGroups, state, null);
    }
}
