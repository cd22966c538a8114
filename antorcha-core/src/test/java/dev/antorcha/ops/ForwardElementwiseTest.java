package dev.antorcha.ops;

import dev.antorcha.backend.cpu.CpuStorage;
import static dev.antorcha.ops.OpsTestSupport.assertValues;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import dev.antorcha.Antorcha;
import dev.antorcha.tensor.DType;
import dev.antorcha.tensor.Tensor;
import java.util.function.BinaryOperator;
import java.util.function.DoubleBinaryOperator;
import java.util.function.DoubleUnaryOperator;
import java.util.function.UnaryOperator;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** Forward values of the element-wise ops: broadcasting, scalars, masks, where, int64. */
class ForwardElementwiseTest {

    /** 1-D when no shape is given (like {@code torch.tensor([...])}). */
    private static Tensor t(float[] v, int... shape) {
        return shape.length == 0 ? Antorcha.tensor(v) : Antorcha.tensor(v, shape);
    }

    @Test
    void broadcastAdd4x1x3With2x3() {
        Tensor a = Antorcha.arange(0, 12, 1).reshape(4, 1, 3);
        Tensor b = t(new float[] {10, 20, 30, 100, 200, 300}, 2, 3);
        assertValues(a.add(b), new int[] {4, 2, 3}, 0,
                10, 21, 32, 100, 201, 302,
                13, 24, 35, 103, 204, 305,
                16, 27, 38, 106, 207, 308,
                19, 30, 41, 109, 210, 311);
        // and the other way round, with sub: b - a
        assertValues(b.sub(a), new int[] {4, 2, 3}, 0,
                10, 19, 28, 100, 199, 298,
                7, 16, 25, 97, 196, 295,
                4, 13, 22, 94, 193, 292,
                1, 10, 19, 91, 190, 289);
    }

    @Test
    void broadcastColumnTimesRowIsOuterProduct() {
        Tensor col = t(new float[] {1, 2, 3}, 3, 1);
        Tensor row = t(new float[] {1, 10, 100, 1000}, 1, 4);
        assertValues(col.mul(row), new int[] {3, 4}, 0,
                1, 10, 100, 1000, 2, 20, 200, 2000, 3, 30, 300, 3000);
        assertValues(row.div(col), new int[] {3, 4}, 1e-4,
                1, 10, 100, 1000, 0.5, 5, 50, 500, 1 / 3.0, 10 / 3.0, 100 / 3.0, 1000 / 3.0);
    }

    @Test
    void zeroDimTensorBroadcastsAgainstMatrix() {
        Tensor s = Antorcha.scalar(2);
        Tensor m = t(new float[] {1, 2, 3, 4, 5, 6}, 2, 3);
        assertValues(s.sub(m), new int[] {2, 3}, 0, 1, 0, -1, -2, -3, -4);
        assertValues(m.pow(s), new int[] {2, 3}, 1e-5, 1, 4, 9, 16, 25, 36);
        assertValues(s.pow(m), new int[] {2, 3}, 1e-4, 2, 4, 8, 16, 32, 64);
        assertThat(s.add(Antorcha.scalar(0.5)).dim()).isZero();
        assertThat(s.add(Antorcha.scalar(0.5)).item()).isEqualTo(2.5f);
    }

    @Test
    void incompatibleShapesReportBothSizes() {
        assertThatThrownBy(() -> Antorcha.zeros(2, 3).add(Antorcha.zeros(4)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("The size of tensor a (3) must match the size of tensor b (4) at non-singleton dimension 1");
    }

    @Test
    void scalarOverloads() {
        Tensor x = t(new float[] {-2, -0.5f, 1, 3});
        assertValues(x.add(1.5), new int[] {4}, 0, -0.5, 1, 2.5, 4.5);
        assertValues(x.sub(1), new int[] {4}, 0, -3, -1.5, 0, 2);
        assertValues(x.mul(-3), new int[] {4}, 0, 6, 1.5, -3, -9);
        assertValues(x.div(4), new int[] {4}, 0, -0.5, -0.125, 0.25, 0.75);
        assertValues(x.pow(2), new int[] {4}, 0, 4, 0.25, 1, 9);
        assertValues(x.pow(3), new int[] {4}, 1e-6, -8, -0.125, 1, 27);
        assertValues(x.add(x, 2), new int[] {4}, 0, -6, -1.5, 3, 9);
        assertValues(x.clamp(-1, 2), new int[] {4}, 0, -1, -0.5, 1, 2);
        assertValues(x.clampMin(0), new int[] {4}, 0, 0, 0, 1, 3);
        assertValues(x.clampMax(0), new int[] {4}, 0, -2, -0.5, 0, 0);
        assertThat(x.add(1.5).dtype()).isEqualTo(DType.FLOAT32);
    }

    static Stream<Arguments> binaryOps() {
        return Stream.of(
                Arguments.of("add", (BinaryOperator<Tensor>) Tensor::add, (DoubleBinaryOperator) (a, b) -> (float) a + (float) b),
                Arguments.of("sub", (BinaryOperator<Tensor>) Tensor::sub, (DoubleBinaryOperator) (a, b) -> (float) a - (float) b),
                Arguments.of("mul", (BinaryOperator<Tensor>) Tensor::mul, (DoubleBinaryOperator) (a, b) -> (float) a * (float) b),
                Arguments.of("div", (BinaryOperator<Tensor>) Tensor::div, (DoubleBinaryOperator) (a, b) -> (float) a / (float) b),
                Arguments.of("pow", (BinaryOperator<Tensor>) (a, b) -> a.abs().pow(b),
                        (DoubleBinaryOperator) (a, b) -> Math.pow(Math.abs(a), b)),
                Arguments.of("maximum", (BinaryOperator<Tensor>) Tensor::maximum, (DoubleBinaryOperator) Math::max),
                Arguments.of("minimum", (BinaryOperator<Tensor>) Tensor::minimum, (DoubleBinaryOperator) Math::min));
    }

    /**
     * Each binary op against a scalar double loop, for the layouts the kernels special-case:
     * contiguous rows long enough for SIMD plus a tail (37), a broadcast scalar on either side
     * (stride 0), a transposed operand, and a broadcast row. Expected values are read from the
     * operands' contiguous storage arrays with hand-written index maps, not through the library.
     */
    @ParameterizedTest(name = "{0}")
    @MethodSource("binaryOps")
    void binaryOpsMatchScalarLoopOnEveryLayout(String name, BinaryOperator<Tensor> op, DoubleBinaryOperator ref) {
        Antorcha.manualSeed(5);
        Tensor a = Antorcha.randn(5, 37), b = Antorcha.randn(5, 37).add(3); // b mostly away from 0
        Tensor btBase = Antorcha.randn(37, 5).add(3), bt = btBase.t();      // non-contiguous view
        Tensor s = Antorcha.scalar(1.75), row = Antorcha.randn(37).add(3);
        float[] av = CpuStorage.floats(a), bv = CpuStorage.floats(b), tv = CpuStorage.floats(btBase);
        float[] sv = CpuStorage.floats(s), rv = CpuStorage.floats(row);
        Index rowMajor = (i, j) -> i * 37 + j, transposed = (i, j) -> j * 5 + i;
        check(op.apply(a, b), av, rowMajor, bv, rowMajor, ref);
        check(op.apply(a, bt), av, rowMajor, tv, transposed, ref);
        check(op.apply(a, s), av, rowMajor, sv, (i, j) -> 0, ref);
        check(op.apply(s, b), sv, (i, j) -> 0, bv, rowMajor, ref);
        check(op.apply(a, row), av, rowMajor, rv, (i, j) -> j, ref);
        check(op.apply(bt, a), tv, transposed, av, rowMajor, ref);
        check(op.apply(a.slice(1, 1, 37, 2), bt.slice(1, 0, 36, 2)), av, (i, j) -> i * 37 + 1 + 2 * j,
                tv, (i, j) -> 2 * j * 5 + i, ref);
    }

    private interface Index {
        int at(int i, int j);
    }

    private static void check(Tensor out, float[] av, Index ia, float[] bv, Index ib, DoubleBinaryOperator ref) {
        int rows = out.size(0), cols = out.size(1);
        assertThat(rows).isEqualTo(5);
        float[] o = out.toFloatArray();
        for (int i = 0; i < rows; i++) {
            for (int j = 0; j < cols; j++) {
                double want = ref.applyAsDouble(av[ia.at(i, j)], bv[ib.at(i, j)]);
                assertThat((double) o[i * cols + j]).as("[%d,%d]", i, j)
                        .isCloseTo(want, within(1e-6 * Math.max(1, Math.abs(want))));
            }
        }
    }

    static Stream<Arguments> unaryOps() {
        return Stream.of(
                Arguments.of("neg", (UnaryOperator<Tensor>) Tensor::neg, (DoubleUnaryOperator) x -> -x),
                Arguments.of("exp", (UnaryOperator<Tensor>) Tensor::exp, (DoubleUnaryOperator) Math::exp),
                Arguments.of("log", (UnaryOperator<Tensor>) x -> x.abs().log(), (DoubleUnaryOperator) x -> Math.log(Math.abs(x))),
                Arguments.of("sqrt", (UnaryOperator<Tensor>) x -> x.abs().sqrt(), (DoubleUnaryOperator) x -> Math.sqrt(Math.abs(x))),
                Arguments.of("abs", (UnaryOperator<Tensor>) Tensor::abs, (DoubleUnaryOperator) Math::abs),
                Arguments.of("relu", (UnaryOperator<Tensor>) Tensor::relu, (DoubleUnaryOperator) x -> Math.max(x, 0)),
                Arguments.of("sigmoid", (UnaryOperator<Tensor>) Tensor::sigmoid, (DoubleUnaryOperator) x -> 1 / (1 + Math.exp(-x))),
                Arguments.of("tanh", (UnaryOperator<Tensor>) Tensor::tanh, (DoubleUnaryOperator) Math::tanh),
                Arguments.of("clamp", (UnaryOperator<Tensor>) x -> x.clamp(-0.5, 0.7),
                        (DoubleUnaryOperator) x -> Math.min(Math.max(x, -0.5), 0.7)),
                Arguments.of("pow 1.5", (UnaryOperator<Tensor>) x -> x.abs().pow(1.5),
                        (DoubleUnaryOperator) x -> Math.pow(Math.abs(x), 1.5)),
                Arguments.of("pow 2", (UnaryOperator<Tensor>) x -> x.pow(2), (DoubleUnaryOperator) x -> x * x));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("unaryOps")
    void unaryOpsMatchJavaMathOnContiguousAndStrided(String name, UnaryOperator<Tensor> op, DoubleUnaryOperator ref) {
        Antorcha.manualSeed(9);
        Tensor x = Antorcha.randn(37, 6).mul(2);
        float[] xs = CpuStorage.floats(x);
        // contiguous [37,6]; transposed [6,37]; every third row from 1: [12,6]
        Object[][] layouts = {
                {x, 37, 6, (Index) (i, j) -> i * 6 + j},
                {x.t(), 6, 37, (Index) (i, j) -> j * 6 + i},
                {x.slice(0, 1, 37, 3), 12, 6, (Index) (i, j) -> (1 + 3 * i) * 6 + j},
        };
        for (Object[] l : layouts) {
            Tensor out = op.apply((Tensor) l[0]);
            int rows = (int) l[1], cols = (int) l[2];
            Index at = (Index) l[3];
            assertThat(out.shape().toArray()).containsExactly(rows, cols);
            float[] o = out.toFloatArray();
            for (int i = 0; i < rows; i++) {
                for (int j = 0; j < cols; j++) {
                    float v = xs[at.at(i, j)];
                    double want = ref.applyAsDouble(v);
                    assertThat((double) o[i * cols + j]).as("%s(%s) at [%d,%d]", name, v, i, j)
                            .isCloseTo(want, within(2e-6 * Math.max(1, Math.abs(want))));
                }
            }
        }
    }

    @Test
    void comparisonsGiveBoolMasks() {
        Tensor a = t(new float[] {1, 2, 3, 4}), b = t(new float[] {4, 2, 1, 4});
        Object[][] cases = {
                {a.eq(b), new float[] {0, 1, 0, 1}}, {a.ne(b), new float[] {1, 0, 1, 0}},
                {a.lt(b), new float[] {1, 0, 0, 0}}, {a.le(b), new float[] {1, 1, 0, 1}},
                {a.gt(b), new float[] {0, 0, 1, 0}}, {a.ge(b), new float[] {0, 1, 1, 1}},
                {a.gt(2.5), new float[] {0, 0, 1, 1}}, {a.eq(2), new float[] {0, 1, 0, 0}},
                {a.le(3), new float[] {1, 1, 1, 0}}, {a.ne(4), new float[] {1, 1, 1, 0}},
        };
        for (Object[] c : cases) {
            Tensor m = (Tensor) c[0];
            assertThat(m.dtype()).isEqualTo(DType.BOOL);
            assertThat(m.toFloatArray()).containsExactly((float[]) c[1]);
        }
        Tensor col = t(new float[] {1, 2, 3}, 3, 1), row = t(new float[] {2, 3}, 1, 2);
        Tensor m = col.lt(row);
        assertThat(m.dtype()).isEqualTo(DType.BOOL);
        assertThat(m.shape().toArray()).containsExactly(3, 2);
        assertThat(m.toLongArray()).containsExactly(1, 1, 0, 1, 0, 0);
        assertThat(m.requiresGrad()).isFalse();
        // comparisons never record a graph, even on inputs that require grad
        assertThat(a.detach().requiresGrad(true).gt(0).gradFn()).isNull();
    }

    @Test
    void whereSelectsWithBroadcasting() {
        Tensor cond = t(new float[] {1, -1, 2}, 3, 1).gt(0);                  // [[T],[F],[T]]
        Tensor a = t(new float[] {1, 2, 3, 4}, 1, 4);
        Tensor b = Antorcha.scalar(-9);
        assertValues(Antorcha.where(cond, a, b), new int[] {3, 4}, 0,
                1, 2, 3, 4, -9, -9, -9, -9, 1, 2, 3, 4);
        Tensor x = t(new float[] {-1, 5, -3, 7});
        assertValues(x.where(x.gt(0), Antorcha.zeros(4)), new int[] {4}, 0, 0, 5, 0, 7);
        Tensor li = Antorcha.tensor(new long[] {10, 20, 30}), lj = Antorcha.tensor(new long[] {-1, -2, -3});
        Tensor w = Antorcha.where(t(new float[] {1, 0, 1}).gt(0), li, lj);
        assertThat(w.dtype()).isEqualTo(DType.INT64);
        assertThat(w.toLongArray()).containsExactly(10, -2, 30);
        assertThatThrownBy(() -> Antorcha.where(t(new float[] {1, 0}), a, b))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("boolean");
    }

    @Test
    void int64TensorsKeepTheirType() {
        Tensor l = Antorcha.tensor(new long[] {3, 1, 2});
        assertThat(l.dtype()).isEqualTo(DType.INT64);
        assertThat(l.shape().toArray()).containsExactly(3);
        assertThat(l.add(1).dtype()).isEqualTo(DType.INT64);
        assertThat(l.add(1).toLongArray()).containsExactly(4, 2, 3);
        assertThat(l.mul(l).toLongArray()).containsExactly(9, 1, 4);
        assertThat(l.sub(Antorcha.tensor(new long[] {1, 1, 1})).toLongArray()).containsExactly(2, 0, 1);
        assertThat(l.neg().toLongArray()).containsExactly(-3, -1, -2);
        // true division and float scalars promote to float32, as torch
        Tensor half = l.div(2);
        assertThat(half.dtype()).isEqualTo(DType.FLOAT32);
        assertThat(half.toFloatArray()).containsExactly(1.5f, 0.5f, 1f);
        assertThat(l.add(0.5).dtype()).isEqualTo(DType.FLOAT32);
        assertThat(l.add(0.5).toFloatArray()).containsExactly(3.5f, 1.5f, 2.5f);
        assertThat(l.add(Antorcha.ones(3)).dtype()).isEqualTo(DType.FLOAT32);
        // large values survive (beyond float's 24-bit mantissa)
        Tensor big = Antorcha.tensor(new long[] {(1L << 40) + 1});
        assertThat(big.add(1).toLongArray()).containsExactly((1L << 40) + 2);
    }

    @Test
    void int64EqualityAndCountingCorrectPredictions() {
        Tensor labels = Antorcha.tensor(new long[] {0, 2, 1, 2, 1});
        Tensor logits = t(new float[] {
                5, 1, 0,
                0, 1, 9,
                3, 2, 1,
                0, 0, 1,
                -1, 4, 2}, 5, 3);
        Tensor pred = logits.argmax(1);
        assertThat(pred.dtype()).isEqualTo(DType.INT64);
        assertThat(pred.toLongArray()).containsExactly(0, 2, 0, 2, 1);
        Tensor correct = pred.eq(labels);
        assertThat(correct.dtype()).isEqualTo(DType.BOOL);
        assertThat(correct.toLongArray()).containsExactly(1, 1, 0, 1, 1);
        Tensor count = correct.sum();
        assertThat(count.dtype()).isEqualTo(DType.INT64);
        assertThat(count.dim()).isZero();
        assertThat(count.longItem()).isEqualTo(4);
        assertThat(labels.sum().dtype()).isEqualTo(DType.INT64);
        assertThat(labels.sum().longItem()).isEqualTo(6);
        assertThat(labels.max().longItem()).isEqualTo(2);
        assertThat(labels.eq(2).sum().longItem()).isEqualTo(2);
        assertThat(correct.to(DType.FLOAT32).mean().item()).isEqualTo(0.8f);
    }

    @Test
    void singleElementArraysAreOneDimensionalUnlessShapeIsEmpty() {
        assertThat(Antorcha.tensor(new float[] {5}).shape().toArray()).containsExactly(1);
        assertThat(Antorcha.tensor(new long[] {5}).shape().toArray()).containsExactly(1);
        assertThat(Antorcha.tensor(new float[] {5}, new int[0]).dim()).isZero();
        assertThat(Antorcha.tensor(new float[] {5}).add(Antorcha.tensor(new float[] {5}, new int[0])).shape().toArray())
                .containsExactly(1);
    }

    @Test
    void boolArithmeticIsPyTorchs() {
        Tensor m = t(new float[] {1, 0, 1}).gt(0);
        Tensor n = t(new float[] {1, 1, 0}).gt(0);
        // torch: mask + mask is a bool (logical or), mask * mask a bool (and); with an int64 it is int64
        Tensor s = m.add(n);
        assertThat(s.dtype()).isEqualTo(DType.BOOL);
        assertThat(s.toFloatArray()).containsExactly(1f, 1f, 1f);
        assertThat(m.mul(n).dtype()).isEqualTo(DType.BOOL);
        assertThat(m.mul(n).toFloatArray()).containsExactly(1f, 0f, 0f);
        assertThat(m.add(n.to(DType.INT64)).toLongArray()).containsExactly(2, 1, 1);
        assertThat(m.mul(2.5).dtype()).isEqualTo(DType.FLOAT32);
        assertThat(m.mul(2.5).toFloatArray()).containsExactly(2.5f, 0f, 2.5f);
    }
}
