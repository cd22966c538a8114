package dev.antorcha.vision.datasets;

import java.io.IOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.FileSystemException;
import java.nio.file.Path;

/**
 * A file of the data folder could not be written. The message names the file the user knows
 * (never the {@code .part} file it was being written as), says what went wrong in the user's
 * terms (the disk is full, the file system or folder is read-only, a directory is in the way)
 * and what to do about it; the cause is the file system's own exception.
 */
public class CannotWriteException extends IOException {
    private static final long serialVersionUID = 1L;
    private final transient Path file;
    private final String reason;

    public CannotWriteException(Path file, IOException cause) {
        this(file, reason(file, cause), cause);
    }

    private CannotWriteException(Path file, String reason, IOException cause) {
        super("cannot write " + file + ": " + reason, cause);
        this.file = file;
        this.reason = reason;
    }

    /** The file that could not be written (its final name). */
    public Path file() {
        return file;
    }

    /** What went wrong and the remedy, without the file's name. */
    public String reason() {
        return reason;
    }

    /**
     * The failure in the user's terms, with the remedy. The JDK reports a full disk as a plain
     * {@link IOException} whose message is the C library's text, a read-only file system as a
     * {@link FileSystemException} with that text as its reason; both are recognised by the text,
     * which is the same on every Linux and macOS.
     */
    static String reason(Path file, IOException e) {
        String text = e.getMessage() == null ? "" : e.getMessage();
        if (e instanceof FileSystemException fs && fs.getReason() != null) text = fs.getReason();
        if (text.contains("No space left on device") || text.contains("Disk quota exceeded")) {
            return "the disk is full (" + text + "); free some space, or use a data folder on another disk";
        }
        if (text.contains("Read-only file system")) {
            return "the file system is read-only (" + text + "); use a writable data folder";
        }
        if (e instanceof AccessDeniedException) {
            return "permission denied: the folder is read-only for this user; make it writable, or use another data folder";
        }
        if (Files.isDirectory(file)) {
            return "a directory is in the way (" + file.getFileName() + " is a directory); remove or rename it";
        }
        if (text.contains("Not a directory") || e instanceof java.nio.file.FileAlreadyExistsException) {
            return "a part of the path is a file, not a folder (" + e.getMessage() + "); use another data folder";
        }
        return Downloader.describe(e);
    }
}
