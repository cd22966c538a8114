package dev.antorcha.nn;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import dev.antorcha.Antorcha;
import dev.antorcha.autograd.NoGrad;
import dev.antorcha.tensor.DType;
import dev.antorcha.tensor.Tensor;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * {@link MultiheadAttention} against a hand-computed case and against {@link AttentionReference}
 * (plain loops): projections, scaling by sqrt(head_dim), the head layout, both masks in every form,
 * batch_first, unbatched input, kdim/vdim, dropout; its parameters, printed form and errors.
 */
class MultiheadAttentionTest {

    private static void assertClose(Tensor t, double[] expected, double tol) {
        double[] v = t.toDoubleArray();
        assertThat(v).hasSameSizeAs(expected);
        for (int i = 0; i < v.length; i++) assertThat(v[i]).as("element " + i).isCloseTo(expected[i], within(tol));
    }

    private static Tensor d(int... shape) {
        return Antorcha.randn(DType.FLOAT64, shape);
    }

    /** Identity projections: q = k = v = x and the output is the attention-weighted x. */
    private static MultiheadAttention identity(int e, int heads) {
        MultiheadAttention m = new MultiheadAttention(e, heads);
        try (NoGrad _ = NoGrad.enter()) {
            Tensor eye = Antorcha.eye(e);
            m.inProjWeight.copy_(Antorcha.cat(eye, eye, eye));
            m.outProj.weight.copy_(eye);
        }
        return m;
    }

    @Test
    void handComputedCaseScalesByTheHeadDimension() {
        // x0 = [1, 0], x1 = [0, 1], one batch element, identity projections, zero biases.
        Tensor x = Antorcha.tensor(new float[] {1, 0, 0, 1}, 2, 1, 2);
        double e1 = Math.exp(1), eh = Math.exp(1 / Math.sqrt(2));
        // 2 heads of dim 1 (scale 1): head 0 sees feature 0: scores of x0 [1, 0], of x1 [0, 0];
        // head 1 sees feature 1: scores of x0 [0, 0], of x1 [0, 1].
        MultiheadAttention.Output two = identity(2, 2).forward(x, x, x, null, true, null, false);
        double a = e1 / (e1 + 1);
        assertClose(two.output(), new double[] {a, 0.5, 0.5, a}, 1e-6);
        assertClose(two.weights(), new double[] {a, 1 - a, 0.5, 0.5, 0.5, 0.5, 1 - a, a}, 1e-6);
        // 1 head of dim 2 (scale 1/sqrt 2): x0·x0 = 1, x0·x1 = 0.
        MultiheadAttention.Output one = identity(2, 1).forward(x, x, x, null, true, null, true);
        double b = eh / (eh + 1);
        assertClose(one.output(), new double[] {b, 1 - b, 1 - b, b}, 1e-6);
        assertClose(one.weights(), new double[] {b, 1 - b, 1 - b, b}, 1e-6);
    }

    /** The module's parameters as reference arrays. */
    private static AttentionReference.Result reference(MultiheadAttention m, Tensor q, Tensor k, Tensor v, double[][][] mask) {
        int e = m.embedDim();
        double[] w = m.inProjWeight != null ? m.inProjWeight.toDoubleArray() : null;
        double[] wq = w != null ? AttentionReference.rows(w, e, 0, e) : m.qProjWeight.toDoubleArray();
        double[] wk = w != null ? AttentionReference.rows(w, e, e, e) : m.kProjWeight.toDoubleArray();
        double[] wv = w != null ? AttentionReference.rows(w, e, 2 * e, e) : m.vProjWeight.toDoubleArray();
        return AttentionReference.attention(q.toDoubleArray(), k.toDoubleArray(), v.toDoubleArray(), q.size(0), k.size(0),
                q.size(1), e, k.size(2), v.size(2), m.numHeads(), wq, wk, wv,
                m.inProjBias == null ? null : m.inProjBias.toDoubleArray(), m.outProj.weight.toDoubleArray(),
                m.outProj.bias == null ? null : m.outProj.bias.toDoubleArray(), mask);
    }

    /** Random non-zero biases, so that a bias in the wrong place shows. */
    private static MultiheadAttention randomized(MultiheadAttention m) {
        m.toDouble();
        try (NoGrad _ = NoGrad.enter()) {
            for (Parameter p : m.parameters()) p.copy_(Antorcha.randn(DType.FLOAT64, p.shape().toArray()).mul(0.5));
        }
        return m;
    }

    @Test
    void crossAttentionWithBothMasksMatchesTheLoopReference() {
        Antorcha.manualSeed(1);
        int l = 3, s = 4, n = 2, e = 6, h = 3;
        MultiheadAttention m = randomized(new MultiheadAttention(e, h));
        Tensor q = d(l, n, e), k = d(s, n, e), v = d(s, n, e);
        long[] pad = {0, 0, 0, 1, 0, 1, 0, 0};             // batch 0 ignores key 3, batch 1 key 1
        long[] attn = {0, 0, 1, 0, 0, 0, 0, 0, 1, 0, 0, 0}; // query 0 may not see key 2, query 2 not key 0
        double[][][] mask = new double[n * h][l][s];
        for (int b = 0; b < n; b++) {
            for (int j = 0; j < h; j++) {
                for (int i = 0; i < l; i++) {
                    for (int t = 0; t < s; t++) {
                        if (pad[b * s + t] != 0 || attn[i * s + t] != 0) mask[b * h + j][i][t] = Double.NEGATIVE_INFINITY;
                    }
                }
            }
        }
        AttentionReference.Result ref = reference(m, q, k, v, mask);
        Tensor padMask = Antorcha.tensor(pad, n, s), attnMask = Antorcha.tensor(attn, l, s);
        MultiheadAttention.Output r = m.forward(q, k, v, padMask, true, attnMask, true);
        assertThat(r.output().shape().toArray()).containsExactly(l, n, e);
        assertClose(r.output(), ref.output(), 1e-12);
        assertThat(r.weights().shape().toArray()).containsExactly(n, l, s);
        assertClose(r.weights(), ref.averaged(), 1e-12);
        // a masked position gets weight exactly 0
        assertThat(r.weights().toDoubleArray()[3]).isZero();
        assertThat(r.weights().toDoubleArray()[2]).isZero();

        // per-head weights [N, heads, L, S]
        Tensor perHead = m.forward(q, k, v, padMask, true, attnMask, false).weights();
        assertThat(perHead.shape().toArray()).containsExactly(n, h, l, s);
        assertClose(perHead.select(0, 1).select(0, 2).select(0, 1), ref.weights()[1][2][1], 1e-12);
        // without weights
        MultiheadAttention.Output noWeights = m.forward(q, k, v, padMask, false, attnMask, true);
        assertThat(noWeights.weights()).isNull();
        assertClose(noWeights.output(), ref.output(), 1e-12);
    }

    @Test
    void boolIntegerAndFloatMasksAgree() {
        Antorcha.manualSeed(2);
        MultiheadAttention m = randomized(new MultiheadAttention(4, 2));
        Tensor x = d(3, 2, 4);
        long[] bits = {0, 1, 1, 0, 0, 1, 0, 0, 0};
        Tensor asLong = Antorcha.tensor(bits, 3, 3);
        Tensor asBool = asLong.ne(0);
        double[] add = new double[9];
        for (int i = 0; i < 9; i++) add[i] = bits[i] != 0 ? Double.NEGATIVE_INFINITY : 0;
        Tensor asFloat = Antorcha.tensor(add, 3, 3);
        double[] expected = m.forward(x, x, x, null, true, asBool, true).output().toDoubleArray();
        assertThat(m.forward(x, x, x, null, true, asLong, true).output().toDoubleArray()).containsExactly(expected);
        assertThat(m.forward(x, x, x, null, true, asFloat, true).output().toDoubleArray()).containsExactly(expected);
        assertThat(m.forward(x, x, x, null, true, asFloat.toFloat(), true).output().toDoubleArray()).containsExactly(expected);

        // a float mask is added as it is
        double[] soft = {0.5, -1, 2, 0, 0.25, -0.5, 1, 1, -2};
        double[][][] mask = new double[4][3][3];
        for (int b = 0; b < 4; b++) for (int i = 0; i < 3; i++) for (int t = 0; t < 3; t++) mask[b][i][t] = soft[i * 3 + t];
        assertClose(m.forward(x, x, x, null, true, Antorcha.tensor(soft, 3, 3), true).output(),
                reference(m, x, x, x, mask).output(), 1e-12);

        // a float attn_mask with a bool padding mask: -inf filled in where padded
        Tensor pad = Antorcha.tensor(new long[] {0, 0, 1, 1, 0, 0}, 2, 3);
        for (int b = 0; b < 4; b++) {
            for (int i = 0; i < 3; i++) {
                if (b < 2) mask[b][i][2] = Double.NEGATIVE_INFINITY;
                else mask[b][i][0] = Double.NEGATIVE_INFINITY;
            }
        }
        assertClose(m.forward(x, x, x, pad.ne(0), true, Antorcha.tensor(soft, 3, 3), true).output(),
                reference(m, x, x, x, mask).output(), 1e-12);
    }

    @Test
    void threeDimensionalMaskIsPerBatchAndHead() {
        Antorcha.manualSeed(3);
        int n = 2, h = 2, l = 2, s = 3;
        MultiheadAttention m = randomized(new MultiheadAttention(4, h));
        Tensor x = d(l, n, 4), kv = d(s, n, 4);
        long[] bits = new long[n * h * l * s];
        double[][][] mask = new double[n * h][l][s];
        for (int bh = 0; bh < n * h; bh++) {
            int hidden = bh % s;   // each batch-head pair hides another key
            for (int i = 0; i < l; i++) {
                bits[(bh * l + i) * s + hidden] = 1;
                mask[bh][i][hidden] = Double.NEGATIVE_INFINITY;
            }
        }
        MultiheadAttention.Output r = m.forward(x, kv, kv, null, true, Antorcha.tensor(bits, n * h, l, s), false);
        AttentionReference.Result ref = reference(m, x, kv, kv, mask);
        assertClose(r.output(), ref.output(), 1e-12);
        double[] w = r.weights().toDoubleArray();
        for (int bh = 0; bh < n * h; bh++) {
            for (int i = 0; i < l; i++) assertThat(w[(bh * l + i) * s + bh % s]).as("batch-head " + bh).isZero();
        }
    }

    @Test
    void batchFirstAndUnbatchedInputsAreTheSameComputation() {
        Antorcha.manualSeed(4);
        MultiheadAttention seqFirst = randomized(new MultiheadAttention(4, 2));
        MultiheadAttention batchFirst = new MultiheadAttention(4, 2, MultiheadAttentionOptions.defaults().batchFirst(true));
        batchFirst.toDouble();
        batchFirst.loadStateDict(seqFirst.stateDict(), true);
        Tensor q = d(3, 2, 4), kv = d(5, 2, 4);
        Tensor pad = Antorcha.tensor(new long[] {0, 0, 0, 0, 1, 0, 1, 0, 0, 0}, 2, 5);
        MultiheadAttention.Output a = seqFirst.forward(q, kv, kv, pad, true, null, true);
        MultiheadAttention.Output b = batchFirst.forward(q.transpose(0, 1), kv.transpose(0, 1), kv.transpose(0, 1), pad, true,
                null, true);
        assertThat(b.output().shape().toArray()).containsExactly(2, 3, 4);
        assertThat(b.output().transpose(0, 1).toDoubleArray()).containsExactly(a.output().toDoubleArray());
        assertThat(b.weights().toDoubleArray()).containsExactly(a.weights().toDoubleArray());
        Tensor xb = q.transpose(0, 1).contiguous();
        assertThat(batchFirst.forward(xb).transpose(0, 1).toDoubleArray()).containsExactly(seqFirst.forward(q).toDoubleArray());

        // unbatched [L, E]: batch element 1 on its own
        Tensor q1 = q.select(1, 1), kv1 = kv.select(1, 1);
        MultiheadAttention.Output u = seqFirst.forward(q1, kv1, kv1, pad.select(0, 1), true, null, true);
        assertThat(u.output().shape().toArray()).containsExactly(3, 4);
        assertThat(u.weights().shape().toArray()).containsExactly(3, 5);
        assertClose(u.output(), a.output().select(1, 1).toDoubleArray(), 1e-12);
        assertClose(u.weights(), a.weights().select(0, 1).toDoubleArray(), 1e-12);
    }

    @Test
    void separateKeyAndValueSizes() {
        Antorcha.manualSeed(5);
        MultiheadAttention m = randomized(new MultiheadAttention(4, 2, MultiheadAttentionOptions.defaults().kdim(3).vdim(5)));
        assertThat(m.stateDict().keySet()).containsExactly("q_proj_weight", "k_proj_weight", "v_proj_weight", "in_proj_bias",
                "out_proj.weight", "out_proj.bias");
        assertThat(m.kProjWeight.shape().toArray()).containsExactly(4, 3);
        assertThat(m.vProjWeight.shape().toArray()).containsExactly(4, 5);
        assertThat(m.inProjWeight).isNull();
        Tensor q = d(2, 3, 4), k = d(6, 3, 3), v = d(6, 3, 5);
        MultiheadAttention.Output r = m.forward(q, k, v, null, true, null, true);
        AttentionReference.Result ref = reference(m, q, k, v, null);
        assertClose(r.output(), ref.output(), 1e-12);
        assertClose(r.weights(), ref.averaged(), 1e-12);
    }

    @Test
    void parametersInitialisationAndPrintedFormAsPyTorch() {
        Antorcha.manualSeed(6);
        MultiheadAttention m = new MultiheadAttention(8, 2);
        assertThat(m.stateDict().keySet()).containsExactly("in_proj_weight", "in_proj_bias", "out_proj.weight", "out_proj.bias");
        assertThat(m.inProjWeight.shape().toArray()).containsExactly(24, 8);
        // xavier_uniform_ on [24, 8]: bound sqrt(6 / (8 + 24)) = 0.433; out_proj keeps Linear's ±1/sqrt(8)
        double bound = Math.sqrt(6.0 / 32);
        double[] w = m.inProjWeight.toDoubleArray();
        double max = 0;
        for (double x : w) max = Math.max(max, Math.abs(x));
        assertThat(max).isLessThanOrEqualTo(bound).isGreaterThan(bound * 0.8);
        assertThat(m.inProjBias.toDoubleArray()).containsOnly(0.0);
        assertThat(m.outProj.bias.toDoubleArray()).containsOnly(0.0);
        for (double x : m.outProj.weight.toDoubleArray()) assertThat(Math.abs(x)).isLessThanOrEqualTo(1 / Math.sqrt(8));
        assertThat(m.outProj.weight.toDoubleArray()).doesNotContain(0.0);
        assertThat(m.toString()).isEqualTo("MultiheadAttention(\n"
                + "  (out_proj): NonDynamicallyQuantizableLinear(in_features=8, out_features=8, bias=True)\n)");

        MultiheadAttention noBias = new MultiheadAttention(8, 2, MultiheadAttentionOptions.defaults().bias(false));
        assertThat(noBias.stateDict().keySet()).containsExactly("in_proj_weight", "out_proj.weight");
        assertThat(noBias.toString()).contains("NonDynamicallyQuantizableLinear(in_features=8, out_features=8, bias=False)");
        Tensor x = Antorcha.randn(3, 2, 8);
        assertThat(noBias.forward(x).shape().toArray()).containsExactly(3, 2, 8);
    }

    @Test
    void dropoutActsOnTheWeightsInTrainingOnly() {
        Antorcha.manualSeed(7);
        MultiheadAttention m = new MultiheadAttention(4, 2, MultiheadAttentionOptions.defaults().dropout(0.5));
        Tensor x = Antorcha.randn(5, 3, 4);
        m.eval();
        double[] plain = m.forward(x, x, x, null, true, null, false).weights().toDoubleArray();
        double[] again = m.forward(x, x, x, null, true, null, false).weights().toDoubleArray();
        assertThat(again).containsExactly(plain);
        m.train();
        double[] dropped = m.forward(x, x, x, null, true, null, false).weights().toDoubleArray();
        int zeros = 0;
        for (int i = 0; i < plain.length; i++) {
            if (dropped[i] == 0) zeros++;
            else assertThat(dropped[i]).isCloseTo(2 * plain[i], within(1e-6));
        }
        assertThat(zeros).isBetween(plain.length / 4, 3 * plain.length / 4);
    }

    @Test
    void selfAttentionGradientsReachEveryParameterAndTheInput() {
        Antorcha.manualSeed(8);
        MultiheadAttention m = randomized(new MultiheadAttention(4, 2));
        Tensor x = d(3, 2, 4).requiresGrad(true);
        m.forward(x).sum().backward();
        assertThat(x.grad()).isNotNull();
        for (Map.Entry<String, Parameter> p : m.namedParameters().entrySet()) {
            assertThat(p.getValue().grad()).as(p.getKey()).isNotNull();
        }
    }

    @Test
    void replacedParametersAndProjectionAreUsed() {
        Antorcha.manualSeed(9);
        MultiheadAttention m = randomized(new MultiheadAttention(4, 2));
        Tensor x = d(3, 2, 4);
        Parameter w = new Parameter(d(12, 4));
        m.setParameter("in_proj_weight", w);
        assertThat(m.inProjWeight).isSameAs(w);
        NonDynamicallyQuantizableLinear out = new NonDynamicallyQuantizableLinear(4, 4, false);
        out.toDouble();
        m.setModule("out_proj", out);
        assertThat(m.outProj).isSameAs(out);
        assertClose(m.forward(x), reference(m, x, x, x, null).output(), 1e-12);
        assertThat(m.stateDict().keySet()).containsExactly("in_proj_weight", "in_proj_bias", "out_proj.weight");
        assertThatThrownBy(() -> m.setModule("out_proj", new ReLU())).hasMessageContaining("must be a Linear, got ReLU");
    }

    @Test
    void theFunctionalFormNamesANullArgument() {
        Tensor x = Antorcha.randn(3, 2, 4), w = Antorcha.randn(12, 4), o = Antorcha.randn(4, 4);
        var g = dev.antorcha.tensor.Generator.defaultGenerator();
        assertThatThrownBy(() -> dev.antorcha.nn.functional.Attention.multiHeadAttentionForward(null, x, x, 2, w, null, o, null,
                null, true, null, true, 0, false, g)).isInstanceOf(NullPointerException.class)
                .hasMessage("multiHeadAttentionForward(): argument 'query' must be a Tensor, not null");
        assertThatThrownBy(() -> dev.antorcha.nn.functional.Attention.multiHeadAttentionForward(x, x, x, 2, null, null, o, null,
                null, true, null, true, 0, false, g))
                .hasMessage("multiHeadAttentionForward(): argument 'in_proj_weight' must be a Tensor, not null");
        assertThatThrownBy(() -> dev.antorcha.nn.functional.Attention.multiHeadAttentionForward(x, x, x, 2, w, null, null, null,
                null, true, null, true, 0, false, g))
                .hasMessage("multiHeadAttentionForward(): argument 'out_proj_weight' must be a Tensor, not null");
        assertThatThrownBy(() -> dev.antorcha.nn.functional.Attention.multiHeadAttentionForward(x, x, x, 3, w, null, o, null,
                null, true, null, true, 0, false, g)).hasMessageContaining("embed_dim 4 not divisible by num_heads 3");
    }

    @Test
    void errorsNameTheShapes() {
        assertThatThrownBy(() -> new MultiheadAttention(8, 3)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("embed_dim must be divisible by num_heads").hasMessageContaining("embed_dim=8, num_heads=3");
        assertThatThrownBy(() -> new MultiheadAttention(0, 2)).hasMessageContaining("embed_dim=0");
        assertThatThrownBy(() -> MultiheadAttentionOptions.defaults().dropout(1.5))
                .hasMessageContaining("dropout probability has to be between 0 and 1, but got 1.5");
        MultiheadAttention m = new MultiheadAttention(4, 2);
        Tensor x = Antorcha.randn(3, 2, 4);
        assertThatThrownBy(() -> m.forward(x, x, x, null, true, Antorcha.zeros(DType.BOOL, 3, 4), true))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("The shape of the 2D attn_mask is [3, 4], but should be [3, 3]");
        assertThatThrownBy(() -> m.forward(x, x, x, null, true, Antorcha.zeros(DType.BOOL, 2, 3, 3), true))
                .hasMessageContaining("The shape of the 3D attn_mask is [2, 3, 3], but should be [4, 3, 3]");
        assertThatThrownBy(() -> m.forward(x, x, x, Antorcha.zeros(DType.BOOL, 2, 4), true, null, true))
                .hasMessageContaining("expecting key_padding_mask shape of [2, 3] (batch, S), but got [2, 4]");
        assertThatThrownBy(() -> m.forward(x, x, x, Antorcha.zeros(DType.BOOL, 3), true, null, true))
                .hasMessageContaining("expected `key_padding_mask` to be `None` or 2-D but found 1-D");
        assertThatThrownBy(() -> m.forward(Antorcha.randn(3, 2, 6)))
                .hasMessageContaining("was expecting embedding dimension of 4, but got 6");
        assertThatThrownBy(() -> m.forward(x, Antorcha.randn(5, 2, 4), Antorcha.randn(4, 2, 4)))
                .hasMessageContaining("key shape [5, 2, 4] does not match value shape [4, 2, 4]");
        assertThatThrownBy(() -> m.forward(x, Antorcha.randn(5, 3, 4), Antorcha.randn(5, 3, 4)))
                .hasMessageContaining("key and value have batch size 3 but query has 2");
        assertThatThrownBy(() -> m.forward(x, Antorcha.randn(5, 4), Antorcha.randn(5, 4)))
                .hasMessageContaining("expected `key` and `value` to be 3-D but found 2-D and 2-D");
        assertThatThrownBy(() -> m.forward(Antorcha.randn(4)))
                .hasMessageContaining("query should be unbatched 2D or batched 3D tensor but received 1-D");
        assertThatThrownBy(() -> m.forward(null)).isInstanceOf(NullPointerException.class)
                .hasMessage("forward(): argument 'input' must be a Tensor, not null");
        assertThatThrownBy(() -> m.forward(x, null, x)).hasMessage("forward(): argument 'key' must be a Tensor, not null");
    }
}
