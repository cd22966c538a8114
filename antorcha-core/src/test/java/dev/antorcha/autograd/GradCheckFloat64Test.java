package dev.antorcha.autograd;

import static org.assertj.core.api.Assertions.assertThat;

import dev.antorcha.Antorcha;
import dev.antorcha.nn.functional.F;
import dev.antorcha.tensor.DType;
import dev.antorcha.tensor.Generator;
import dev.antorcha.tensor.Tensor;
import java.util.function.Function;
import org.junit.jupiter.api.Test;

/**
 * Every differentiable op checked in float64 with PyTorch's gradcheck tolerances (eps 1e-6,
 * atol 1e-5, rtol 1e-3): the analytic backward against central differences of the forward.
 * The inputs are full doubles (float32 random draws plus a double offset that float32 cannot hold).
 */
class GradCheckFloat64Test {

    private static Tensor x(int seed, int... shape) {
        Tensor r = Antorcha.randn(new Generator(seed), shape).toDouble();
        return r.add(Antorcha.tensor(new double[] {1.0 / 3}, new int[0]).mul(1e-3)).detach();
    }

    private static Tensor positive(int seed, int... shape) {
        return x(seed, shape).abs().add(0.5).detach();
    }

    private static void ok(Function<Tensor[], Tensor> f, Tensor... in) {
        for (Tensor t : in) assertThat(t.dtype()).isEqualTo(DType.FLOAT64);
        GradCheck.Result r = GradCheck.check(f, in);
        assertThat(r.passed()).as(r.message()).isTrue();
    }

    @Test
    void elementWise() {
        ok(in -> in[0].add(in[1]), x(1, 3, 4), x(2, 4));
        ok(in -> in[0].sub(in[1]), x(1, 3, 4), x(2, 3, 1));
        ok(in -> in[0].mul(in[1]), x(1, 3, 4), x(2, 3, 4));
        ok(in -> in[0].div(in[1]), x(1, 3, 4), positive(2, 4));
        ok(in -> in[0].pow(in[1]), positive(1, 3, 4), x(2, 3, 4));
        ok(in -> in[0].pow(3), x(1, 3, 4));
        ok(in -> in[0].maximum(in[1]), x(1, 3, 4), x(2, 3, 4));
        ok(in -> in[0].minimum(in[1]), x(1, 3, 4), x(2, 3, 4));
        ok(in -> in[0].where(in[0].gt(0), in[1]), x(1, 3, 4), x(2, 3, 4));
    }

    @Test
    void unary() {
        ok(in -> in[0].exp(), x(3, 5));
        ok(in -> in[0].log(), positive(3, 5));
        ok(in -> in[0].sqrt(), positive(3, 5));
        ok(in -> in[0].tanh(), x(3, 5));
        ok(in -> in[0].sigmoid(), x(3, 5));
        ok(in -> in[0].abs(), x(3, 5));
        ok(in -> in[0].relu(), x(3, 5));
        ok(in -> in[0].clamp(-0.5, 0.5), x(3, 5));
        ok(in -> in[0].neg(), x(3, 5));
    }

    @Test
    void reductionsAndSoftmax() {
        ok(in -> in[0].sum(1), x(4, 3, 5));
        ok(in -> in[0].mean(), x(4, 3, 5));
        ok(in -> in[0].var(1, false), x(4, 3, 5));
        ok(in -> in[0].max(1, false).values(), x(4, 3, 5));
        ok(in -> in[0].logSoftmax(1), x(4, 3, 5));
        ok(in -> in[0].softmax(0), x(4, 3, 5));
        ok(in -> in[0].logsumexp(1, false), x(4, 3, 5));
    }

    @Test
    void productsLossesAndMovement() {
        ok(in -> in[0].matmul(in[1]), x(5, 2, 3, 4), x(6, 4, 2));
        ok(in -> F.linear(in[0], in[1], in[2]), x(5, 4, 3), x(6, 2, 3), x(7, 2));
        Tensor target = Antorcha.tensor(new long[] {0, 2, 1, 2});
        ok(in -> F.crossEntropy(in[0], target), x(8, 4, 3));
        ok(in -> F.mseLoss(in[0], in[1]), x(8, 4, 3), x(9, 4, 3));
        Tensor index = Antorcha.tensor(new long[] {2, 0, 1, 1, 0, 2}, 2, 3);
        ok(in -> in[0].gather(1, index), x(10, 2, 3));
        ok(in -> in[0].indexSelect(0, Antorcha.tensor(new long[] {1, 1, 0})), x(10, 2, 3));
        ok(in -> in[0].transpose(0, 1).reshape(6).slice(0, 1, 5).select(0, 2), x(11, 2, 3));
        ok(in -> in[0].toFloat().toDouble().mul(0).add(in[0]), x(12, 3));
    }

    @Test
    void aFloat32StepInsideIsCaught() {
        // rounding through float32 makes the 1e-6 difference quotient wrong by far more than rtol
        GradCheck.Result r = GradCheck.check(in -> in[0].toFloat().exp().toDouble(), x(13, 4));
        assertThat(r.passed()).as(r.message()).isFalse();
    }
}
