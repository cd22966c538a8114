package dev.antorcha.nn;

import dev.antorcha.autograd.NoGrad;
import dev.antorcha.tensor.Tensor;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** Loading of state dicts, with every problem reported at once in PyTorch's words. */
final class StateDicts {
    private StateDicts() {
    }

    static Module.IncompatibleKeys load(String name, Map<String, Tensor> live,
                                        Map<String, Tensor> state, boolean strict) {
        List<String> missing = new ArrayList<>(), unexpected = new ArrayList<>(), errors = new ArrayList<>();
        for (String k : live.keySet()) if (!state.containsKey(k)) missing.add(k);
        for (String k : state.keySet()) if (!live.containsKey(k)) unexpected.add(k);
        live.forEach((k, t) -> {
            Tensor src = state.get(k);
            if (src == null) return;
            if (!src.shape().equals(t.shape())) {
                errors.add("size mismatch for " + k + ": copying a param with shape " + src.shape()
                        + " from checkpoint, the shape in current model is " + t.shape() + ".");
            } else if (src.dtype() != t.dtype()) {
                errors.add("dtype mismatch for " + k + ": copying a param of dtype " + src.dtype().torchName()
                        + " from checkpoint, the dtype in current model is " + t.dtype().torchName() + ".");
            }
        });
        if (strict && (!missing.isEmpty() || !unexpected.isEmpty()) || !errors.isEmpty()) {
            StringBuilder sb = new StringBuilder("Error(s) in loading state_dict for " + name + ":");
            if (strict && !missing.isEmpty()) sb.append("\n\tMissing key(s) in state_dict: ").append(quoted(missing)).append('.');
            if (strict && !unexpected.isEmpty()) sb.append("\n\tUnexpected key(s) in state_dict: ").append(quoted(unexpected)).append('.');
            for (String e : errors) sb.append("\n\t").append(e);
            throw new IllegalArgumentException(sb.toString());
        }
        try (NoGrad _ = NoGrad.enter()) {
            live.forEach((k, t) -> {
                Tensor src = state.get(k);
                if (src != null) t.copy_(src);
            });
        }
        return new Module.IncompatibleKeys(List.copyOf(missing), List.copyOf(unexpected));
    }

    private static String quoted(List<String> keys) {
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < keys.size(); i++) {
            if (i > 0) sb.append(", ");
            sb.append('"').append(keys.get(i)).append('"');
        }
        return sb.toString();
    }
}
