package dev.antorcha.cuda;

/**
 * CUDA cannot be used on this machine: a library is missing, or the driver finds no device or is
 * too old. The message is one line that names what was looked for and where.
 */
public final class CudaUnavailableException extends IllegalStateException {
    private static final long serialVersionUID = 1L;

    public CudaUnavailableException(String message) {
        super(message);
    }

    public CudaUnavailableException(String message, Throwable cause) {
        super(message, cause);
    }
}
