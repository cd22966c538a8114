package dev.antorcha.nn;

import dev.antorcha.tensor.Tensor;

/**
 * Modules applied in order, registered as {@code "0"}, {@code "1"}, ... (PyTorch's state-dict
 * names {@code layers.0.weight}).
 *
 * <pre>{@code
 * Module mlp = new Sequential(new Linear(784, 100), new ReLU(), new Linear(100, 10));
 * }</pre>
 */
public class Sequential extends Module {
    private Module[] layers;

    // Registration hands `this` to Module's maps before a subclass's fields are set; Module only
    // stores the reference, as PyTorch's __init__ does, so nothing reads a half-built subclass.
    @SuppressWarnings("this-escape")
    public Sequential(Module... layers) {
        this.layers = dev.antorcha.ops.Args.elements(layers, "Sequential", "layers", "a Module").clone();
        for (int i = 0; i < layers.length; i++) registerModule(Integer.toString(i), layers[i]);
    }

    /** The {@code i}-th module. */
    public Module get(int i) {
        if (i < 0 || i >= layers.length) {
            throw new IndexOutOfBoundsException("index " + i + " is out of range for Sequential of length " + layers.length);
        }
        return layers[i];
    }

    public int size() {
        return layers.length;
    }

    /** Runs a replaced module in its place, and an added one last, as PyTorch's Sequential does. */
    @Override
    protected void moduleSet(String name, Module m) {
        layers = children().toArray(Module[]::new);
    }

    @Override
    public Tensor forward(Tensor input) {
        Tensor x = input;
        for (Module m : layers) x = m.forward(x);
        return x;
    }
}
