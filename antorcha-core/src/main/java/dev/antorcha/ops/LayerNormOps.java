package dev.antorcha.ops;

import static dev.antorcha.autograd.Graph.saved;

import dev.antorcha.autograd.Graph;
import dev.antorcha.backend.Backend;
import dev.antorcha.autograd.NoGrad;
import dev.antorcha.tensor.DType;
import dev.antorcha.tensor.Tensor;
import java.util.Arrays;

/**
 * Layer normalisation, PyTorch's {@code F.layer_norm}, with its backward beside it. Each group (the
 * last {@code normalizedShape.length} dims) is normalised by its own mean and biased variance, in
 * the fused kernels {@link dev.antorcha.backend.Backend#layerNorm} and
 * {@link dev.antorcha.backend.Backend#layerNormBackward}: one pass over the data per statistic
 * instead of a chain of float64 tensor ops, the statistics still accumulated in float64 and in two
 * passes (a one-pass {@code E[x²] − E[x]²} loses the variance of a group with a large offset).
 * {@code eps} is added inside the square root, as torch.
 */
public final class LayerNormOps {
    private LayerNormOps() {
    }

    /**
     * {@code F.layer_norm(x, normalized_shape, weight, bias, eps)}:
     * {@code y = (x − mean) / sqrt(var + eps) · weight + bias} over the trailing dims
     * {@code normalizedShape}; {@code weight} and {@code bias} (each shaped {@code normalizedShape})
     * may be null. {@code x [*, normalizedShape] → [*, normalizedShape]}.
     */
    public static Tensor layerNorm(Tensor x, int[] normalizedShape, Tensor weight, Tensor bias, double eps) {
        Args.tensor(x, "layerNorm", "input");
        Args.ints(normalizedShape, "layerNorm", "normalized_shape");
        check(x, normalizedShape, weight, bias);
        if (x.dtype() != DType.FLOAT32 && x.dtype() != DType.FLOAT64) {
            // The kernels take float32 and float64: half precisions go through float32, whose
            // statistics the kernels still accumulate in double.
            return layerNorm(x.to(DType.FLOAT32), normalizedShape, weight, bias, eps).to(x.dtype());
        }
        int n = 1;
        for (int s : normalizedShape) n *= s;
        int groupSize = n, groups = n == 0 ? 0 : x.numel() / n;
        DType xt = x.dtype();
        Backend be = x.backend();

        Tensor xc, wc, y, mean, rstd;
        try (NoGrad _ = NoGrad.enter()) {
            // The kernels read contiguous memory of one dtype: the weight and bias follow the input's.
            xc = x.detach().contiguous();
            wc = weight == null ? null : weight.detach().to(xt).contiguous();
            Tensor bc = bias == null ? null : bias.detach().to(xt).contiguous();
            y = be.empty(xt, x.layout().shape());
            mean = be.empty(DType.FLOAT64, groups);
            rstd = be.empty(DType.FLOAT64, groups);
            if (groups > 0 && n > 0) be.layerNorm(xc, wc, bc, eps, n, y, mean, rstd);
        }

        Tensor[] inputs = NormOps.affineInputs(x, weight, bias);
        DType wt = weight == null ? null : weight.dtype(), bt = bias == null ? null : bias.dtype();
        int[] xShape = x.layout().shape(), shape = normalizedShape.clone();
        return Graph.record(y, "NativeLayerNormBackward0", inputs, saved(x, weight, bias), (g, needs) -> {
            boolean wantW = wt != null && needs[1], wantB = bt != null && needs[wt == null ? 1 : 2];
            Tensor gc = g.to(xt).contiguous();
            Tensor dx = needs[0] ? be.empty(xt, xShape) : null;
            Tensor dw = wantW ? be.empty(xt, shape) : null, db = wantB ? be.empty(xt, shape) : null;
            if (groups > 0 && groupSize > 0) {
                be.layerNormBackward(gc, xc, mean, rstd, wc, groupSize, dx, dw, db);
            } else {   // no element: every gradient is empty or zero
                if (dw != null) dw.zero_();
                if (db != null) db.zero_();
            }
            Tensor[] out = new Tensor[inputs.length];
            out[0] = dx;
            if (wt != null) out[1] = dw == null ? null : dw.to(wt);
            if (bt != null) out[wt == null ? 1 : 2] = db == null ? null : db.to(bt);
            return out;
        });
    }

    /** PyTorch's {@code _check_layer_norm_inputs}, with its messages. */
    private static void check(Tensor x, int[] normalizedShape, Tensor weight, Tensor bias) {
        if (normalizedShape.length == 0) {
            throw new IllegalArgumentException("Expected normalized_shape to be at least 1-dimensional, i.e., containing at "
                    + "least one element, but got normalized_shape = []");
        }
        String ns = Arrays.toString(normalizedShape);
        if (weight != null && !Arrays.equals(weight.layout().shape(), normalizedShape)) {
            throw new IllegalArgumentException("Expected weight to be of same shape as normalized_shape, but got weight of shape "
                    + weight.shape() + " and normalized_shape = " + ns);
        }
        if (bias != null && !Arrays.equals(bias.layout().shape(), normalizedShape)) {
            throw new IllegalArgumentException("Expected bias to be of same shape as normalized_shape, but got bias of shape "
                    + bias.shape() + " and normalized_shape = " + ns);
        }
        int k = normalizedShape.length, lead = x.dim() - k;
        boolean ok = lead >= 0;
        for (int i = 0; ok && i < k; i++) ok = x.size(lead + i) == normalizedShape[i];
        if (!ok) {
            StringBuilder expected = new StringBuilder("[*");
            for (int s : normalizedShape) expected.append(", ").append(s);
            throw new IllegalArgumentException("Given normalized_shape=" + ns + ", expected input with shape "
                    + expected + "], but got input of size" + x.shape());
        }
        if (!x.dtype().isFloatingPoint()) {
            throw new IllegalArgumentException("\"LayerNormKernelImpl\" not implemented for '" + x.dtype().scalarTypeName()
                    + "' (input of shape " + x.shape() + "; convert it with .to(DType.FLOAT32))");
        }
    }
}
