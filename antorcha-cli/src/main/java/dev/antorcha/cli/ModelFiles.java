package dev.antorcha.cli;

import dev.antorcha.examples.Classifier;
import dev.antorcha.io.SafeTensors;
import dev.antorcha.tensor.Tensor;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

/** Saving and loading the tutorial's classifier as safetensors, with PyTorch's names. */
final class ModelFiles {
    private ModelFiles() {
    }

    static void save(Classifier model, Path file, String dataset) throws IOException {
        Map<String, String> meta = new LinkedHashMap<>();
        meta.put("format", "pt");
        meta.put("antorcha.model", "tutorial-classifier");
        meta.put("antorcha.dataset", dataset);
        SafeTensors.save(model.stateDict(), meta, file);
    }

    /** A classifier with the file's weights; its hidden sizes are read from the shapes. */
    static Classifier load(Path file) throws IOException {
        if (!Files.exists(file)) throw new NoSuchFileException(file.toString(), null, "weights file not found");
        if (Files.isDirectory(file)) throw new IllegalArgumentException(file + " is a directory, not a weights file");
        Map<String, Tensor> state;
        try {
            state = SafeTensors.load(file);
        } catch (IOException e) {
            String msg = String.valueOf(e.getMessage());
            throw msg.contains(file.toString()) ? e : new IOException(file + ": " + msg, e);
        }
        Tensor w1 = state.get("input_layer.weight"), w2 = state.get("hidden_layer.weight");
        if (w1 == null || w2 == null || w1.dim() != 2 || w2.dim() != 2) {
            throw new IllegalArgumentException(file + " does not hold the tutorial's classifier "
                    + "(expected input_layer.weight and hidden_layer.weight; found " + state.keySet() + ")");
        }
        Classifier model = new Classifier(w1.size(0), w2.size(0));
        try {
            model.loadStateDict(state, true);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(file + " does not fit the tutorial's classifier: "
                    + e.getMessage().replace("\n\t", " "), e);
        }
        return model;
    }

    static String datasetOf(Path file) throws IOException {
        return SafeTensors.metadata(file).getOrDefault("antorcha.dataset", "mnist");
    }
}
