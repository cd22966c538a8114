package dev.antorcha.tensor;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.antorcha.Antorcha;
import dev.antorcha.nn.Linear;
import dev.antorcha.nn.Parameter;
import dev.antorcha.nn.ReLU;
import dev.antorcha.nn.Sequential;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Conversions, factories, item() and printing of float64 tensors; strings are PyTorch 1.13's repr. */
class Float64ApiTest {

    @Test
    void printsAsPyTorchPrintsFloat64() {
        assertThat(Antorcha.tensor(new double[] {0.1, 1.0 / 3, -2.5}).toString())
                .isEqualTo("tensor([ 0.1000,  0.3333, -2.5000], dtype=torch.float64)");
        assertThat(Antorcha.tensor(new double[] {1, 2, 3, 4}, 2, 2).toString())
                .isEqualTo("tensor([[1., 2.],\n        [3., 4.]], dtype=torch.float64)");
        assertThat(Antorcha.tensor(new double[] {0.1}, new int[0]).toString()).isEqualTo("tensor(0.1000, dtype=torch.float64)");
        assertThat(Antorcha.tensor(new double[] {1e-9, 1}).toString())
                .isEqualTo("tensor([1.0000e-09, 1.0000e+00], dtype=torch.float64)");
        Tensor x = Antorcha.tensor(new double[] {0.5, 2}).requiresGrad(true);
        assertThat(x.toString()).isEqualTo("tensor([0.5000, 2.0000], dtype=torch.float64, requires_grad=True)");
        assertThat(x.mul(2).toString()).isEqualTo("tensor([1., 4.], dtype=torch.float64, grad_fn=<MulBackward0>)");
        assertThat(Antorcha.zeros(DType.FLOAT64, 0).toString()).isEqualTo("tensor([], dtype=torch.float64)");
    }

    @Test
    void itemAndCopiesAreExact() {
        double third = 1.0 / 3;
        Tensor t = Antorcha.tensor(new double[] {third}, new int[0]);
        assertThat(t.doubleItem()).isEqualTo(third);
        assertThat(t.item()).isEqualTo((float) third);
        assertThat(Antorcha.tensor(new double[] {third, 0.1}).toDoubleArray()).containsExactly(third, 0.1);
        assertThat(Antorcha.tensor(new float[] {0.1f}).toDouble().doubleItem()).isEqualTo((double) 0.1f);
        assertThat(Antorcha.tensor(new long[] {(1L << 53) - 1}).toDouble().toDoubleArray()[0]).isEqualTo(9007199254740991.0);
    }

    @Test
    void factoriesTakeADtype() {
        assertThat(Antorcha.zeros(DType.FLOAT64, 2, 3).dtype()).isEqualTo(DType.FLOAT64);
        assertThat(Antorcha.ones(DType.FLOAT64, 2).toDoubleArray()).containsExactly(1, 1);
        Tensor r = Antorcha.randn(DType.FLOAT64, 3, 2);
        assertThat(r.dtype()).isEqualTo(DType.FLOAT64);
        assertThat(r.shape().toArray()).containsExactly(3, 2);
        // the same draws as float32 (the generator's sequence), kept in double precision: rounded to
        // float they are the float32 values, and they carry more than float32's 24 bits
        for (boolean normal : new boolean[] {true, false}) {
            Tensor a = normal ? Antorcha.randn(new Generator(7), 64) : Antorcha.rand(new Generator(7), 64);
            Tensor b = normal ? Factory.randn(new Generator(7), DType.FLOAT64, 64) : Factory.rand(new Generator(7), DType.FLOAT64, 64);
            assertThat(b.toFloat().toFloatArray()).containsExactly(a.toFloatArray());
            long wide = java.util.Arrays.stream(b.toDoubleArray()).filter(v -> v != (double) (float) v).count();
            assertThat(wide).as("float64 draws beyond float32's precision").isGreaterThan(60);
        }
        assertThatThrownBy(() -> Factory.randn(new Generator(7), DType.INT64, 2))
                .hasMessage("\"randn\" not implemented for 'Long'");
    }

    @Test
    void moduleToConvertsParametersInPlace() {
        Sequential net = new Sequential(new Linear(3, 2), new ReLU(), new Linear(2, 1));
        List<Parameter> before = net.parameters();
        float[] w0 = before.get(0).toFloatArray();
        assertThat(net.to(DType.FLOAT64)).isSameAs(net);
        List<Parameter> after = net.parameters();
        for (int i = 0; i < before.size(); i++) {
            assertThat(after.get(i)).isSameAs(before.get(i));
            assertThat(after.get(i).dtype()).isEqualTo(DType.FLOAT64);
            assertThat(after.get(i).requiresGrad()).isTrue();
        }
        double[] w0d = after.get(0).toDoubleArray();
        for (int i = 0; i < w0.length; i++) assertThat(w0d[i]).isEqualTo((double) w0[i]);
        Tensor y = net.forward(Antorcha.tensor(new double[] {0.1, 0.2, 0.3, 0.4, 0.5, 0.6}, 2, 3));
        assertThat(y.dtype()).isEqualTo(DType.FLOAT64);
        y.sum().backward();
        assertThat(after.get(0).grad().dtype()).isEqualTo(DType.FLOAT64);
        net.to(DType.FLOAT32);
        assertThat(after.get(0).dtype()).isEqualTo(DType.FLOAT32);
        assertThat(after.get(0).grad().dtype()).as("the gradient follows its parameter").isEqualTo(DType.FLOAT32);
        assertThat(after.get(0).toFloatArray()).containsExactly(w0);
        assertThatThrownBy(() -> net.to(DType.INT64)).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("nn.Module.to only accepts floating point dtypes, but got desired dtype=torch.int64");
    }
}
