package dev.antorcha.vision.datasets;

import java.io.IOException;

/**
 * An IDX file that is not what it should be: wrong magic number, unsupported element type,
 * impossible dimensions, truncated or followed by extra bytes, or corrupted compression. The
 * message starts with the file's name and says what was expected and what was found, e.g.
 * {@code mnist/raw/train-images-idx3-ubyte: truncated: the header (60000 x 28 x 28) needs
 * 47040016 bytes, the file has 1000}.
 */
public class IdxFormatException extends IOException {
    private static final long serialVersionUID = 1L;
    private final String file;

    public IdxFormatException(String file, String problem) {
        super(file + ": " + problem);
        this.file = file;
    }

    public IdxFormatException(String file, String problem, Throwable cause) {
        super(file + ": " + problem, cause);
        this.file = file;
    }

    /** {@code where} qualifies the file in the message, e.g. " (decompressed)". */
    IdxFormatException(String file, String where, String problem) {
        super(file + where + ": " + problem);
        this.file = file;
    }

    /** The file (or in-memory source) that was being read. */
    public String file() {
        return file;
    }
}
