package dev.antorcha.vision.datasets;

import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.List;

/**
 * A split of a data set is not in its folder and was not to be downloaded. The message says what
 * is missing where, and how to get it (download, or the files to place there by hand); the
 * accessors give the same facts to a front end that words the remedy its own way.
 */
public class DatasetNotFoundException extends NoSuchFileException {
    private static final long serialVersionUID = 1L;
    private final String dataset;
    private final boolean train;
    private final transient Path folder;
    private final List<String> missing;
    private final String message;

    public DatasetNotFoundException(String dataset, boolean train, Path folder, List<String> missing, String message) {
        super(folder.toString());
        this.dataset = dataset;
        this.train = train;
        this.folder = folder;
        this.missing = List.copyOf(missing);
        this.message = message;
    }

    /** The data set's name, e.g. {@code MNIST}. */
    public String dataset() { return dataset; }

    /** Whether the training split (rather than the test split) was asked for. */
    public boolean train() { return train; }

    /** Where the files were looked for, {@code root/NAME/raw}. */
    public Path folder() { return folder; }

    /** The missing files, by their {@code .gz} names. */
    public List<String> missing() { return missing; }

    @Override
    public String getMessage() {
        return message;
    }
}
