package dev.antorcha.tensor;

/**
 * {@code torch.result_type}: the dtype that operands of different dtypes are computed in. Operands
 * come in three priorities: tensors with dimensions, zero-dim tensors and plain numbers (a Java
 * {@code long}, {@code double} or {@code boolean}, PyTorch's Python scalars). A lower-priority
 * operand changes the result only when its category (bool &lt; integer &lt; floating point) is
 * higher than the category of everything above it, so {@code int8 tensor + 1000} stays int8 and
 * {@code int64 tensor * 2.5} is float32, the default dtype.
 *
 * <pre>{@code
 * TypePromotion.resultType(Operand.tensor(DType.INT32), Operand.scalar(2.5));      // FLOAT32
 * TypePromotion.resultType(Operand.tensor(DType.UINT8), Operand.zeroDim(DType.INT64)); // UINT8
 * }</pre>
 *
 * Which dtype an op then returns (bool for comparisons, float for true division, ...) is decided by
 * {@link DTypeRules} on top of this.
 */
public final class TypePromotion {
    private TypePromotion() {
    }

    /**
     * {@code torch.get_default_dtype()}: what a floating point number becomes when nothing else
     * decides, and the result of true division or {@code exp} of integers.
     */
    public static final DType DEFAULT_FLOAT = DType.FLOAT32;

    /** How an operand takes part in promotion; see the class comment. */
    public enum Priority { TENSOR, ZERO_DIM, SCALAR }

    /**
     * One operand as promotion sees it: its dtype and priority. A scalar's dtype is what PyTorch
     * wraps it in: int64 for an integer, the default dtype for a floating point number, bool. Only
     * the kind of number counts, never its value: {@code int8 tensor + 1000} stays int8, as in PyTorch.
     */
    public record Operand(DType dtype, Priority priority) {
        public Operand {
            if (dtype == null || priority == null) {
                throw new IllegalArgumentException("Operand needs a dtype and a priority (got " + dtype + ", " + priority + ")");
            }
        }

        /** A tensor with at least one dimension. */
        public static Operand tensor(DType dtype) {
            return new Operand(dtype, Priority.TENSOR);
        }

        /** A zero-dimensional tensor, e.g. {@code torch.tensor(2.0)} or a loss value. */
        public static Operand zeroDim(DType dtype) {
            return new Operand(dtype, Priority.ZERO_DIM);
        }

        /** A tensor of {@code shape}: zero-dim when the shape is empty. */
        public static Operand of(DType dtype, Shape shape) {
            return shape.rank() == 0 ? zeroDim(dtype) : tensor(dtype);
        }

        /** An integer number (Python's {@code int}). */
        public static Operand scalar(long value) {
            return new Operand(DType.INT64, Priority.SCALAR);
        }

        /** A floating point number (Python's {@code float}). */
        public static Operand scalar(double value) {
            return new Operand(DEFAULT_FLOAT, Priority.SCALAR);
        }

        /** A boolean (Python's {@code bool}). */
        public static Operand scalar(boolean value) {
            return new Operand(DType.BOOL, Priority.SCALAR);
        }

        /** A Java number or boolean as a scalar operand: integral boxes are ints, others floats. */
        public static Operand scalar(Object value) {
            return switch (value) {
                case Boolean b -> scalar(b.booleanValue());
                case Long l -> scalar(l.longValue());
                case Integer i -> scalar(i.longValue());
                case Short s -> scalar(s.longValue());
                case Byte b -> scalar(b.longValue());
                case Number n -> scalar(n.doubleValue());
                case null -> throw new IllegalArgumentException("scalar operand is null");
                default -> throw new IllegalArgumentException("a scalar operand must be a number or a boolean, got "
                        + value.getClass().getSimpleName() + " " + value);
            };
        }

        /** How messages name this operand, e.g. {@code a torch.int64 tensor} or {@code an integer scalar}. */
        public String describe() {
            return switch (priority) {
                case TENSOR -> "a " + dtype.torchName() + " tensor";
                case ZERO_DIM -> "a zero-dim " + dtype.torchName() + " tensor";
                case SCALAR -> switch (dtype.category()) {
                    case BOOL -> "a bool scalar";
                    case INTEGER -> "an integer scalar";
                    case FLOATING -> "a floating point scalar";
                };
            };
        }
    }

    /**
     * The common dtype of {@code operands}, as {@code torch.result_type}: within each priority the
     * dtypes are promoted ({@link DType#promote}); then a lower priority counts only if its category
     * is higher. No operands at all give {@link #DEFAULT_FLOAT} ({@code torch.tensor([])} is float32).
     */
    public static DType resultType(Operand... operands) {
        if (operands == null) throw new IllegalArgumentException("resultType: operands is null");
        DType[] byPriority = new DType[Priority.values().length];
        for (int i = 0; i < operands.length; i++) {
            Operand o = operands[i];
            if (o == null) throw new IllegalArgumentException("resultType: operand " + i + " is null");
            int p = o.priority().ordinal();
            byPriority[p] = byPriority[p] == null ? o.dtype() : DType.promote(byPriority[p], o.dtype());
        }
        DType lower = combine(byPriority[Priority.ZERO_DIM.ordinal()], byPriority[Priority.SCALAR.ordinal()]);
        DType r = combine(byPriority[Priority.TENSOR.ordinal()], lower);
        return r == null ? DEFAULT_FLOAT : r;
    }

    /**
     * The higher-priority dtype, unless the lower one is of a higher category: then both promote
     * (an int8 tensor with a float64 zero-dim tensor gives float64, with a float scalar float32).
     */
    private static DType combine(DType higher, DType lower) {
        if (higher == null) return lower;
        if (lower == null || lower.category().compareTo(higher.category()) <= 0) return higher;
        return DType.promote(higher, lower);
    }
}
