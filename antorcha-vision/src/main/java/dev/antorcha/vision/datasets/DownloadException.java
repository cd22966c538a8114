package dev.antorcha.vision.datasets;

import java.io.IOException;

/**
 * A file could not be downloaded from any mirror. The message names the file, and each URL tried
 * with the reason it failed; the datasets add where to place the file to work offline.
 */
public class DownloadException extends IOException {
    private static final long serialVersionUID = 1L;
    private final String fileName;

    public DownloadException(String fileName, String message) {
        super(message);
        this.fileName = fileName;
    }

    public DownloadException(String fileName, String message, Throwable cause) {
        super(message, cause);
        this.fileName = fileName;
    }

    /** The file that was being fetched, e.g. {@code train-images-idx3-ubyte.gz}. */
    public String fileName() {
        return fileName;
    }
}
