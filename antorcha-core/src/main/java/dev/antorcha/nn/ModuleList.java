package dev.antorcha.nn;

import dev.antorcha.ops.Args;
import dev.antorcha.tensor.Tensor;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;

/**
 * Submodules held in a list, registered as {@code "0"}, {@code "1"}, ... (PyTorch's
 * {@code nn.ModuleList}, state-dict names {@code layers.0.linear1.weight}). It has no forward of
 * its own: the module that owns it decides how its elements are called.
 *
 * <pre>{@code
 * ModuleList layers = new ModuleList(new Linear(4, 4), new Linear(4, 2));
 * for (Module m : layers) x = m.forward(x);
 * }</pre>
 */
public class ModuleList extends Module implements Iterable<Module> {
    private int size;

    public ModuleList(Module... modules) {
        this(List.of(Args.elements(modules, "ModuleList", "modules", "a Module")));
    }

    // Registration hands `this` to Module's maps before a subclass's fields are set; Module only
    // stores the reference, as PyTorch's __init__ does, so nothing reads a half-built subclass.
    @SuppressWarnings("this-escape")
    public ModuleList(List<? extends Module> modules) {
        Args.nonNull(modules, "ModuleList", "modules", "a List of Modules");
        for (Module m : modules) append(m);
    }

    /** Adds {@code m} at the end, under the next index; returns this list. */
    public ModuleList append(Module m) {
        Args.nonNull(m, "append", "module", "a Module");
        registerModule(Integer.toString(size), m);
        size++;
        return this;
    }

    /** The {@code i}-th module (as last set with {@code setModule(String.valueOf(i), m)}). */
    public Module get(int i) {
        if (i < 0 || i >= size) throw new IndexOutOfBoundsException("index " + i + " is out of range for ModuleList of length " + size);
        return namedChildren().get(Integer.toString(i));
    }

    public int size() {
        return size;
    }

    @Override
    public Iterator<Module> iterator() {
        List<Module> all = new ArrayList<>(size);
        for (int i = 0; i < size; i++) all.add(get(i));
        return all.iterator();
    }

    /** As PyTorch's: a ModuleList is a container, not a layer. */
    @Override
    public Tensor forward(Tensor input) {
        throw new UnsupportedOperationException("Module [ModuleList] is missing the required \"forward\" function: "
                + "call its elements (get(i), or iterate over it)");
    }
}
