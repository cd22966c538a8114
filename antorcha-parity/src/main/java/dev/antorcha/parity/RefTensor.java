package dev.antorcha.parity;

import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * One decoded TENSOR of a {@code torch-parity-v1} file (see {@code PARITY_FORMAT.md}), row-major.
 *
 * <ul>
 *   <li>{@code float32} + {@code full} or {@code int_scaled}: {@link #values} holds all {@link #numel()}
 *       elements ({@code int_scaled} decoded as {@code (float) (int_data[i] * scale)}).</li>
 *   <li>{@code float32} + {@code strided_sample}: {@link #values} holds the sample, {@code values[j]} being
 *       the element at flat index {@code sampleStart + j * sampleStride}; {@link #stats} describes all
 *       elements.</li>
 *   <li>{@code int64} (always {@code full}): {@link #longValues} holds all elements.</li>
 *   <li>{@code float64} ({@code full} or {@code strided_sample}, see {@code PARITY_FORMAT_F64.md}):
 *       {@link #doubleValues} as {@link #values} for float32, never rounded through float.</li>
 * </ul>
 * Unused components are {@code null} (arrays, stats); {@code sampleStart}/{@code sampleStride} are 0/1
 * for non-sampled tensors. {@code equals}/{@code hashCode} compare array contents; {@code toString}
 * abbreviates the data. The arrays are not copied: treat them as read-only.
 *
 * @param name         the tensor's name in its file (used in messages)
 * @param shape        dimensions; {@code []} for a scalar
 * @param dtype        {@code "float32"} or {@code "int64"}
 * @param layout       {@code "full"}, {@code "int_scaled"} or {@code "strided_sample"}
 * @param values       float32 content (all elements, or the sample); null for int64
 * @param longValues   int64 content; null for float32
 * @param sampleStart  first sampled flat index (0 unless sampled)
 * @param sampleStride flat index step between samples (1 unless sampled)
 * @param stats        whole-tensor statistics of a sampled tensor; null otherwise
 * @param doubleValues float64 content (all elements, or the sample), each the exact double the file
 *                     wrote; null for the other dtypes
 */
public record RefTensor(String name, int[] shape, String dtype, String layout, float[] values,
                        long[] longValues, int sampleStart, int sampleStride, Stats stats, double[] doubleValues) {

    public static final String FLOAT32 = "float32";
    public static final String INT64 = "int64";
    public static final String FULL = "full";
    public static final String INT_SCALED = "int_scaled";
    public static final String STRIDED_SAMPLE = "strided_sample";

    /**
     * A tensor of a dtype that the format's sets may use but Antorcha does not have: the case cannot
     * be run yet, which {@link ParityRunner} reports as SKIP with this message, not as FAIL.
     */
    public static final class UnsupportedDTypeException extends IllegalArgumentException {
        UnsupportedDTypeException(String message) {
            super(message);
        }
    }

    /** The dtype of the float64 set ({@code PARITY_FORMAT_F64.md}), computed in float64. */
    public static final String FLOAT64 = "float64";

    /**
     * Statistics over all elements of a sampled tensor, computed in double from the float32 values.
     *
     * @param sum    sum of the elements
     * @param absSum sum of absolute values
     * @param sqSum  sum of squares
     * @param min    smallest element
     * @param max    largest element
     */
    public record Stats(double sum, double absSum, double sqSum, double min, double max) {}

    /**
     * Decodes and validates one TENSOR object.
     *
     * @throws IllegalArgumentException naming the tensor, for a missing or mistyped field, an unknown
     *                                  dtype/layout, or a data length that does not match the shape
     */
    public static RefTensor fromJson(String name, Map<String, Object> json) {
        Objects.requireNonNull(json, "json");
        String where = "tensor '" + name + "'";
        int[] shape = shapeOf(where, json.get("shape"));
        long numelL = 1;
        for (int d : shape) {
            numelL *= d;
            if (numelL > Integer.MAX_VALUE) throw bad(where, "has too many elements: shape " + Arrays.toString(shape));
        }
        int numel = (int) numelL;
        String dtype = str(where, json, "dtype");
        String layout = str(where, json, "layout");
        switch (dtype) {
            case INT64 -> {
                if (!layout.equals(FULL)) throw bad(where, "has dtype int64 with layout '" + layout + "' (must be full)");
                List<?> data = list(where, json, "data", numel);
                long[] out = new long[numel];
                for (int i = 0; i < numel; i++) {
                    if (!(data.get(i) instanceof Long v)) throw bad(where, "data[" + i + "] is not an integer: " + data.get(i));
                    out[i] = v;
                }
                return new RefTensor(name, shape, dtype, layout, null, out, 0, 1, null, null);
            }
            case FLOAT32 -> {
                return switch (layout) {
                    case FULL -> {
                        List<?> data = list(where, json, "data", numel);
                        float[] out = new float[numel];
                        for (int i = 0; i < numel; i++) out[i] = f32(where, "data", i, data.get(i));
                        yield new RefTensor(name, shape, dtype, layout, out, null, 0, 1, null, null);
                    }
                    case INT_SCALED -> {
                        double scale = num(where, json, "scale");
                        List<?> data = list(where, json, "int_data", numel);
                        float[] out = new float[numel];
                        for (int i = 0; i < numel; i++) {
                            if (!(data.get(i) instanceof Long v)) {
                                throw bad(where, "int_data[" + i + "] is not an integer: " + data.get(i));
                            }
                            out[i] = f32(where, "int_data", i, v * scale);
                        }
                        yield new RefTensor(name, shape, dtype, layout, out, null, 0, 1, null, null);
                    }
                    case STRIDED_SAMPLE -> sampled(name, where, shape, numel, json);
                    default -> throw bad(where, "has unknown layout '" + layout + "'");
                };
            }
            case FLOAT64 -> {
                return switch (layout) {
                    case FULL -> {
                        List<?> data = list(where, json, "data", numel);
                        double[] out = new double[numel];
                        for (int i = 0; i < numel; i++) out[i] = f64(where, "data", i, data.get(i));
                        yield new RefTensor(name, shape, dtype, layout, null, null, 0, 1, null, out);
                    }
                    case STRIDED_SAMPLE -> {
                        RefTensor f = sampled(name, where, shape, numel, json);
                        List<?> data = list(where, json, "data", f.values.length);
                        double[] out = new double[data.size()];
                        for (int j = 0; j < out.length; j++) out[j] = f64(where, "data", j, data.get(j));
                        yield new RefTensor(name, shape, dtype, layout, null, null, f.sampleStart, f.sampleStride, f.stats, out);
                    }
                    default -> throw bad(where, "has dtype float64 with layout '" + layout + "' (must be full or strided_sample)");
                };
            }
            default -> throw bad(where, "has unknown dtype '" + dtype + "'");
        }
    }

    private static RefTensor sampled(String name, String where, int[] shape, int numel, Map<String, Object> json) {
        long start = integer(where, json, "sample_start");
        long stride = integer(where, json, "sample_stride");
        if (stride < 1 || stride > Integer.MAX_VALUE) throw bad(where, "has sample_stride " + stride + " (must be >= 1)");
        if (start < 0 || (start >= numel && numel > 0) || (numel == 0 && start != 0)) {
            throw bad(where, "has sample_start " + start + " outside [0, " + numel + ")");
        }
        int count = (int) ((numel - start + stride - 1) / stride); // ceil((numel - start) / stride)
        List<?> data = list(where, json, "data", count);
        float[] out = new float[count];
        for (int j = 0; j < count; j++) out[j] = f32(where, "data", j, data.get(j));
        if (!(json.get("stats") instanceof Map<?, ?> st)) throw bad(where, "has no object field 'stats'");
        var stats = new Stats(statNum(where, st, "sum"), statNum(where, st, "abs_sum"), statNum(where, st, "sq_sum"),
                statNum(where, st, "min"), statNum(where, st, "max"));
        return new RefTensor(name, shape, FLOAT32, STRIDED_SAMPLE, out, null, (int) start, (int) stride, stats, null);
    }

    /** Number of elements of the whole tensor ({@code prod(shape)}; 1 for a scalar). */
    public int numel() {
        int p = 1;
        for (int d : shape) p *= d;
        return p;
    }

    /** True for the {@code strided_sample} layout ({@link #values} is then only a sample). */
    public boolean isSampled() {
        return STRIDED_SAMPLE.equals(layout);
    }

    /** The float32 content (all elements, or the sample if {@link #isSampled()}). */
    public float[] floats() {
        if (values == null) throw new IllegalStateException("tensor '" + name + "' has dtype " + dtype + ", not float32");
        return values;
    }

    /** The float64 content (all elements, or the sample if {@link #isSampled()}). */
    public double[] doubles() {
        if (doubleValues == null) throw new IllegalStateException("tensor '" + name + "' has dtype " + dtype + ", not float64");
        return doubleValues;
    }

    /** The int64 content. */
    public long[] longs() {
        if (longValues == null) throw new IllegalStateException("tensor '" + name + "' has dtype " + dtype + ", not int64");
        return longValues;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof RefTensor t && Objects.equals(name, t.name) && Arrays.equals(shape, t.shape)
                && Objects.equals(dtype, t.dtype) && Objects.equals(layout, t.layout)
                && Arrays.equals(values, t.values) && Arrays.equals(longValues, t.longValues)
                && sampleStart == t.sampleStart && sampleStride == t.sampleStride && Objects.equals(stats, t.stats)
                && Arrays.equals(doubleValues, t.doubleValues);
    }

    @Override
    public int hashCode() {
        return Objects.hash(name, Arrays.hashCode(shape), dtype, layout, Arrays.hashCode(values),
                Arrays.hashCode(longValues), sampleStart, sampleStride, stats, Arrays.hashCode(doubleValues));
    }

    /** E.g. {@code RefTensor[dx float32[4, 5] full: -1.1258398, 0.2, ... (20 values)]}. */
    @Override
    public String toString() {
        var sb = new StringBuilder("RefTensor[").append(name).append(' ').append(dtype)
                .append(Arrays.toString(shape)).append(' ').append(layout);
        if (isSampled()) sb.append(" start=").append(sampleStart).append(" stride=").append(sampleStride);
        int len = values != null ? values.length : longValues != null ? longValues.length
                : doubleValues != null ? doubleValues.length : 0;
        sb.append(':');
        for (int i = 0; i < Math.min(len, 6); i++) {
            sb.append(i == 0 ? " " : ", ").append(values != null ? String.valueOf(values[i])
                    : longValues != null ? String.valueOf(longValues[i]) : String.valueOf(doubleValues[i]));
        }
        if (len > 6) sb.append(", ...");
        sb.append(" (").append(len).append(isSampled() ? " sampled" : "").append(" values)");
        if (stats != null) sb.append(' ').append(stats);
        return sb.append(']').toString();
    }

    // ---------------------------------------------------------------- validation helpers

    private static IllegalArgumentException bad(String where, String what) {
        return new IllegalArgumentException(where + " " + what);
    }

    private static int[] shapeOf(String where, Object o) {
        if (!(o instanceof List<?> l)) throw bad(where, "has no array field 'shape'");
        int[] shape = new int[l.size()];
        for (int i = 0; i < shape.length; i++) {
            if (!(l.get(i) instanceof Long d) || d < 0 || d > Integer.MAX_VALUE) {
                throw bad(where, "has invalid shape " + l + " (dimensions must be integers >= 0)");
            }
            shape[i] = (int) (long) d;
        }
        return shape;
    }

    private static String str(String where, Map<String, Object> json, String key) {
        if (!(json.get(key) instanceof String s)) throw bad(where, "has no string field '" + key + "'");
        return s;
    }

    private static double num(String where, Map<String, Object> json, String key) {
        if (!(json.get(key) instanceof Number v)) throw bad(where, "has no number field '" + key + "'");
        return v.doubleValue();
    }

    private static long integer(String where, Map<String, Object> json, String key) {
        if (!(json.get(key) instanceof Long v)) throw bad(where, "has no integer field '" + key + "'");
        return v;
    }

    private static double statNum(String where, Map<?, ?> st, String key) {
        if (!(st.get(key) instanceof Number v)) throw bad(where, "has no number 'stats." + key + "'");
        return v.doubleValue();
    }

    private static List<?> list(String where, Map<String, Object> json, String key, int expected) {
        if (!(json.get(key) instanceof List<?> l)) throw bad(where, "has no array field '" + key + "'");
        if (l.size() != expected) {
            throw bad(where, "has " + l.size() + " elements in '" + key + "', expected " + expected);
        }
        return l;
    }

    private static double f64(String where, String key, int i, Object o) {
        if (!(o instanceof Number v)) throw bad(where, key + "[" + i + "] is not a number: " + o);
        return v.doubleValue();
    }

    private static float f32(String where, String key, int i, Object o) {
        if (!(o instanceof Number v)) throw bad(where, key + "[" + i + "] is not a number: " + o);
        double d = v.doubleValue();
        float f = (float) d;
        if (Float.isInfinite(f)) throw bad(where, key + "[" + i + "] = " + d + " is outside the float32 range");
        return f;
    }
}
