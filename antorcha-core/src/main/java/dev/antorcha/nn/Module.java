package dev.antorcha.nn;

import dev.antorcha.ops.Args;
import dev.antorcha.tensor.Tensor;
import java.util.ArrayList;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;

/**
 * Base class of layers and models, PyTorch's {@code nn.Module}. Parameters and submodules are
 * registered explicitly, under PyTorch's names, so that {@code namedParameters()} and the state
 * dict use the same dotted names as PyTorch ({@code input_layer.weight}, {@code layers.0.bias}).
 *
 * <pre>{@code
 * class Classifier extends Module {
 *     final Linear inputLayer = registerModule("input_layer", new Linear(784, 100));
 *     public Tensor forward(Tensor x) { return inputLayer.forward(x.view(-1, 784)).relu(); }
 * }
 * }</pre>
 */
public abstract class Module {
    private final Map<String, Parameter> parameters = new LinkedHashMap<>();
    private final Map<String, Tensor> buffers = new LinkedHashMap<>();
    private final Map<String, Module> modules = new LinkedHashMap<>();
    private boolean training = true;

    /** For subclasses, which register their parameters and submodules in their constructors. */
    protected Module() {
    }

    /** The computation: {@code [*] -> [*]} as each subclass documents. */
    public abstract Tensor forward(Tensor input);

    /** Registers {@code p} under {@code name} (no dots) and returns it. */
    protected <P extends Parameter> P registerParameter(String name, P p) {
        checkName(name);
        if (p == null) throw new IllegalArgumentException("parameter '" + name + "' is null: leave an absent parameter unregistered");
        parameters.put(name, p);
        return p;
    }

    /** Registers a non-learnable tensor that is part of the state dict (e.g. running statistics). */
    protected Tensor registerBuffer(String name, Tensor t) {
        checkName(name);
        if (t == null) throw new IllegalArgumentException("buffer '" + name + "' is null: leave an absent buffer unregistered");
        buffers.put(name, t);
        return t;
    }

    /** Registers a submodule under {@code name} and returns it. */
    protected <M extends Module> M registerModule(String name, M m) {
        checkName(name);
        if (m == null) throw new IllegalArgumentException("module '" + name + "' is null");
        modules.put(name, m);
        return m;
    }

    /**
     * Replaces, or adds, the parameter {@code name} of this module after construction: PyTorch's
     * {@code module.name = parameter}. Assigning another module's parameter shares it, as the word
     * language model ties its decoder to its encoder:
     *
     * <pre>{@code
     * decoder.setParameter("weight", encoder.weight);   // self.decoder.weight = self.encoder.weight
     * }</pre>
     *
     * A shared parameter is one tensor with one gradient (the sum of every use):
     * {@link #parameters()} lists it once, the state dict under each of its names. A replaced
     * parameter keeps its place in the state dict's order. Layers that keep their parameters in
     * fields ({@link Linear#weight}) update those fields.
     *
     * @throws IllegalArgumentException when {@code name} is a buffer or a submodule, or not a plain name
     */
    public void setParameter(String name, Parameter p) {
        if (p == null) throw new IllegalArgumentException("setParameter('" + name + "'): the parameter is null");
        if (!parameters.containsKey(name)) {
            if (buffers.containsKey(name) || modules.containsKey(name)) {
                throw new IllegalArgumentException("cannot assign a Parameter to '" + name + "' of " + getClass().getSimpleName()
                        + ": it is a " + (buffers.containsKey(name) ? "buffer" : "submodule"));
            }
            checkName(name);
        }
        parameters.put(name, p);
        parameterSet(name, p);
    }

    /**
     * Replaces, or adds, the submodule {@code name} after construction: PyTorch's
     * {@code module.name = other}. {@link Sequential} runs the new one in its place; a module that
     * keeps a submodule in a field updates it in {@link #moduleSet}.
     *
     * @throws IllegalArgumentException when {@code name} is a parameter or a buffer, or not a plain name
     */
    public void setModule(String name, Module m) {
        if (m == null) throw new IllegalArgumentException("setModule('" + name + "'): the module is null");
        if (m == this) throw new IllegalArgumentException("setModule('" + name + "'): a module cannot contain itself");
        if (!modules.containsKey(name)) {
            if (parameters.containsKey(name) || buffers.containsKey(name)) {
                throw new IllegalArgumentException("cannot assign a Module to '" + name + "' of " + getClass().getSimpleName()
                        + ": it is a " + (parameters.containsKey(name) ? "parameter" : "buffer"));
            }
            checkName(name);
        }
        modules.put(name, m);
        moduleSet(name, m);
    }

    /** Called after {@link #setParameter}: a subclass that keeps {@code name} in a field updates it here. */
    protected void parameterSet(String name, Parameter p) {
    }

    /** Called after {@link #setModule}: a subclass that keeps {@code name} in a field updates it here. */
    protected void moduleSet(String name, Module m) {
    }

    /**
     * The submodule at a dotted path ({@code "rnn"}, {@code "layers.0.self_attn"}), PyTorch's
     * {@code get_submodule}; the empty path is this module.
     *
     * @throws IllegalArgumentException naming the first part of the path that does not exist
     */
    public Module getSubmodule(String target) {
        Args.nonNull(target, "getSubmodule", "target", "a dotted module path");
        Module m = this;
        if (target.isEmpty()) return m;
        for (String part : target.split("\\.", -1)) {
            Module next = m.modules.get(part);
            if (next == null) {
                throw new IllegalArgumentException(m.getClass().getSimpleName() + " has no attribute `" + part + "` (in '" + target + "')");
            }
            m = next;
        }
        return m;
    }

    /** The parameter at a dotted path ({@code "decoder.weight"}), PyTorch's {@code get_parameter}. */
    public Parameter getParameter(String target) {
        Args.nonNull(target, "getParameter", "target", "a dotted parameter name");
        int dot = target.lastIndexOf('.');
        Module owner = dot < 0 ? this : getSubmodule(target.substring(0, dot));
        Parameter p = owner.parameters.get(target.substring(dot + 1));
        if (p == null) {
            throw new IllegalArgumentException(owner.getClass().getSimpleName() + " has no parameter `" + target.substring(dot + 1)
                    + "` (in '" + target + "')");
        }
        return p;
    }

    private void checkName(String name) {
        if (name == null || name.isEmpty() || name.contains(".")) {
            throw new IllegalArgumentException("module, parameter and buffer names must be non-empty and contain no '.', got '"
                    + name + "'");
        }
        if (parameters.containsKey(name) || buffers.containsKey(name) || modules.containsKey(name)) {
            throw new IllegalArgumentException("attribute '" + name + "' already exists in " + getClass().getSimpleName());
        }
    }

    /**
     * {@code module.to(dtype)}: every floating parameter and buffer of this module and its
     * submodules converted to the floating {@code dtype} in place, as PyTorch does: the
     * {@link Parameter} objects stay the same (fields and optimizers that hold them see the new
     * values), integer buffers are left as they are. Returns this module.
     */
    public Module to(dev.antorcha.tensor.DType dtype) {
        dev.antorcha.ops.Args.nonNull(dtype, "to", "dtype", "a DType");
        if (!dtype.isFloatingPoint()) {
            throw new IllegalArgumentException("nn.Module.to only accepts floating point dtypes, but got desired dtype="
                    + dtype.torchName());
        }
        try (dev.antorcha.autograd.NoGrad _ = dev.antorcha.autograd.NoGrad.enter()) {
            for (Tensor t : ownTensors()) {
                if (t.dtype().isFloatingPoint() && t.dtype() != dtype) t.setData(t.detach().to(dtype));
            }
        }
        return this;
    }

    /**
     * {@code module.to(device)}: every parameter and buffer of this module and its submodules
     * moved to {@code device} in place, as PyTorch does: the {@link Parameter} objects stay the
     * same (so create the optimizer before or after, either works), their gradients move with
     * them. Returns this module.
     *
     * @throws IllegalStateException when no installed backend provides {@code device}
     */
    public Module to(dev.antorcha.tensor.Device device) {
        dev.antorcha.ops.Args.nonNull(device, "to", "device", "a Device");
        dev.antorcha.backend.Backends.forDevice(device);   // fail before moving anything
        try (dev.antorcha.autograd.NoGrad _ = dev.antorcha.autograd.NoGrad.enter()) {
            for (Tensor t : ownTensors()) {
                if (!t.device().equals(device)) t.setData(t.detach().to(device));
            }
        }
        return this;
    }

    /** {@code module.cuda()}: {@code to(Device.cuda())}. */
    public Module cuda() {
        return to(dev.antorcha.tensor.Device.cuda());
    }

    /** {@code module.cpu()}: {@code to(Device.CPU)}. */
    public Module cpu() {
        return to(dev.antorcha.tensor.Device.CPU);
    }

    /** {@code to(FLOAT64)}, PyTorch's {@code module.double()}. */
    public Module toDouble() {
        return to(dev.antorcha.tensor.DType.FLOAT64);
    }

    /** {@code to(FLOAT32)}, PyTorch's {@code module.float()}. */
    public Module toFloat() {
        return to(dev.antorcha.tensor.DType.FLOAT32);
    }

    /** The parameters and buffers of this module and its submodules, each tensor once. */
    private java.util.Set<Tensor> ownTensors() {
        java.util.Set<Tensor> all = java.util.Collections.newSetFromMap(new java.util.IdentityHashMap<>());
        all.addAll(parameters.values());
        all.addAll(buffers.values());
        for (Module m : modules.values()) all.addAll(m.ownTensors());
        return all;
    }

    /** All parameters, depth first in registration order, each once. */
    public List<Parameter> parameters() {
        // The order and the de-duplication of namedParameters(), without building the names
        // (zeroGrad() runs this every training step).
        List<Parameter> out = new ArrayList<>();
        collectParameters(out, Collections.newSetFromMap(new IdentityHashMap<>()));
        return List.copyOf(out);
    }

    private void collectParameters(List<Parameter> out, Set<Parameter> seen) {
        for (Parameter p : parameters.values()) if (seen.add(p)) out.add(p);
        for (Module m : modules.values()) m.collectParameters(out, seen);
    }

    /** Parameters by dotted name; a parameter shared by two modules is listed once. */
    public Map<String, Parameter> namedParameters() {
        Map<String, Parameter> out = new LinkedHashMap<>();
        Set<Parameter> seen = Collections.newSetFromMap(new IdentityHashMap<>());
        collect("", out, seen);
        return Collections.unmodifiableMap(out);
    }

    private void collect(String prefix, Map<String, Parameter> out, Set<Parameter> seen) {
        parameters.forEach((n, p) -> {
            if (seen.add(p)) out.put(prefix + n, p);
        });
        modules.forEach((n, m) -> m.collect(prefix + n + ".", out, seen));
    }

    /** Direct submodules. */
    public List<Module> children() {
        return List.copyOf(modules.values());
    }

    public Map<String, Module> namedChildren() {
        return Collections.unmodifiableMap(modules);
    }

    /** Sets training mode on this module and every descendant; returns this. */
    public Module train(boolean mode) {
        training = mode;
        modules.values().forEach(m -> m.train(mode));
        return this;
    }

    public Module train() {
        return train(true);
    }

    public Module eval() {
        return train(false);
    }

    public boolean isTraining() {
        return training;
    }

    /** Zeroes every parameter's gradient in place (PyTorch 1.13's {@code zero_grad()}). */
    public void zeroGrad() {
        for (Parameter p : parameters()) {
            if (p.grad() != null) p.grad().zero_();
        }
    }

    /** Applies {@code fn} to every submodule (children first) and then to this one. */
    public Module apply(Consumer<Module> fn) {
        modules.values().forEach(m -> m.apply(fn));
        fn.accept(this);
        return this;
    }

    /** Parameters and buffers by dotted name, detached from the graph (sharing storage). */
    public Map<String, Tensor> stateDict() {
        Map<String, Tensor> out = liveState();
        out.replaceAll((name, t) -> t.detach());
        return out;
    }

    /** Live tensors by dotted name (parameters and buffers), for loading. */
    Map<String, Tensor> liveState() {
        Map<String, Tensor> out = new LinkedHashMap<>();
        liveInto("", out);
        return out;
    }

    private void liveInto(String prefix, Map<String, Tensor> out) {
        parameters.forEach((n, p) -> out.put(prefix + n, p));
        buffers.forEach((n, b) -> out.put(prefix + n, b));
        modules.forEach((n, m) -> m.liveInto(prefix + n + ".", out));
    }

    /** Keys that did not match when loading with {@code strict = false}. */
    public record IncompatibleKeys(List<String> missingKeys, List<String> unexpectedKeys) {
    }

    /**
     * Copies {@code state} into this module's parameters and buffers. Every missing, unexpected
     * (when strict) or mis-shaped entry is reported in one exception, as PyTorch's
     * {@code load_state_dict} does; nothing is copied unless everything fits.
     */
    public IncompatibleKeys loadStateDict(Map<String, Tensor> state, boolean strict) {
        Args.nonNull(state, "loadStateDict", "state_dict", "a Map of names to Tensors");
        return StateDicts.load(getClass().getSimpleName(), liveState(), state, strict);
    }

    /** Text between the parentheses of this module's line in {@link #toString()}. */
    protected String extraRepr() {
        return "";
    }

    @Override
    public String toString() {
        String name = getClass().getSimpleName();
        if (modules.isEmpty()) return name + "(" + extraRepr() + ")";
        List<String> lines = new ArrayList<>();
        if (!extraRepr().isEmpty()) lines.add(extraRepr());
        modules.forEach((n, m) -> lines.add("(" + n + "): " + m.toString().replace("\n", "\n  ")));
        return name + "(\n  " + String.join("\n  ", lines) + "\n)";
    }
}
