package dev.antorcha.optim;

import dev.antorcha.ops.Args;
import dev.antorcha.tensor.DType;
import dev.antorcha.tensor.Tensor;
import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Base of the optimizers: parameter groups, per-parameter state, {@code zeroGrad} and the
 * resumable state dict. Subclasses implement {@link #step()} as one pass over each parameter's
 * dense tensor through a backend kernel, with PyTorch 1.13's update formulas.
 */
public abstract class Optimizer {
    private final List<ParamGroup> groups = new ArrayList<>();
    /** Per parameter: its buffers by name, and the step count under {@code "step"}. */
    protected final Map<Tensor, Map<String, Tensor>> state = new IdentityHashMap<>();

    // validate() is overridable and runs before a subclass's fields are set; subclasses check only
    // the options map they are given (PyTorch's constructor-time checks), never their own fields.
    @SuppressWarnings("this-escape")
    protected Optimizer(List<ParamGroup> groups, Map<String, Double> defaults) {
        Args.nonNull(groups, getClass().getSimpleName(), "groups", "a List of ParamGroups");
        for (int i = 0; i < groups.size(); i++) {
            Args.nonNull(groups.get(i), getClass().getSimpleName(), "groups[" + i + "]", "a ParamGroup");
        }
        if (groups.isEmpty()) throw new IllegalArgumentException("optimizer got an empty parameter list");
        for (ParamGroup g : groups) addParamGroup(g, defaults);
    }

    /** One group of {@code params}; {@code op} (the optimizer's name) is for the null message. */
    protected static List<ParamGroup> single(Iterable<? extends Tensor> params, String op) {
        return List.of(ParamGroup.of(Args.nonNull(params, op, "params", "an Iterable of Tensors"), op));
    }

    private void addParamGroup(ParamGroup g, Map<String, Double> defaults) {
        if (g.params().isEmpty()) throw new IllegalArgumentException("optimizer got an empty parameter list");
        defaults.forEach((k, v) -> {
            if (!g.has(k)) g.set(k, v);
        });
        validate(g.options());
        for (Tensor p : g.params()) {
            if (!p.isLeaf()) throw new IllegalArgumentException("can't optimize a non-leaf Tensor (shape " + p.shape() + ")");
            if (!(p.dtype() == DType.FLOAT32 || p.dtype() == DType.FLOAT64) || !p.isContiguous() || p.layout().offset() != 0
                    || p.storage().capacity() != p.numel()) {
                throw new IllegalArgumentException("optimizer parameters must be dense float32 or float64 tensors (use nn.Parameter); got "
                        + p.dtype().torchName() + " " + p.shape() + (p.isContiguous() ? "" : " (a strided view)"));
            }
            for (ParamGroup other : groups) {
                for (Tensor q : other.params()) {
                    if (q == p) throw new IllegalArgumentException("some parameters appear in more than one parameter group");
                }
            }
        }
        groups.add(g);
    }

    /** Checks a group's hyperparameters; throws with the bad value in the message. */
    protected abstract void validate(Map<String, Double> options);

    /** Applies one update to every parameter that has a gradient. */
    public abstract void step();

    public List<ParamGroup> paramGroups() {
        return List.copyOf(groups);
    }

    /** Zeroes the gradients in place (PyTorch 1.13's default). */
    public void zeroGrad() {
        zeroGrad(false);
    }

    /** {@code setToNone}: drop the gradients instead of zeroing them. */
    public void zeroGrad(boolean setToNone) {
        for (ParamGroup g : groups) {
            for (Tensor p : g.params()) {
                if (p.grad() == null) continue;
                if (setToNone) p.setGrad(null);
                else p.grad().zero_();
            }
        }
    }

    /** The named buffer of {@code p}'s state, created as zeros on first use. */
    protected Tensor bufferTensor(Tensor p, String name) {
        return state.computeIfAbsent(p, k -> new LinkedHashMap<>())
                .computeIfAbsent(name, k -> zeros(p, p.dtype(), p.shape().toArray()));
    }

    /** Zeros of {@code dtype} on {@code p}'s device, where its step kernel will read them. */
    private static Tensor zeros(Tensor p, DType dtype, int... shape) {
        Tensor z = p.backend().empty(dtype, shape);
        z.backend().fill(z, 0);
        return z;
    }

    /** {@code p}'s gradient as a dense tensor, or null when it has none. */
    protected static Tensor denseGrad(Tensor p) {
        Tensor g = p.grad();
        if (g == null) return null;
        return g.isContiguous() && g.layout().offset() == 0 ? g : g.contiguousCopy();
    }

    protected boolean hasBuffer(Tensor p, String name) {
        Map<String, Tensor> s = state.get(p);
        return s != null && s.containsKey(name);
    }

    /** The step count of {@code p}, a 0-d float32 tensor as in torch, created at 0 on first use. */
    protected Tensor stepTensor(Tensor p) {
        return state.computeIfAbsent(p, k -> new LinkedHashMap<>()).computeIfAbsent("step", k -> zeros(p, DType.FLOAT32));
    }

    /** Increments and returns the step count of {@code p}. */
    protected long nextStep(Tensor p) {
        Tensor step = stepTensor(p);
        float v = step.item() + 1;
        step.backend().fill(step, v);
        return (long) v;
    }

    public OptimizerState stateDict() {
        List<Map<String, Double>> gs = new ArrayList<>();
        List<Integer> sizes = new ArrayList<>();
        Map<Integer, Map<String, Tensor>> st = new LinkedHashMap<>();
        int index = 0;
        for (ParamGroup g : groups) {
            gs.add(Map.copyOf(g.options()));
            sizes.add(g.params().size());
            for (Tensor p : g.params()) {
                Map<String, Tensor> s = state.get(p);
                if (s != null) st.put(index, copyOf(s));
                index++;
            }
        }
        return new OptimizerState(gs, st, List.copyOf(sizes));
    }

    /** Restores hyperparameters and buffers saved by {@link #stateDict()} from an optimizer over the same parameters. */
    public void loadStateDict(OptimizerState saved) {
        Args.nonNull(saved, "loadStateDict", "state_dict", "an OptimizerState");
        if (saved.paramGroups().size() != groups.size()) {
            throw new IllegalArgumentException("loaded state dict has a different number of parameter groups ("
                    + saved.paramGroups().size() + " vs " + groups.size() + ")");
        }
        for (int g = 0; saved.groupSizes() != null && g < groups.size(); g++) {
            if (saved.groupSizes().get(g) != groups.get(g).params().size()) {
                throw new IllegalArgumentException("loaded state dict contains a parameter group that doesn't match the size of "
                        + "optimizer's group (group " + g + ": " + saved.groupSizes().get(g) + " saved parameters, "
                        + groups.get(g).params().size() + " in the optimizer)");
            }
        }
        List<Tensor> all = new ArrayList<>();
        groups.forEach(g -> all.addAll(g.params()));
        saved.state().forEach((i, s) -> {
            if (i < 0 || i >= all.size()) {
                throw new IllegalArgumentException("loaded state dict has state for parameter " + i + " but the optimizer has "
                        + all.size() + " parameters");
            }
            Tensor p = all.get(i);
            s.forEach((k, v) -> {
                if (!k.equals("step") && !v.shape().equals(p.shape())) {
                    throw new IllegalArgumentException("loaded state for parameter " + i + " '" + k + "' has shape " + v.shape()
                            + ", the parameter has shape " + p.shape());
                }
            });
        });
        for (int g = 0; g < groups.size(); g++) {
            Map<String, Double> opts = new LinkedHashMap<>(groups.get(g).options());
            opts.putAll(saved.paramGroups().get(g));
            validate(opts);
            opts.forEach(groups.get(g)::set);
        }
        state.clear();
        saved.state().forEach((i, s) -> state.put(all.get(i), copyOf(s)));
    }

    /** A parameter's state with every tensor copied, in the same order. */
    private static Map<String, Tensor> copyOf(Map<String, Tensor> s) {
        Map<String, Tensor> copy = new LinkedHashMap<>();
        s.forEach((k, v) -> copy.put(k, v.contiguousCopy()));
        return copy;
    }

    protected static void check(boolean ok, String message) {
        if (!ok) throw new IllegalArgumentException(message);
    }
}
