package dev.antorcha.tensor;

/**
 * Element types, as data: PyTorch's name, bytes per element, category (bool, integer, floating
 * point) and signedness, and the code the safetensors format writes. The table below is the
 * single place these facts live; {@link #promote(DType, DType)} and {@link DTypeRules} are
 * computed from it.
 *
 * <pre>{@code
 * DType.parse("torch.float64").itemSize();        // 8
 * DType.promote(DType.UINT8, DType.INT8);         // INT16, as torch.promote_types
 * }</pre>
 *
 * <p>Storage: every dtype can be allocated, each in an array of its own width (bool as one byte
 * holding 0 or 1).
 */
public enum DType {
    BOOL("bool", "bool", 1, Category.BOOL, false, "BOOL"),
    UINT8("uint8", "byte", 1, Category.INTEGER, false, "U8"),
    INT8("int8", "char", 1, Category.INTEGER, true, "I8"),
    INT16("int16", "short", 2, Category.INTEGER, true, "I16"),
    INT32("int32", "int", 4, Category.INTEGER, true, "I32"),
    INT64("int64", "long", 8, Category.INTEGER, true, "I64"),
    FLOAT16("float16", "half", 2, Category.FLOATING, true, "F16"),
    BFLOAT16("bfloat16", "bfloat16", 2, Category.FLOATING, true, "BF16"),
    FLOAT32("float32", "float", 4, Category.FLOATING, true, "F32"),
    FLOAT64("float64", "double", 8, Category.FLOATING, true, "F64");

    /**
     * The kinds that promotion ranks: a zero-dim tensor or a scalar takes part in promotion only
     * when its category is higher than the other operands' (declared in that order).
     */
    public enum Category { BOOL, INTEGER, FLOATING }

    private final String name;
    private final String castMethod;
    private final int itemSize;
    private final Category category;
    private final boolean signed;
    private final String safetensorsCode;

    DType(String name, String castMethod, int itemSize, Category category, boolean signed, String safetensorsCode) {
        this.name = name;
        this.castMethod = castMethod;
        this.itemSize = itemSize;
        this.category = category;
        this.signed = signed;
        this.safetensorsCode = safetensorsCode;
    }

    /** The name PyTorch prints for this type, e.g. {@code torch.float32}. */
    public String torchName() {
        return "torch." + name;
    }

    /** The name without the module, e.g. {@code float32} (numpy's and the safetensors README's spelling). */
    public String shortName() {
        return name;
    }

    /**
     * The {@code Tensor} method that converts to this type in PyTorch, e.g. {@code double} for
     * {@code FLOAT64} and {@code long} for {@code INT64} ({@code x.double()}, {@code x.long()}).
     */
    public String castMethod() {
        return castMethod;
    }

    /** Bytes per element ({@code torch.tensor([], dtype=d).element_size()}). */
    public int itemSize() {
        return itemSize;
    }

    public Category category() {
        return category;
    }

    /** {@code dtype.is_floating_point}: float16, bfloat16, float32, float64. */
    public boolean isFloatingPoint() {
        return category == Category.FLOATING;
    }

    /** Whether this is one of the integer types (bool is not: it has its own category). */
    public boolean isIntegral() {
        return category == Category.INTEGER;
    }

    /** {@code dtype.is_signed}: false for bool and uint8. */
    public boolean isSigned() {
        return signed;
    }

    /**
     * The name PyTorch's C++ core gives this type in its messages ({@code Float}, {@code Double},
     * {@code Long}, {@code Bool}, ...), as in "expected scalar type Float but found Double".
     */
    public String scalarTypeName() {
        return switch (this) {
            case BOOL -> "Bool";
            case UINT8 -> "Byte";
            case INT8 -> "Char";
            case INT16 -> "Short";
            case INT32 -> "Int";
            case INT64 -> "Long";
            case FLOAT16 -> "Half";
            case BFLOAT16 -> "BFloat16";
            case FLOAT32 -> "Float";
            case FLOAT64 -> "Double";
        };
    }

    /** The dtype code of the safetensors format, e.g. {@code F32}, {@code BF16}, {@code BOOL}. */
    public String safetensorsCode() {
        return safetensorsCode;
    }

    /**
     * Whether the CPU keeps this type's values in a {@code float[]}: FLOAT32 only (every other
     * dtype, bool included, has a storage of its own width).
     */
    public boolean isFloatStorage() {
        return this == FLOAT32;
    }

    /**
     * The dtype PyTorch calls {@code name}: {@code torch.float32} or {@code float32}, and the
     * aliases {@code float}, {@code double}, {@code half}, {@code long}, {@code int}, {@code short}
     * (with or without {@code torch.}).
     *
     * @throws IllegalArgumentException for any other name, listing the known ones
     */
    public static DType parse(String name) {
        if (name == null) throw new IllegalArgumentException("dtype name is null; expected e.g. torch.float32");
        String n = name.strip();
        if (n.startsWith("torch.")) n = n.substring("torch.".length());
        for (DType d : values()) {
            if (d.name.equals(n)) return d;
        }
        DType alias = switch (n) {
            case "float" -> FLOAT32;
            case "double" -> FLOAT64;
            case "half" -> FLOAT16;
            case "long" -> INT64;
            case "int" -> INT32;
            case "short" -> INT16;
            default -> null;
        };
        if (alias != null) return alias;
        throw new IllegalArgumentException("unknown dtype '" + name + "'; expected one of " + known(false)
                + " (optionally prefixed with torch.) or an alias float, double, half, long, int, short");
    }

    /**
     * The dtype of a safetensors code ({@code F32}, {@code I64}, {@code BOOL}, ...).
     *
     * @throws IllegalArgumentException for a code with no Antorcha dtype (e.g. {@code U16}, {@code F8_E4M3}),
     *                                  listing the supported ones
     */
    public static DType fromSafetensorsCode(String code) {
        for (DType d : values()) {
            if (d.safetensorsCode.equals(code)) return d;
        }
        throw new IllegalArgumentException("safetensors dtype '" + code + "' has no Antorcha dtype; supported: "
                + known(true));
    }

    private static String known(boolean codes) {
        StringBuilder sb = new StringBuilder();
        for (DType d : values()) sb.append(sb.isEmpty() ? "" : ", ").append(codes ? d.safetensorsCode : d.name);
        return sb.toString();
    }

    /**
     * {@code torch.promote_types(a, b)}: the smallest type that holds the values of both, by
     * category first (bool &lt; integer &lt; floating point), then by size. Mixed signedness takes a
     * signed type wide enough for the unsigned one ({@code uint8} with {@code int8} is {@code int16}),
     * and float16 with bfloat16 is float32 (neither holds the other's range and precision).
     */
    public static DType promote(DType a, DType b) {
        if (a == null || b == null) throw new IllegalArgumentException("promote: dtype is null (a=" + a + ", b=" + b + ")");
        if (a == b) return a;
        if (a.category != b.category) return a.category.compareTo(b.category) > 0 ? a : b;
        if (a.category == Category.FLOATING) {
            if (a.itemSize == b.itemSize) return FLOAT32;   // float16 with bfloat16
            return a.itemSize > b.itemSize ? a : b;
        }
        // two different integer types
        if (a.signed == b.signed) return a.itemSize > b.itemSize ? a : b;
        DType s = a.signed ? a : b, u = a.signed ? b : a;
        return s.itemSize > u.itemSize ? s : signedOfSize(2 * u.itemSize);
    }

    private static DType signedOfSize(int bytes) {
        for (DType d : values()) {
            if (d.category == Category.INTEGER && d.signed && d.itemSize == bytes) return d;
        }
        throw new IllegalStateException("no signed integer type of " + bytes + " bytes");
    }
}
