package dev.antorcha.ops;

import static org.assertj.core.api.Assertions.assertThat;

import dev.antorcha.Antorcha;
import dev.antorcha.autograd.GradCheck;
import dev.antorcha.nn.functional.F;
import dev.antorcha.ops.RecurrentOps.Mode;
import dev.antorcha.tensor.DType;
import dev.antorcha.tensor.Tensor;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * A recurrent layer that owns its input projection ({@code RecurrentOps.layer(mode, x, wIh, bIh, …)})
 * gives the bits of the composition it replaces ({@code F.linear} then the layer on the gate
 * pre-activations), forward and backward, with and without biases, and passes GradCheck.
 */
class RecurrentProjectionTest {

    /** Leaves: x [T·N, in], wIh, bIh, h0, c0, wHh, bHh (biases null when {@code bias} is false). */
    private static Tensor[] leaves(Mode mode, boolean bias, DType dt, int steps, int n, int in, int hs, long seed) {
        Antorcha.manualSeed(seed);
        int g = mode.gates() * hs;
        Tensor x = Antorcha.randn(dt, steps * n, in), wIh = Antorcha.randn(dt, g, in).mul(0.4), bIh = Antorcha.randn(dt, g);
        Tensor h0 = Antorcha.randn(dt, n, hs), c0 = Antorcha.randn(dt, n, hs), wHh = Antorcha.randn(dt, g, hs).mul(0.4);
        Tensor bHh = Antorcha.randn(dt, g);
        Tensor[] t = {x, wIh, bias ? bIh : null, h0, mode == Mode.LSTM ? c0 : null, wHh, bias ? bHh : null};
        for (int i = 0; i < t.length; i++) if (t[i] != null) t[i] = t[i].detach().clone().requiresGrad(true);
        return t;
    }

    private static Tensor[] copies(Tensor[] t) {
        Tensor[] c = new Tensor[t.length];
        for (int i = 0; i < t.length; i++) c[i] = t[i] == null ? null : t[i].detach().clone().requiresGrad(true);
        return c;
    }

    /** Output, final hidden and cell state, flattened together. */
    private static Tensor results(RecurrentOps.Sequence s) {
        return s.cN() == null ? Antorcha.cat(List.of(s.output().reshape(-1), s.hN().reshape(-1)), 0)
                : Antorcha.cat(List.of(s.output().reshape(-1), s.hN().reshape(-1), s.cN().reshape(-1)), 0);
    }

    @ParameterizedTest
    @EnumSource(Mode.class)
    void givesTheCompositionsBits(Mode mode) {
        int steps = 5, n = 6, in = 7, hs = 9;
        for (boolean bias : new boolean[] {true, false}) {
            for (boolean reverse : new boolean[] {false, true}) {
                Tensor[] a = leaves(mode, bias, DType.FLOAT32, steps, n, in, hs, 21), b = copies(a);
                Tensor gi = F.linear(b[0], b[1], b[2]).view(steps, n, mode.gates() * hs);
                Tensor want = results(RecurrentOps.layer(mode, gi, b[3], b[4], b[5], b[6], reverse));
                Tensor got = results(RecurrentOps.layer(mode, a[0], a[1], a[2], a[3], a[4], a[5], a[6], reverse));
                String what = mode + (bias ? "" : " without bias") + (reverse ? " reverse" : "");
                assertThat(Arrays.mismatch(got.toFloatArray(), want.toFloatArray())).as("%s: forward", what).isEqualTo(-1);
                Tensor weights = Antorcha.randn(got.size(0));
                got.mul(weights).sum().backward();
                want.mul(weights).sum().backward();
                for (int i = 0; i < a.length; i++) {
                    if (a[i] == null) continue;
                    assertThat(Arrays.mismatch(a[i].grad().toFloatArray(), b[i].grad().toFloatArray()))
                            .as("%s: gradient of input %d", what, i).isEqualTo(-1);
                }
            }
        }
    }

    @ParameterizedTest
    @EnumSource(Mode.class)
    void passesGradCheck(Mode mode) {
        Tensor[] t = leaves(mode, true, DType.FLOAT64, 3, 2, 2, 3, 22);
        if (mode == Mode.RNN_RELU) t[2] = t[2].detach().add(1.0).requiresGrad(true);   // fewer kinks near 0
        Tensor[] in = Arrays.stream(t).filter(java.util.Objects::nonNull).toArray(Tensor[]::new);
        boolean lstm = mode == Mode.LSTM;
        GradCheck.Result r = GradCheck.check(v -> results(lstm
                ? RecurrentOps.layer(mode, v[0], v[1], v[2], v[3], v[4], v[5], v[6], false)
                : RecurrentOps.layer(mode, v[0], v[1], v[2], v[3], null, v[4], v[5], false)), in);
        assertThat(r.passed()).as("%s: %s", mode, r).isTrue();
    }
}
