package dev.antorcha.backend.cpu;

import dev.antorcha.tensor.DType;
import dev.antorcha.tensor.Tensor;

/**
 * Copies between any two dtypes with PyTorch's casting rules on x86: to bool is {@code != 0};
 * between integers the low bits are kept (uint8 wraps); float to integer truncates toward zero,
 * and a NaN or out-of-range value gives what the x86 truncating instruction gives (the most
 * negative int32 or int64; int8, int16 and uint8 keep the low bits of that int32 or int64, as
 * C++'s cast through a wider type does); to float16 and bfloat16 rounds to nearest even, from a
 * float64 or an integer through float32 first, as c10's {@code Half} and {@code BFloat16} do.
 *
 * <p>Integer sources are read as longs and floating sources as doubles, so int64 stays exact.
 * The float32, float64 and int64 paths that training runs keep their own loops
 * ({@link LongLoops}, {@link DoubleConversions}); this one serves every pair that involves another
 * dtype, and float to int64 (where those loops saturate as Java does).
 */
final class Conversions {
    private Conversions() {
    }

    /**
     * Whether {@link #convert} is the path for {@code from -> to}: every pair with a dtype other
     * than float32, float64 and int64 (bool among them), and float to int64.
     */
    static boolean handles(DType from, DType to) {
        return !oldStorage(from) || !oldStorage(to) || (from.isFloatingPoint() && to == DType.INT64);
    }

    private static boolean oldStorage(DType d) {
        return d == DType.FLOAT32 || d == DType.FLOAT64 || d == DType.INT64;
    }

    private interface LongReader {
        long get(int i);
    }

    private interface DoubleReader {
        double get(int i);
    }

    private interface Writer {
        void fromLong(int i, long v);

        void fromDouble(int i, double v);
    }

    /** {@code dst = src} element-wise, {@code src} broadcast to {@code shape}. */
    static void convert(Tensor src, Tensor dst, int[] shape, int[][] st, int[] offs) {
        DType from = src.dtype();
        if (from == DType.FLOAT32 && dst.dtype() == DType.BOOL) {   // comparisons' results, masks
            float[] s = CpuStorage.floats(src);
            byte[] d = CpuStorage.bytes(dst);
            Strided.forEachRow(shape, st, offs, (p, in, n) -> {
                for (int i = 0; i < n; i++) d[p[1] + i * in[1]] = s[p[0] + i * in[0]] != 0 ? (byte) 1 : 0;
            });
            return;
        }
        if (from == DType.BOOL && dst.dtype() == DType.FLOAT32) {   // masks multiplied into float32
            byte[] s = CpuStorage.bytes(src);
            float[] d = CpuStorage.floats(dst);
            Strided.forEachRow(shape, st, offs, (p, in, n) -> {
                for (int i = 0; i < n; i++) d[p[1] + i * in[1]] = s[p[0] + i * in[0]];
            });
            return;
        }
        Writer w = writer(dst);
        if (from == dst.dtype() && !from.isFloatingPoint()) {
            LongReader r = longReader(src);
            Strided.forEachRow(shape, st, offs, (p, in, n) -> {
                for (int i = 0; i < n; i++) w.fromLong(p[1] + i * in[1], r.get(p[0] + i * in[0]));
            });
        } else if (from == dst.dtype()) {
            copySameFloat(src, dst, shape, st, offs);
        } else if (from.isFloatingPoint()) {
            DoubleReader r = doubleReader(src);
            Strided.forEachRow(shape, st, offs, (p, in, n) -> {
                for (int i = 0; i < n; i++) w.fromDouble(p[1] + i * in[1], r.get(p[0] + i * in[0]));
            });
        } else {
            LongReader r = longReader(src);
            Strided.forEachRow(shape, st, offs, (p, in, n) -> {
                for (int i = 0; i < n; i++) w.fromLong(p[1] + i * in[1], r.get(p[0] + i * in[0]));
            });
        }
    }

    /** Same floating dtype: the bits move unchanged (a NaN keeps its payload, as a copy should). */
    private static void copySameFloat(Tensor src, Tensor dst, int[] shape, int[][] st, int[] offs) {
        switch (src.dtype()) {
            case FLOAT16, BFLOAT16 -> {
                short[] s = CpuStorage.shorts(src), d = CpuStorage.shorts(dst);
                Strided.forEachRow(shape, st, offs, (p, in, n) -> {
                    for (int i = 0; i < n; i++) d[p[1] + i * in[1]] = s[p[0] + i * in[0]];
                });
            }
            case FLOAT32 -> {
                float[] s = CpuStorage.floats(src), d = CpuStorage.floats(dst);
                Strided.forEachRow(shape, st, offs, (p, in, n) -> {
                    for (int i = 0; i < n; i++) d[p[1] + i * in[1]] = s[p[0] + i * in[0]];
                });
            }
            default -> {
                double[] s = CpuStorage.doubles(src), d = CpuStorage.doubles(dst);
                Strided.forEachRow(shape, st, offs, (p, in, n) -> {
                    for (int i = 0; i < n; i++) d[p[1] + i * in[1]] = s[p[0] + i * in[0]];
                });
            }
        }
    }

    private static LongReader longReader(Tensor t) {
        return switch (t.dtype()) {
            case BOOL -> {
                byte[] a = CpuStorage.bytes(t);
                yield i -> a[i] != 0 ? 1 : 0;
            }
            case UINT8 -> {
                byte[] a = CpuStorage.bytes(t);
                yield i -> a[i] & 0xFF;
            }
            case INT8 -> {
                byte[] a = CpuStorage.bytes(t);
                yield i -> a[i];
            }
            case INT16 -> {
                short[] a = CpuStorage.shorts(t);
                yield i -> a[i];
            }
            case INT32 -> {
                int[] a = CpuStorage.ints(t);
                yield i -> a[i];
            }
            case INT64 -> {
                long[] a = CpuStorage.longs(t);
                yield i -> a[i];
            }
            default -> throw new IllegalArgumentException(t.dtype().torchName() + " is not an integer or bool type");
        };
    }

    private static DoubleReader doubleReader(Tensor t) {
        return switch (t.dtype()) {
            case FLOAT16 -> {
                short[] a = CpuStorage.shorts(t);
                yield i -> Float.float16ToFloat(a[i]);
            }
            case BFLOAT16 -> {
                short[] a = CpuStorage.shorts(t);
                yield i -> bfloat16ToFloat(a[i]);
            }
            case FLOAT32 -> {
                float[] a = CpuStorage.floats(t);
                yield i -> a[i];
            }
            case FLOAT64 -> {
                double[] a = CpuStorage.doubles(t);
                yield i -> a[i];
            }
            default -> throw new IllegalArgumentException(t.dtype().torchName() + " is not a floating point type");
        };
    }

    private static Writer writer(Tensor t) {
        return switch (t.dtype()) {
            case BOOL -> {
                byte[] a = CpuStorage.bytes(t);
                yield writer((i, v) -> a[i] = v != 0 ? (byte) 1 : 0, (i, v) -> a[i] = v != 0 ? (byte) 1 : 0);
            }
            case UINT8, INT8 -> {
                byte[] a = CpuStorage.bytes(t);
                boolean unsigned = t.dtype() == DType.UINT8;
                yield writer((i, v) -> a[i] = (byte) v,
                        (i, v) -> a[i] = (byte) (unsigned ? truncateToLong(v) : truncateToInt(v)));
            }
            case INT16 -> {
                short[] a = CpuStorage.shorts(t);
                yield writer((i, v) -> a[i] = (short) v, (i, v) -> a[i] = (short) truncateToInt(v));
            }
            case INT32 -> {
                int[] a = CpuStorage.ints(t);
                yield writer((i, v) -> a[i] = (int) v, (i, v) -> a[i] = truncateToInt(v));
            }
            case INT64 -> {
                long[] a = CpuStorage.longs(t);
                yield writer((i, v) -> a[i] = v, (i, v) -> a[i] = truncateToLong(v));
            }
            case FLOAT16 -> {
                short[] a = CpuStorage.shorts(t);
                yield writer((i, v) -> a[i] = Float.floatToFloat16((float) v),
                        (i, v) -> a[i] = Float.floatToFloat16((float) v));
            }
            case BFLOAT16 -> {
                short[] a = CpuStorage.shorts(t);
                yield writer((i, v) -> a[i] = floatToBfloat16((float) v), (i, v) -> a[i] = floatToBfloat16((float) v));
            }
            case FLOAT32 -> {
                float[] a = CpuStorage.floats(t);
                yield writer((i, v) -> a[i] = (float) v, (i, v) -> a[i] = (float) v);
            }
            case FLOAT64 -> {
                double[] a = CpuStorage.doubles(t);
                yield writer((i, v) -> a[i] = (double) v, (i, v) -> a[i] = v);
            }
        };
    }

    private interface LongSink {
        void put(int i, long v);
    }

    private interface DoubleSink {
        void put(int i, double v);
    }

    private static Writer writer(LongSink l, DoubleSink d) {
        return new Writer() {
            @Override
            public void fromLong(int i, long v) {
                l.put(i, v);
            }

            @Override
            public void fromDouble(int i, double v) {
                d.put(i, v);
            }
        };
    }

    /** x86's {@code cvttsd2si} to 32 bits: truncation, and {@code INT32_MIN} for NaN and out of range. */
    static int truncateToInt(double v) {
        return v > -2147483649.0 && v < 2147483648.0 ? (int) v : Integer.MIN_VALUE;
    }

    /** x86's {@code cvttsd2si} to 64 bits: truncation, and {@code INT64_MIN} for NaN and out of range. */
    static long truncateToLong(double v) {
        return v >= -0x1p63 && v < 0x1p63 ? (long) v : Long.MIN_VALUE;
    }

    /** The float a bfloat16's bits stand for: they are a float32's upper half. */
    static float bfloat16ToFloat(short bits) {
        return Float.intBitsToFloat(bits << 16);
    }

    /** c10's {@code round_to_nearest_even}: NaN becomes the quiet NaN 0x7FC0, the rest rounds half to even. */
    static short floatToBfloat16(float f) {
        if (Float.isNaN(f)) return (short) 0x7FC0;
        int bits = Float.floatToRawIntBits(f);
        return (short) ((bits + 0x7FFF + ((bits >>> 16) & 1)) >>> 16);
    }
}
