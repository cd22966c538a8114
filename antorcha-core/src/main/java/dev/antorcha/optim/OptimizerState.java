package dev.antorcha.optim;

import dev.antorcha.io.SafeTensors;
import dev.antorcha.tensor.Tensor;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * An optimizer's resumable state, PyTorch's {@code optimizer.state_dict()}: the hyperparameters
 * of each group, and per parameter (indexed across all groups in order) its buffers
 * ({@code exp_avg}, {@code momentum_buffer}, ...) and {@code step} as 0-d tensors (copies).
 * {@code groupSizes} (parameters per group) lets a load check that the groups match; null skips
 * that check. {@link #save}/{@link #load} keep it in a safetensors file, so training can resume
 * in another process.
 *
 * <pre>{@code
 * optimizer.stateDict().save(Path.of("adam.safetensors"));
 * optimizer.loadStateDict(OptimizerState.load(Path.of("adam.safetensors")));
 * }</pre>
 */
public record OptimizerState(List<Map<String, Double>> paramGroups, Map<Integer, Map<String, Tensor>> state,
                             List<Integer> groupSizes) {

    /** A state without group sizes (no size check on load). */
    public OptimizerState(List<Map<String, Double>> paramGroups, Map<Integer, Map<String, Tensor>> state) {
        this(paramGroups, state, null);
    }

    /**
     * Writes the state as safetensors: tensors {@code state.<param>.<buffer>}, hyperparameters
     * as metadata {@code param_groups.<group>.<name>} (exact decimal doubles) and
     * {@code param_groups.<group>.size}.
     */
    public void save(Path file) throws IOException {
        Map<String, Tensor> tensors = new LinkedHashMap<>();
        state.forEach((i, buffers) -> buffers.forEach((name, t) -> tensors.put("state." + i + "." + name, t)));
        Map<String, String> meta = new TreeMap<>();
        for (int g = 0; g < paramGroups.size(); g++) {
            int group = g;
            paramGroups.get(g).forEach((k, v) -> meta.put("param_groups." + group + "." + k, Double.toString(v)));
            if (groupSizes != null) meta.put("param_groups." + g + ".size", Integer.toString(groupSizes.get(g)));
        }
        SafeTensors.save(tensors, meta, file);
    }

    /** Reads a state written by {@link #save}; a malformed entry is an error naming it. */
    public static OptimizerState load(Path file) throws IOException {
        Map<Integer, Map<String, Tensor>> state = new TreeMap<>();
        for (var e : SafeTensors.load(file).entrySet()) {
            String[] parts = e.getKey().split("\\.", 3);
            if (parts.length != 3 || !parts[0].equals("state") || !parts[1].matches("\\d{1,9}")) {
                throw new IllegalArgumentException(file + ": unexpected tensor '" + e.getKey() + "' in an optimizer state");
            }
            state.computeIfAbsent(Integer.parseInt(parts[1]), k -> new LinkedHashMap<>()).put(parts[2], e.getValue());
        }
        Map<Integer, Map<String, Double>> groups = new TreeMap<>();
        Map<Integer, Integer> sizes = new TreeMap<>();
        for (var e : SafeTensors.metadata(file).entrySet()) {
            String[] parts = e.getKey().split("\\.", 3);
            if (parts.length != 3 || !parts[0].equals("param_groups") || !parts[1].matches("\\d{1,9}")) continue;
            int g = Integer.parseInt(parts[1]);
            try {
                if (parts[2].equals("size")) sizes.put(g, Integer.parseInt(e.getValue()));
                else groups.computeIfAbsent(g, k -> new LinkedHashMap<>()).put(parts[2], Double.parseDouble(e.getValue()));
            } catch (NumberFormatException ex) {
                throw new IllegalArgumentException(file + ": metadata '" + e.getKey() + "' is not a number: " + e.getValue());
            }
        }
        List<Map<String, Double>> list = new ArrayList<>(groups.values());
        if (list.isEmpty()) throw new IllegalArgumentException(file + " holds no optimizer parameter groups");
        return new OptimizerState(list, state, sizes.size() == list.size() ? new ArrayList<>(sizes.values()) : null);
    }
}
