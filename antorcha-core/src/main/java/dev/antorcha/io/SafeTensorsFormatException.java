package dev.antorcha.io;

import java.io.IOException;
import java.nio.file.Path;

/**
 * A safetensors file that breaks the format's rules: a header that is too long, not UTF-8,
 * not a JSON object, an entry without its dtype, shape or data offsets, offsets that leave a
 * hole, overlap or run past the end of the file, and so on. An {@link IOException} for the
 * same reason {@link java.util.zip.ZipException} is one: the bytes on disk are bad, the caller
 * is not. The message starts with the file and says what is wrong, e.g.
 * {@code model.safetensors: tensor "fc.weight": data_offsets [0, 12] span 12 bytes but F32 [2, 2] needs 16}.
 */
public final class SafeTensorsFormatException extends IOException {
    private static final long serialVersionUID = 1L;

    private final transient Path file;

    public SafeTensorsFormatException(Path file, String problem) {
        super(file + ": " + problem);
        this.file = file;
    }

    public SafeTensorsFormatException(Path file, String problem, Throwable cause) {
        super(file + ": " + problem, cause);
        this.file = file;
    }

    /** The file that was being read. */
    public Path file() {
        return file;
    }
}
