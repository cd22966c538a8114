package dev.antorcha.backend.cpu;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.antorcha.Antorcha;
import dev.antorcha.backend.Backend;
import dev.antorcha.backend.Backends;
import dev.antorcha.tensor.DType;
import dev.antorcha.tensor.Tensor;
import java.lang.reflect.InvocationHandler;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

/**
 * The Backend methods that have a default built from other methods (what a new backend inherits)
 * against the CPU backend's own kernels for them: the same bits. The defaults run on a proxy that
 * forwards every other method to the CPU backend.
 */
class BackendDefaultsTest {

    /** The CPU backend, except that {@code sumOfSquaresInFloat64} and {@code logSoftmaxBackwardOneHot} run Backend's defaults. */
    private static Backend defaults() {
        Backend cpu = Backends.cpu();
        InvocationHandler h = (proxy, m, args) -> {
            try {
                if (m.isDefault() && (m.getName().equals("sumOfSquaresInFloat64") || m.getName().equals("logSoftmaxBackwardOneHot"))) {
                    return InvocationHandler.invokeDefault(proxy, m, args);
                }
                return m.invoke(cpu, args);
            } catch (InvocationTargetException e) {
                throw e.getCause();
            }
        };
        return (Backend) Proxy.newProxyInstance(Backend.class.getClassLoader(), new Class<?>[] {Backend.class}, h);
    }

    private static long[] bits(Tensor t) {
        return Arrays.stream(t.toDoubleArray()).mapToLong(Double::doubleToRawLongBits).toArray();
    }

    @Test
    void sumOfSquaresIsTheFloat64CopysSquaredSum() {
        Antorcha.manualSeed(11);
        Backend cpu = Backends.cpu(), def = defaults();
        for (int n : new int[] {1, 3, 4, 7, 1000, 4099}) {
            for (DType dt : new DType[] {DType.FLOAT32, DType.FLOAT64}) {
                Tensor x = Antorcha.randn(n).mul(1e3).to(dt);
                double expected = x.to(DType.FLOAT64).pow(2).sum().doubleItem();
                assertThat(cpu.sumOfSquaresInFloat64(x)).as("%s %d", dt, n).isEqualTo(def.sumOfSquaresInFloat64(x));
                assertThat(cpu.sumOfSquaresInFloat64(x)).as("%s %d", dt, n).isCloseTo(expected, org.assertj.core.data.Offset.offset(1e-9 * expected));
            }
        }
        Tensor strided = Antorcha.randn(30, 41).t();   // not contiguous: the default's copy
        assertThat(cpu.sumOfSquaresInFloat64(strided)).isEqualTo(def.sumOfSquaresInFloat64(strided));
        Tensor sliced = Antorcha.randn(50).narrow(0, 3, 45);   // an offset
        assertThat(cpu.sumOfSquaresInFloat64(sliced)).isEqualTo(def.sumOfSquaresInFloat64(sliced));
    }

    @Test
    void logSoftmaxBackwardOneHotIsTheDenseBackward() {
        Antorcha.manualSeed(12);
        Backend cpu = Backends.cpu(), def = defaults();
        for (DType dt : new DType[] {DType.FLOAT32, DType.FLOAT64}) {
            for (int n : new int[] {1, 5, 16, 37, 1003}) {
                int rows = 9;
                Tensor y = Antorcha.randn(rows, n).mul(3).logSoftmax(1).to(dt);
                Tensor index = Antorcha.rand(rows).mul(n).to(DType.INT64);
                Tensor pick = Antorcha.randn(rows).to(dt);
                pick.narrow(0, 2, 1).fill_(-0.0);
                Tensor a = cpu.empty(dt, rows, n), b = cpu.empty(dt, rows, n);
                cpu.logSoftmaxBackwardOneHot(y, index, pick, a);
                def.logSoftmaxBackwardOneHot(y, index, pick, b);
                assertThat(bits(a)).as("%s n %d", dt, n).containsExactly(bits(b));
            }
        }
        Tensor y = Antorcha.randn(2, 4).logSoftmax(1);
        assertThatThrownBy(() -> Backends.cpu().logSoftmaxBackwardOneHot(y, Antorcha.tensor(new long[] {1, 4}), Antorcha.randn(2),
                Antorcha.randn(2, 4))).isInstanceOf(IllegalArgumentException.class).hasMessageContaining("index 4 out of range");
    }
}
