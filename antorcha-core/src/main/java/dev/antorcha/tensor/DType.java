package dev.antorcha.tensor;

/**
 * Element types. {@code FLOAT32} holds data and gradients, {@code INT64} class labels and
 * indices, {@code BOOL} the masks that comparisons return (stored as 0/1 floats so masks mix
 * with float arithmetic without a conversion pass).
 */
public enum DType {
    FLOAT32("torch.float32"),
    INT64("torch.int64"),
    BOOL("torch.bool");

    private final String torchName;

    DType(String torchName) {
        this.torchName = torchName;
    }

    /** The name PyTorch prints for this type, e.g. {@code torch.float32}. */
    public String torchName() {
        return torchName;
    }

    /** Whether values live in a {@code float[]} (FLOAT32 and BOOL) rather than a {@code long[]}. */
    public boolean isFloatStorage() {
        return this != INT64;
    }

    /** The type of {@code a op b} under PyTorch's promotion: float beats int64 beats bool. */
    public static DType promote(DType a, DType b) {
        if (a == FLOAT32 || b == FLOAT32) return FLOAT32;
        if (a == INT64 || b == INT64) return INT64;
        return BOOL;
    }
}
