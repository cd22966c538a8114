package dev.antorcha.optim;

import dev.antorcha.ops.Args;
import dev.antorcha.tensor.Tensor;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A set of parameters with their own hyperparameters, PyTorch's {@code param_groups} entry.
 * Values not set here come from the optimizer's defaults.
 *
 * <pre>{@code
 * var groups = List.of(ParamGroup.of(model.features.parameters()),
 *                      ParamGroup.of(model.head.parameters()).set("lr", 1e-2));
 * Optimizer opt = new SGD(groups, new SGD.Options(1e-3, 0.9, 0, 0, false));
 * }</pre>
 */
public final class ParamGroup {
    private final List<Tensor> params;
    private final Map<String, Double> options = new LinkedHashMap<>();

    private ParamGroup(List<Tensor> params) {
        this.params = params;
    }

    public static ParamGroup of(Iterable<? extends Tensor> params) {
        return of(Args.nonNull(params, "ParamGroup.of", "params", "an Iterable of Tensors"), "ParamGroup.of");
    }

    /** The group, or an exception naming {@code op} when a parameter is null. */
    static ParamGroup of(Iterable<? extends Tensor> params, String op) {
        List<Tensor> list = new java.util.ArrayList<>();
        for (Tensor p : params) {
            if (p == null) {
                throw new NullPointerException(op + "(): argument 'params' must hold a Tensor at every position, "
                        + "but element " + list.size() + " is null");
            }
            list.add(p);
        }
        return new ParamGroup(List.copyOf(list));
    }

    /** Sets a hyperparameter of this group ({@code "lr"}, {@code "weight_decay"}, ...); returns this. */
    public ParamGroup set(String name, double value) {
        options.put(name, value);
        return this;
    }

    public double get(String name) {
        Double v = options.get(name);
        if (v == null) throw new IllegalArgumentException("parameter group has no option '" + name + "'; it has " + options.keySet());
        return v;
    }

    public boolean has(String name) {
        return options.containsKey(name);
    }

    public double lr() {
        return get("lr");
    }

    /** Changes the learning rate (schedulers do this). */
    public void setLr(double lr) {
        if (!(lr >= 0)) throw new IllegalArgumentException("Invalid learning rate: " + lr);
        options.put("lr", lr);
    }

    public List<Tensor> params() {
        return params;
    }

    public Map<String, Double> options() {
        return Collections.unmodifiableMap(options);
    }
}
