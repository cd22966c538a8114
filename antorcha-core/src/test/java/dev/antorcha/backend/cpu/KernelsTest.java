package dev.antorcha.backend.cpu;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import dev.antorcha.backend.BinaryOp;
import dev.antorcha.backend.UnaryOp;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.function.DoubleUnaryOperator;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Both kernel sets, called directly, against naive double-precision references. Inputs are
 * mostly multiples of 1/4 so that sums, products and axpy are exact in float and any
 * difference is a real error, not rounding.
 */
class KernelsTest {
    static final int[] LENGTHS = {0, 1, 7, 8, 9, 33, 1000};
    static final int[][] STRIDES = {{1, 1}, {1, 0}, {0, 1}, {2, 3}};
    static final float SENTINEL = -12345.5f;

    /** The scalar kernels always; the SIMD kernels when this JVM has jdk.incubator.vector. */
    static List<FloatKernels> kernels() {
        List<FloatKernels> all = new ArrayList<>();
        all.add(VectorizationProvider.scalarKernels());
        VectorizationProvider.simdKernels().ifPresent(all::add);
        return all;
    }

    /** {@code n} multiples of 1/4 in [-4, 4], with a few repeats so comparisons see ties. */
    static float[] quarters(SplittableRandom r, int n) {
        float[] v = new float[n];
        for (int i = 0; i < n; i++) v[i] = (r.nextInt(33) - 16) / 4f;
        return v;
    }

    static boolean same(float actual, double expected, double relTol) {
        float e = (float) expected;
        if (Float.isNaN(e) || Float.isNaN(actual)) return Float.isNaN(e) && Float.isNaN(actual);
        if (relTol == 0 || Float.isInfinite(e)) return actual == e;
        return Math.abs(actual - expected) <= relTol * Math.max(1, Math.abs(expected));
    }

    static double binaryRef(BinaryOp op, double a, double b) {
        return switch (op) {
            case ADD -> a + b;
            case SUB -> a - b;
            case MUL -> a * b;
            case DIV -> a / b;
            case POW -> Math.pow(a, b);
            case MAXIMUM -> Double.isNaN(a) || Double.isNaN(b) ? Double.NaN : Math.max(a, b);
            case MINIMUM -> Double.isNaN(a) || Double.isNaN(b) ? Double.NaN : Math.min(a, b);
            case MASK_POSITIVE -> b <= 0 ? 0 : a;
            case EQ -> a == b ? 1 : 0;
            case NE -> a != b ? 1 : 0;
            case LT -> a < b ? 1 : 0;
            case LE -> a <= b ? 1 : 0;
            case GT -> a > b ? 1 : 0;
            case GE -> a >= b ? 1 : 0;
        };
    }

    /**
     * Every tile shape (1..MR rows, 1..NR columns, so the SIMD path's narrow one-vector tile and
     * its partial stores too), storing and accumulating, against a fused multiply-add chain per
     * element in k order: the SIMD kernels must give exactly those bits. Random (not exact)
     * inputs, so a different summation order would show.
     */
    @Test
    void simdTileGivesTheBitsOfAnFmaChainPerElement() {
        FloatKernels k = VectorizationProvider.simdKernels().orElse(null);
        org.junit.jupiter.api.Assumptions.assumeTrue(k != null, "SKIPPED: no jdk.incubator.vector in this JVM");
        int mr = Gemm.MR, nr = k.gemmNr(), kc = 37;
        SplittableRandom r = new SplittableRandom(7);
        float[] ap = new float[kc * mr], bp = new float[kc * nr];
        for (int i = 0; i < ap.length; i++) ap[i] = (float) r.nextDouble(-1, 1);
        for (int i = 0; i < bp.length; i++) bp[i] = (float) r.nextDouble(-1, 1);
        int ldc = nr + 3;
        for (int rows = 1; rows <= mr; rows++) {
            for (int cols = 1; cols <= nr; cols++) {
                for (boolean accumulate : new boolean[] {false, true}) {
                    float[] c = new float[mr * ldc], expected = new float[mr * ldc];
                    for (int i = 0; i < c.length; i++) c[i] = expected[i] = (float) r.nextDouble(-1, 1);
                    k.gemmTile(kc, ap, 0, bp, 0, c, 0, ldc, rows, cols, accumulate, new float[mr * nr]);
                    for (int i = 0; i < rows; i++) {
                        for (int j = 0; j < cols; j++) {
                            float acc = 0;
                            for (int p = 0; p < kc; p++) acc = Math.fma(ap[p * mr + i], bp[p * nr + j], acc);
                            expected[i * ldc + j] = accumulate ? expected[i * ldc + j] + acc : acc;
                        }
                    }
                    assertThat(c).as("rows %d, cols %d, accumulate %b", rows, cols, accumulate).containsExactly(expected);
                }
            }
        }
    }

    @ParameterizedTest
    @MethodSource("kernels")
    void binaryOpsAllStridesAndLengths(FloatKernels k) {
        SplittableRandom r = new SplittableRandom(1);
        for (BinaryOp op : BinaryOp.values()) {
            for (int[] s : STRIDES) {
                for (int os : new int[] {1, 2}) {
                    for (int n : LENGTHS) {
                        int ao = 3, bo = 5, oo = 2;
                        float[] a = quarters(r, ao + Math.max(n, 1) * Math.max(s[0], 1) + 4);
                        float[] b = quarters(r, bo + Math.max(n, 1) * Math.max(s[1], 1) + 4);
                        if (n > 2 && s[0] != 0) a[ao + s[0]] = Float.NaN;  // NaN in the second element
                        float[] o = new float[oo + n * os + 3];
                        java.util.Arrays.fill(o, SENTINEL);
                        k.binary(op, a, ao, s[0], b, bo, s[1], o, oo, os, n);
                        String where = op + " strides " + s[0] + "," + s[1] + " os " + os + " n " + n;
                        for (int i = 0; i < o.length; i++) {
                            int rel = i - oo;
                            if (rel >= 0 && rel % os == 0 && rel / os < n) {
                                int j = rel / os;
                                double ref = binaryRef(op, a[ao + j * s[0]], b[bo + j * s[1]]);
                                if (!same(o[i], ref, op == BinaryOp.POW ? 1e-6 : 0)) {
                                    fail(where + " element " + j + ": " + a[ao + j * s[0]] + ", " + b[bo + j * s[1]]
                                            + " gave " + o[i] + ", expected " + (float) ref);
                                }
                            } else if (o[i] != SENTINEL) {
                                fail(where + ": wrote outside the row at " + i);
                            }
                        }
                    }
                }
            }
        }
    }

    static DoubleUnaryOperator unaryRef(UnaryOp op, float p0, float p1) {
        return switch (op) {
            case COPY -> x -> x;
            case NEG -> x -> -x;
            case EXP -> Math::exp;
            case LOG -> Math::log;
            case SQRT -> Math::sqrt;
            case ABS -> Math::abs;
            case RELU -> x -> Double.isNaN(x) ? x : x > 0 ? x : 0;
            case SIGMOID -> x -> 1 / (1 + Math.exp(-x));
            case TANH -> Math::tanh;
            case CLAMP -> x -> Double.isNaN(x) ? x : Math.min(Math.max(x, p0), p1);
            case POW_SCALAR -> x -> Math.pow(x, p0);
            case SIGN -> Math::signum;
            case ERF -> KernelsTest::erfAbramowitzStegun;
        };
    }

    /** Abramowitz and Stegun 7.1.26 (absolute error below 1.5e-7): an independent, looser erf. */
    static double erfAbramowitzStegun(double x) {
        if (Double.isNaN(x)) return x;
        double a = Math.abs(x), t = 1 / (1 + 0.3275911 * a);
        double poly = t * (0.254829592 + t * (-0.284496736 + t * (1.421413741 + t * (-1.453152027 + t * 1.061405429))));
        return Math.copySign(1 - poly * Math.exp(-a * a), x);
    }

    @ParameterizedTest
    @MethodSource("kernels")
    void unaryOpsAllStridesAndLengths(FloatKernels k) {
        SplittableRandom r = new SplittableRandom(2);
        int[][] strides = {{1, 1}, {2, 1}, {0, 1}, {1, 3}};
        for (UnaryOp op : UnaryOp.values()) {
            for (float p0 : op == UnaryOp.POW_SCALAR ? new float[] {2f, 3f, 0.5f} : new float[] {-1.25f}) {
                float p1 = 1.5f;
                DoubleUnaryOperator ref = unaryRef(op, p0, p1);
                boolean exact = switch (op) {
                    case EXP, LOG, SIGMOID, TANH, POW_SCALAR, ERF -> false;
                    default -> true;
                };
                for (int[] s : strides) {
                    for (int n : LENGTHS) {
                        int xo = 1, oo = 4;
                        float[] x = quarters(r, xo + Math.max(n, 1) * Math.max(s[0], 1) + 2);
                        for (int i = 0; i < x.length; i += 13) x[i] = r.nextDouble() * 10 - 5 > 0 ? 0.3f : -2.7f;
                        if (n > 11 && s[0] != 0) {
                            x[xo + 9 * s[0]] = Float.NaN;
                            x[xo + 10 * s[0]] = Float.POSITIVE_INFINITY;
                            x[x.length - 3] = Float.NEGATIVE_INFINITY;
                        }
                        float[] o = new float[oo + n * s[1] + 2];
                        java.util.Arrays.fill(o, SENTINEL);
                        k.unary(op, x, xo, s[0], o, oo, s[1], n, p0, p1);
                        for (int i = 0; i < o.length; i++) {
                            int rel = i - oo;
                            if (rel >= 0 && rel % s[1] == 0 && rel / s[1] < n) {
                                float xi = x[xo + rel / s[1] * s[0]];
                                double e = ref.applyAsDouble(xi);
                                if (!same(o[i], e, exact ? 0 : 3e-7)) {
                                    fail(op + "(p0=" + p0 + ") strides " + s[0] + "," + s[1] + " n " + n + ": x=" + xi
                                            + " gave " + o[i] + ", expected " + (float) e);
                                }
                            } else {
                                assertThat(o[i]).as(op + " wrote outside the row at " + i).isEqualTo(SENTINEL);
                            }
                        }
                    }
                }
            }
        }
    }

    @ParameterizedTest
    @MethodSource("kernels")
    void sumIsExactOnQuartersAndCloseOnRandom(FloatKernels k) {
        SplittableRandom r = new SplittableRandom(3);
        for (int n : LENGTHS) {
            for (int off : new int[] {0, 3}) {
                float[] q = quarters(r, off + n + 5);
                double exact = 0;
                for (int i = 0; i < n; i++) exact += q[off + i];
                assertThat((double) k.sum(q, off, n)).as("sum n=%d off=%d", n, off).isEqualTo(exact);
                float[] x = new float[off + n + 5];
                double ref = 0, abs = 0;
                for (int i = 0; i < x.length; i++) x[i] = (float) (r.nextDouble() * 2 - 1);
                for (int i = 0; i < n; i++) {
                    ref += x[off + i];
                    abs += Math.abs(x[off + i]);
                }
                assertThat((double) k.sum(x, off, n)).as("random sum n=%d", n)
                        .isCloseTo(ref, org.assertj.core.data.Offset.offset(1e-6 * abs + 1e-7));
            }
        }
    }

    @ParameterizedTest
    @MethodSource("kernels")
    void maxAndMinWithNaNPropagation(FloatKernels k) {
        SplittableRandom r = new SplittableRandom(4);
        for (int n : LENGTHS) {
            if (n == 0) continue;
            for (int off : new int[] {0, 2}) {
                float[] x = new float[off + n + 4];
                for (int i = 0; i < x.length; i++) x[i] = (float) (r.nextDouble() * 200 - 100);
                x[x.length - 1] = 1e9f;                            // outside the range: must be ignored
                double max = Double.NEGATIVE_INFINITY, min = Double.POSITIVE_INFINITY;
                for (int i = 0; i < n; i++) {
                    max = Math.max(max, x[off + i]);
                    min = Math.min(min, x[off + i]);
                }
                assertThat((double) k.max(x, off, n, false)).as("max n=%d off=%d", n, off).isEqualTo(max);
                assertThat((double) k.max(x, off, n, true)).as("min n=%d off=%d", n, off).isEqualTo(min);
                for (int pos : new int[] {0, n / 2, n - 1}) {
                    float[] y = x.clone();
                    y[off + pos] = Float.NaN;
                    assertThat(k.max(y, off, n, false)).as("max with NaN at %d of %d", pos, n).isNaN();
                    assertThat(k.max(y, off, n, true)).as("min with NaN at %d of %d", pos, n).isNaN();
                }
            }
        }
    }

    @ParameterizedTest
    @MethodSource("kernels")
    void axpyAndDot(FloatKernels k) {
        SplittableRandom r = new SplittableRandom(5);
        for (int n : LENGTHS) {
            float[] x = quarters(r, n + 3), y = quarters(r, n + 6);
            float[] expected = y.clone();
            for (int i = 0; i < n; i++) expected[4 + i] = (float) (y[4 + i] + 0.5 * x[1 + i]);
            k.axpy(0.5f, x, 1, y, 4, n);
            assertThat(y).as("axpy n=%d", n).containsExactly(expected);
            float[] a = quarters(r, n + 2), b = quarters(r, n + 7);
            double dot = 0;
            for (int i = 0; i < n; i++) dot += (double) a[2 + i] * b[7 + i];
            assertThat((double) k.dot(a, 2, b, 7, n)).as("dot n=%d", n).isEqualTo(dot);
            float[] u = new float[n], v = new float[n];
            double rd = 0, abs = 0;
            for (int i = 0; i < n; i++) {
                u[i] = (float) r.nextGaussian();
                v[i] = (float) r.nextGaussian();
                rd += (double) u[i] * v[i];
                abs += Math.abs((double) u[i] * v[i]);
            }
            assertThat((double) k.dot(u, 0, v, 0, n)).isCloseTo(rd, org.assertj.core.data.Offset.offset(1e-6 * abs + 1e-7));
        }
    }

    @ParameterizedTest
    @MethodSource("kernels")
    void sumAndDotGiveTheSameBitsBeforeAndAfterJitCompilation(FloatKernels k) {
        // reduceLanes(ADD) adds in another order once C2 intrinsifies it; seeded runs must not change
        // with JIT state. Several arrays, so that a lucky rounding cannot hide a changed order.
        SplittableRandom r = new SplittableRandom(6);
        int arrays = 8, n = 1000;
        float[][] x = new float[arrays][n], y = new float[arrays][n];
        float[] sum = new float[arrays], dot = new float[arrays];
        for (int a = 0; a < arrays; a++) {
            for (int i = 0; i < n; i++) {
                x[a][i] = (float) r.nextGaussian();
                y[a][i] = (float) r.nextGaussian();
            }
            sum[a] = k.sum(x[a], 0, n);                    // first calls: interpreted
            dot[a] = k.dot(x[a], 0, y[a], 0, n);
        }
        for (int it = 0; it < 200_000; it++) {            // long enough to reach C2
            int a = it % arrays;
            float s = k.sum(x[a], 0, n), d = k.dot(x[a], 0, y[a], 0, n);
            if (Float.floatToIntBits(s) != Float.floatToIntBits(sum[a])
                    || Float.floatToIntBits(d) != Float.floatToIntBits(dot[a])) {
                fail(k.description() + " call " + it + ": sum " + s + " vs " + sum[a] + ", dot " + d + " vs " + dot[a]);
            }
        }
    }

    @Test
    void providerChoosesThePathThisJvmSupports() {
        boolean module = ModuleLayer.boot().findModule("jdk.incubator.vector").isPresent();
        FloatKernels chosen = VectorizationProvider.kernels();
        assertThat(VectorizationProvider.vectorModulePresent()).isEqualTo(module);
        assertThat(CpuBackend.INSTANCE.kernels()).isSameAs(chosen);
        boolean requested = ManagementFactory.getRuntimeMXBean().getInputArguments().stream()
                .anyMatch(a -> a.contains("jdk.incubator.vector"));
        assertThat(module).as("--add-modules jdk.incubator.vector on the command line").isEqualTo(requested);
        if (!module) {                                  // the 'scalar-fallback' surefire run
            assertThat(VectorizationProvider.simdKernels()).isEmpty();
            assertThat(chosen.getClass()).isEqualTo(ScalarKernels.class);
            assertThat(chosen.lanes()).isEqualTo(1);
            return;
        }
        FloatKernels simd = VectorizationProvider.simdKernels().orElseThrow();
        assertThat(simd.lanes()).isGreaterThan(1);
        assertThat(simd.description()).contains("SIMD").contains(simd.lanes() + " floats");
        if (simd.lanes() >= 4) {
            assertThat(chosen.getClass()).isEqualTo(simd.getClass());
            assertThat(chosen.lanes()).isEqualTo(simd.lanes());
        } else {
            assertThat(chosen.getClass()).isEqualTo(ScalarKernels.class);
        }
        Assumptions.assumeTrue(cpuHas("avx2"), "lane count check needs an x86 CPU with AVX2");
        assertThat(chosen.lanes()).as(chosen.description()).isGreaterThanOrEqualTo(8);
    }

    static boolean cpuHas(String flag) {
        try {
            return Files.readAllLines(Path.of("/proc/cpuinfo")).stream().filter(l -> l.startsWith("flags"))
                    .anyMatch(l -> List.of(l.split("\\s+")).contains(flag));
        } catch (IOException | RuntimeException e) {
            return false;
        }
    }
}

