package dev.antorcha.cuda;

/**
 * A CUDA call failed: the message names the function, the error's name and NVIDIA's description
 * (an illegal address in a kernel, for instance, reported at the next synchronisation).
 */
public final class CudaException extends RuntimeException {
    private static final long serialVersionUID = 1L;
    private final int code;

    public CudaException(String message, int code) {
        super(message);
        this.code = code;
    }

    /** The library's status code ({@code CUresult}, {@code nvrtcResult} or {@code cublasStatus_t}). */
    public int code() {
        return code;
    }
}
