package dev.antorcha.nn;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import dev.antorcha.Antorcha;
import dev.antorcha.autograd.NoGrad;
import dev.antorcha.tensor.DType;
import dev.antorcha.tensor.Generator;
import dev.antorcha.tensor.Tensor;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * {@link TransformerEncoderLayer} and {@link TransformerEncoder} against {@link EncoderReference}
 * (loops): post-norm and pre-norm, relu and gelu, causal and padding masks, stacking with torch's
 * deep copies; names, printed form, dropout and errors.
 */
class TransformerEncoderTest {
    private static final TransformerEncoderLayerOptions SMALL = TransformerEncoderLayerOptions.defaults().dimFeedforward(6).dropout(0);

    private static void assertClose(Tensor t, double[] expected, double tol) {
        double[] v = t.toDoubleArray();
        assertThat(v).hasSameSizeAs(expected);
        for (int i = 0; i < v.length; i++) assertThat(v[i]).as("element " + i).isCloseTo(expected[i], within(tol));
    }

    /** Every parameter random (norm weights near 1), so that a swapped or skipped one shows. */
    private static <M extends Module> M randomized(M m) {
        m.toDouble();
        try (NoGrad _ = NoGrad.enter()) {
            for (Map.Entry<String, Parameter> e : m.namedParameters().entrySet()) {
                Tensor r = Antorcha.randn(DType.FLOAT64, e.getValue().shape().toArray()).mul(0.4);
                e.getValue().copy_(e.getKey().matches(".*norm\\d?\\.weight") ? r.mul(0.5).add(1) : r);
            }
        }
        return m;
    }

    private static Map<String, double[]> values(Module m) {
        Map<String, double[]> out = new LinkedHashMap<>();
        m.stateDict().forEach((k, v) -> out.put(k, v.toDoubleArray()));
        return out;
    }

    /** The additive mask [N*heads][S][S] of a causal mask and a padding mask {@code pad [N][S]} (1 = padded). */
    private static double[][][] mask(int n, int heads, int s, long[] pad, boolean causal) {
        double[][][] m = new double[n * heads][s][s];
        for (int b = 0; b < n; b++) {
            for (int j = 0; j < heads; j++) {
                for (int i = 0; i < s; i++) {
                    for (int t = 0; t < s; t++) {
                        if ((causal && t > i) || (pad != null && pad[b * s + t] != 0)) m[b * heads + j][i][t] = Double.NEGATIVE_INFINITY;
                    }
                }
            }
        }
        return m;
    }

    @Test
    void submodulesStateDictAndPrintedFormAsPyTorch() {
        TransformerEncoderLayer layer = new TransformerEncoderLayer(8, 2, TransformerEncoderLayerOptions.defaults().dimFeedforward(16));
        assertThat(layer.stateDict().keySet()).containsExactly("self_attn.in_proj_weight", "self_attn.in_proj_bias",
                "self_attn.out_proj.weight", "self_attn.out_proj.bias", "linear1.weight", "linear1.bias", "linear2.weight",
                "linear2.bias", "norm1.weight", "norm1.bias", "norm2.weight", "norm2.bias");
        // print(nn.TransformerEncoderLayer(8, 2, dim_feedforward=16)) in torch 1.13
        String layerRepr = "TransformerEncoderLayer(\n"
                + "  (self_attn): MultiheadAttention(\n"
                + "    (out_proj): NonDynamicallyQuantizableLinear(in_features=8, out_features=8, bias=True)\n"
                + "  )\n"
                + "  (linear1): Linear(in_features=8, out_features=16, bias=True)\n"
                + "  (dropout): Dropout(p=0.1, inplace=False)\n"
                + "  (linear2): Linear(in_features=16, out_features=8, bias=True)\n"
                + "  (norm1): LayerNorm((8,), eps=1e-05, elementwise_affine=True)\n"
                + "  (norm2): LayerNorm((8,), eps=1e-05, elementwise_affine=True)\n"
                + "  (dropout1): Dropout(p=0.1, inplace=False)\n"
                + "  (dropout2): Dropout(p=0.1, inplace=False)\n"
                + ")";
        assertThat(layer.toString()).isEqualTo(layerRepr);
        TransformerEncoder enc = new TransformerEncoder(layer, 2);
        assertThat(enc.stateDict().keySet()).hasSize(24).startsWith("layers.0.self_attn.in_proj_weight")
                .contains("layers.1.norm2.bias").doesNotContain("norm.weight");
        assertThat(enc.toString()).startsWith("TransformerEncoder(\n  (layers): ModuleList(\n    (0): TransformerEncoderLayer(\n")
                .contains("\n    (1): TransformerEncoderLayer(\n").doesNotContain("(norm):");
        TransformerEncoder withNorm = new TransformerEncoder(layer, 1, new LayerNorm(8));
        assertThat(withNorm.stateDict().keySet()).endsWith("norm.weight", "norm.bias");
        assertThat(new TransformerEncoderLayer(8, 2).linear1.outFeatures()).isEqualTo(2048);
    }

    @Test
    void postNormLayerWithCausalAndPaddingMasksMatchesTheLoopReference() {
        Antorcha.manualSeed(31);
        int s = 4, n = 2, e = 4, h = 2;
        TransformerEncoderLayer layer = randomized(new TransformerEncoderLayer(e, h, SMALL));
        Tensor src = Antorcha.randn(DType.FLOAT64, s, n, e);
        long[] pad = {0, 0, 0, 0, 0, 0, 1, 1};
        Tensor y = layer.forward(src, Transformer.generateSquareSubsequentMask(s), Antorcha.tensor(pad, n, s));
        double[] ref = EncoderReference.layer(src.toDoubleArray(), s, n, e, h, values(layer), "", 1e-5, false, false,
                mask(n, h, s, pad, true));
        assertClose(y, ref, 1e-12);
        // the same with the causal mask as 0/1 integers and the padding mask as bool
        long[] causal = new long[s * s];
        for (int i = 0; i < s; i++) for (int j = i + 1; j < s; j++) causal[i * s + j] = 1;
        assertClose(layer.forward(src, Antorcha.tensor(causal, s, s), Antorcha.tensor(pad, n, s).ne(0)), ref, 1e-12);
        // without masks
        assertClose(layer.forward(src), EncoderReference.layer(src.toDoubleArray(), s, n, e, h, values(layer), "", 1e-5,
                false, false, null), 1e-12);
    }

    @Test
    void preNormGeluLayerWithAnotherEpsMatchesTheLoopReference() {
        Antorcha.manualSeed(32);
        int s = 3, n = 2, e = 6, h = 3;
        TransformerEncoderLayer layer = randomized(new TransformerEncoderLayer(e, h,
                SMALL.activation("gelu").normFirst(true).layerNormEps(1e-3)));
        Tensor src = Antorcha.randn(DType.FLOAT64, s, n, e);
        double[] ref = EncoderReference.layer(src.toDoubleArray(), s, n, e, h, values(layer), "", 1e-3, true, true,
                mask(n, h, s, null, true));
        assertClose(layer.forward(src, Transformer.generateSquareSubsequentMask(s), null), ref, 1e-7);
    }

    @Test
    void batchFirstLayerIsTheTransposedComputation() {
        Antorcha.manualSeed(33);
        TransformerEncoderLayer seqFirst = randomized(new TransformerEncoderLayer(4, 2, SMALL));
        TransformerEncoderLayer batchFirst = new TransformerEncoderLayer(4, 2, SMALL.batchFirst(true));
        batchFirst.toDouble();
        batchFirst.loadStateDict(seqFirst.stateDict(), true);
        Tensor src = Antorcha.randn(DType.FLOAT64, 5, 3, 4);
        Tensor pad = Antorcha.tensor(new long[] {0, 0, 0, 0, 0, 0, 0, 0, 0, 1, 0, 0, 0, 1, 1}, 3, 5);
        Tensor a = seqFirst.forward(src, null, pad);
        Tensor b = batchFirst.forward(src.transpose(0, 1), null, pad);
        assertThat(b.shape().toArray()).containsExactly(3, 5, 4);
        assertClose(b.transpose(0, 1), a.toDoubleArray(), 1e-12);
        // unbatched [S, E] (torch 1.13 accepts it): batch element 2 on its own, its padding mask [S]
        Tensor u = seqFirst.forward(src.select(1, 2), Transformer.generateSquareSubsequentMask(5), pad.select(0, 2));
        assertThat(u.shape().toArray()).containsExactly(5, 4);
        assertClose(u, seqFirst.forward(src, Transformer.generateSquareSubsequentMask(5), pad).select(1, 2).toDoubleArray(), 1e-12);
    }

    @Test
    void encoderStacksDeepCopiesAndAppliesTheFinalNorm() {
        Antorcha.manualSeed(34);
        int s = 4, n = 2, e = 4, h = 2;
        TransformerEncoderLayer layer = randomized(new TransformerEncoderLayer(e, h, SMALL));
        Generator g = Generator.defaultGenerator();
        long[] before = g.getState().toLongArray();
        LayerNorm finalNorm = new LayerNorm(e);
        TransformerEncoder enc = new TransformerEncoder(layer, 3, finalNorm);
        finalNorm.toDouble();
        // torch's _get_clones: copies with the layer's values in separate parameters; no numbers drawn
        assertThat(g.getState().toLongArray()).containsExactly(before);
        Map<String, double[]> original = values(layer);
        for (int i = 0; i < 3; i++) {
            TransformerEncoderLayer copy = (TransformerEncoderLayer) enc.layers.get(i);
            assertThat(copy).isNotSameAs(layer);
            for (Map.Entry<String, Parameter> p : copy.namedParameters().entrySet()) {
                assertThat(p.getValue().dtype()).isEqualTo(DType.FLOAT64);
                assertThat(p.getValue().toDoubleArray()).as(p.getKey()).containsExactly(original.get(p.getKey()));
                assertThat(p.getValue()).isNotSameAs(layer.namedParameters().get(p.getKey()));
            }
        }
        assertThat(enc.parameters()).hasSize(3 * layer.parameters().size() + 2);
        assertThat(enc.parameters()).doesNotContainAnyElementsOf(layer.parameters());
        // each layer its own values, then the stack against the reference applied layer by layer
        randomized(enc);
        Tensor src = Antorcha.randn(DType.FLOAT64, s, n, e);
        long[] pad = {0, 0, 1, 0, 0, 0, 0, 1};
        Map<String, double[]> v = values(enc);
        double[] x = src.toDoubleArray();
        for (int i = 0; i < 3; i++) x = EncoderReference.layer(x, s, n, e, h, v, "layers." + i + ".", 1e-5, false, false, mask(n, h, s, pad, true));
        x = EncoderReference.norm(x, e, v.get("norm.weight"), v.get("norm.bias"), 1e-5);
        assertClose(enc.forward(src, Transformer.generateSquareSubsequentMask(s), Antorcha.tensor(pad, n, s)), x, 1e-11);
        // changing one layer's copy leaves the others and the original alone
        try (NoGrad _ = NoGrad.enter()) {
            ((TransformerEncoderLayer) enc.layers.get(0)).linear1.weight.fill_(0);
        }
        assertThat(((TransformerEncoderLayer) enc.layers.get(1)).linear1.weight.toDoubleArray()).doesNotContain(0.0);
        assertThat(layer.linear1.weight.toDoubleArray()).containsExactly(original.get("linear1.weight"));
    }

    @Test
    void dropoutOnlyInTraining() {
        Antorcha.manualSeed(35);
        TransformerEncoderLayer layer = new TransformerEncoderLayer(4, 2, TransformerEncoderLayerOptions.defaults()
                .dimFeedforward(8).dropout(0.5));
        Tensor src = Antorcha.randn(3, 2, 4);
        float[] a = layer.forward(src).toFloatArray(), b = layer.forward(src).toFloatArray();
        assertThat(a).isNotEqualTo(b);
        layer.eval();
        assertThat(layer.forward(src).toFloatArray()).containsExactly(layer.forward(src).toFloatArray());
        TransformerEncoder enc = new TransformerEncoder(layer, 2);
        assertThat(enc.layers.get(1).isTraining()).isFalse();
    }

    @Test
    void errorsNameTheValues() {
        assertThatThrownBy(() -> TransformerEncoderLayerOptions.defaults().activation("tanh"))
                .isInstanceOf(IllegalArgumentException.class).hasMessage("activation should be relu/gelu, not tanh");
        assertThatThrownBy(() -> TransformerEncoderLayerOptions.defaults().dimFeedforward(0)).hasMessageContaining("got 0");
        assertThatThrownBy(() -> TransformerEncoderLayerOptions.defaults().dropout(-0.1)).hasMessageContaining("but got -0.1");
        assertThatThrownBy(() -> new TransformerEncoderLayer(6, 4)).hasMessageContaining("embed_dim must be divisible by num_heads");
        assertThatThrownBy(() -> new TransformerEncoder(new TransformerEncoderLayer(4, 2, SMALL), -1)).hasMessageContaining("got -1");
        assertThatThrownBy(() -> new TransformerEncoder(null, 2))
                .hasMessage("TransformerEncoder(): argument 'encoder_layer' must be a TransformerEncoderLayer, not null");
        TransformerEncoderLayer layer = new TransformerEncoderLayer(4, 2, SMALL);
        assertThatThrownBy(() -> layer.forward(Antorcha.randn(3, 2, 4), Antorcha.zeros(DType.BOOL, 2, 2), null))
                .hasMessageContaining("The shape of the 2D attn_mask is [2, 2], but should be [3, 3]");
        assertThatThrownBy(() -> layer.forward(null)).isInstanceOf(NullPointerException.class)
                .hasMessage("forward(): argument 'src' must be a Tensor, not null");
        assertThatThrownBy(() -> layer.setModule("norm1", new ReLU())).hasMessageContaining("must be a LayerNorm, got ReLU");
    }
}
