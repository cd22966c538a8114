package dev.antorcha.cli;

import dev.antorcha.io.SafeTensors;
import dev.antorcha.nn.Module;
import dev.antorcha.tensor.Tensor;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

/** Saving and loading the command's networks as safetensors, with PyTorch's names and the model's kind in the metadata. */
final class ModelFiles {
    private ModelFiles() {
    }

    /** A network and what it is. */
    record Loaded(ModelKind kind, Module model) {
    }

    static void save(Module model, ModelKind kind, Path file, String dataset) throws IOException {
        Map<String, String> meta = new LinkedHashMap<>();
        meta.put("format", "pt");
        meta.put("antorcha.model", kind.fileName);
        meta.put("antorcha.dataset", dataset);
        SafeTensors.save(model.stateDict(), meta, file);
    }

    /** The network of the file's kind with the file's weights; its sizes are read from the shapes. */
    static Loaded load(Path file) throws IOException {
        if (!Files.exists(file)) throw new NoSuchFileException(file.toString(), null, "weights file not found");
        if (Files.isDirectory(file)) throw new IllegalArgumentException(file + " is a directory, not a weights file");
        Map<String, Tensor> state;
        try {
            state = SafeTensors.load(file);
        } catch (IOException e) {
            String msg = String.valueOf(e.getMessage());
            throw msg.contains(file.toString()) ? e : new IOException(file + ": " + msg, e);
        }
        ModelKind kind = ModelKind.ofFile(SafeTensors.metadata(file).get("antorcha.model"), file);
        Module model = kind.fromState(state, file);
        try {
            model.loadStateDict(state, true);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(file + " does not fit the " + kind.option + " network: "
                    + e.getMessage().replace("\n\t", " "), e);
        }
        return new Loaded(kind, model);
    }

    static String datasetOf(Path file) throws IOException {
        return SafeTensors.metadata(file).getOrDefault("antorcha.dataset", "mnist");
    }
}
