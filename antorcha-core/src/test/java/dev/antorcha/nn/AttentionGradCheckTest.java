package dev.antorcha.nn;

import static org.assertj.core.api.Assertions.assertThat;

import dev.antorcha.Antorcha;
import dev.antorcha.autograd.GradCheck;
import dev.antorcha.nn.functional.Attention;
import dev.antorcha.tensor.DType;
import dev.antorcha.tensor.Generator;
import dev.antorcha.tensor.Tensor;
import java.util.function.Function;
import org.junit.jupiter.api.Test;

/**
 * Finite differences in float64 against the backward that autograd composes for multi-head
 * attention (every input and parameter perturbed, masks included) and for the Transformer encoder.
 */
class AttentionGradCheckTest {

    private static Tensor d(int... shape) {
        return Antorcha.randn(DType.FLOAT64, shape).mul(0.7);
    }

    private static void assertPasses(Function<Tensor[], Tensor> f, Tensor... in) {
        GradCheck.Result r = GradCheck.check(f, in);
        assertThat(r.passed()).as(r.toString()).isTrue();
        for (int i = 0; i < in.length; i++) {
            if (!in[i].dtype().isFloatingPoint()) continue;
            double max = 0;
            for (double v : in[i].grad().toDoubleArray()) max = Math.max(max, Math.abs(v));
            assertThat(max).as("gradient of input %d is all zero", i).isGreaterThan(0);
        }
    }

    @Test
    void crossAttentionWithPaddingAndBoolMask() {
        Antorcha.manualSeed(11);
        int e = 4, h = 2, l = 3, s = 4, n = 2;
        Tensor pad = Antorcha.tensor(new long[] {0, 0, 0, 1, 1, 0, 0, 0}, n, s).ne(0);
        Tensor mask = Antorcha.tensor(new long[] {0, 1, 0, 0, 0, 0, 0, 1, 0, 0, 1, 0}, l, s).ne(0);
        for (boolean weights : new boolean[] {false, true}) {
            assertPasses(in -> {
                MultiheadAttention.Output r = Attention.multiHeadAttentionForward(in[0], in[1], in[2], h, in[3], in[4], in[5], in[6],
                        pad, weights, mask, true, 0.0, false, Generator.defaultGenerator());
                // the weights alone do not depend on value and out_proj: checked beside the output
                return weights ? Antorcha.cat(r.output().flatten(), r.weights().flatten()) : r.output();
            }, d(l, n, e), d(s, n, e), d(s, n, e), d(3 * e, e), d(3 * e), d(e, e), d(e));
        }
    }

    @Test
    void selfAttentionWithAFloatMaskThatIsDifferentiatedToo() {
        Antorcha.manualSeed(12);
        int e = 6, h = 3, l = 4, n = 2;
        assertPasses(in -> Attention.multiHeadAttentionForward(in[0], in[0], in[0], h, in[1], in[2], in[3], in[4],
                null, false, in[5], true, 0.0, false, Generator.defaultGenerator()).output(),
                d(l, n, e), d(3 * e, e), d(3 * e), d(e, e), d(e), d(l, l));
    }

    @Test
    void separateProjectionsAndPerHeadWeights() {
        Antorcha.manualSeed(13);
        int e = 4, h = 2, l = 2, s = 3, n = 2;
        assertPasses(in -> both(Attention.multiHeadAttentionForward(in[0], in[1], in[2], h, in[3], in[4], in[5], in[6], in[7], in[8],
                null, true, null, false, 0.0, false, Generator.defaultGenerator())),
                d(l, n, e), d(s, n, 3), d(s, n, 5), d(e, e), d(e, 3), d(e, 5), d(3 * e), d(e, e), d(e));
    }

    @Test
    void encoderLayersWithMasksEveryParameterIncluded() {
        Antorcha.manualSeed(14);
        int s = 4, n = 2, e = 4;
        Tensor pad = Antorcha.tensor(new long[] {0, 0, 0, 0, 0, 0, 1, 1}, n, s);
        Tensor causal = Transformer.generateSquareSubsequentMask(s);
        for (TransformerEncoderLayerOptions o : new TransformerEncoderLayerOptions[] {
                TransformerEncoderLayerOptions.defaults().dimFeedforward(6).dropout(0),
                TransformerEncoderLayerOptions.defaults().dimFeedforward(6).dropout(0).normFirst(true).activation("gelu")}) {
            TransformerEncoder enc = new TransformerEncoder(new TransformerEncoderLayer(e, 2, o), 2);
            enc.toDouble();
            try (var _ = Antorcha.noGrad()) {
                // away from the initial zeros and ones, so that every parameter's gradient is generic
                for (Parameter p : enc.parameters()) p.add_(Antorcha.randn(DType.FLOAT64, p.shape().toArray()).mul(0.3));
            }
            Tensor[] in = new Tensor[enc.parameters().size() + 1];
            in[0] = d(s, n, e);
            for (int i = 1; i < in.length; i++) in[i] = enc.parameters().get(i - 1);
            assertPasses(x -> enc.forward(x[0], causal, pad), in);
        }
    }

    /** The output and the per-head weights [N, heads, L, S] as one vector. */
    private static Tensor both(MultiheadAttention.Output r) {
        return Antorcha.cat(r.output().flatten(), r.weights().flatten());
    }
}
