package dev.antorcha.io;

import dev.antorcha.tensor.DType;

/**
 * The dtypes of the safetensors format, declared in the same order as the official library's
 * {@code Dtype} enum: that order (by {@link #ordinal()}) is what the library sorts by, descending,
 * when it lays out tensor data, so it must not be changed.
 */
enum StDType {
    BOOL(1, DType.BOOL),
    U8(1, DType.UINT8),
    I8(1, DType.INT8),
    F8_E5M2(1, null),
    F8_E4M3(1, null),
    I16(2, DType.INT16),
    U16(2, DType.INT64),
    F16(2, DType.FLOAT16),
    BF16(2, DType.BFLOAT16),
    I32(4, DType.INT32),
    U32(4, DType.INT64),
    F32(4, DType.FLOAT32),
    F64(8, DType.FLOAT64),
    I64(8, DType.INT64),
    U64(8, null);

    /** Bytes per element. */
    final int size;
    /**
     * The Antorcha dtype this is read into, {@code null} if it cannot be read: the same dtype for
     * the ten that Antorcha has, int64 for U16 and U32 (no unsigned type that wide exists, and
     * int64 holds every value exactly).
     */
    final DType readsAs;

    StDType(int size, DType readsAs) {
        this.size = size;
        this.readsAs = readsAs;
    }

    /** The format's dtype for writing an Antorcha tensor. */
    static StDType forWriting(DType t) {
        return byName(t.safetensorsCode());
    }

    /** The dtype called {@code name} in a header, or {@code null} if there is none. */
    static StDType byName(String name) {
        for (StDType d : values()) {
            if (d.name().equals(name)) return d;
        }
        return null;
    }
}
