package dev.antorcha.ops;

import static dev.antorcha.autograd.Graph.saved;

import dev.antorcha.autograd.Graph;
import dev.antorcha.autograd.NoGrad;
import dev.antorcha.tensor.DType;
import dev.antorcha.tensor.Factory;
import dev.antorcha.tensor.Tensor;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Layer normalisation, PyTorch's {@code F.layer_norm}, with its backward beside it. Each group (the
 * last {@code normalizedShape.length} dims) is normalised by its own mean and biased variance. The
 * statistics are computed in float64 whatever the input's dtype, as {@link NormOps#batchNorm} does,
 * and in two passes (the mean, then the centred squares): a one-pass {@code E[x²] − E[x]²} loses the
 * variance of a group with a large offset. {@code eps} is added inside the square root, as torch.
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
        int k = normalizedShape.length, lead = x.dim() - k;
        int[] dims = new int[k];
        for (int i = 0; i < k; i++) dims[i] = lead + i;
        int groupSize = 1;
        for (int s : normalizedShape) groupSize *= s;
        int n = groupSize;

        Tensor xhat, invstd, w, y;
        try (NoGrad _ = NoGrad.enter()) {
            Tensor xd = x.detach().to(DType.FLOAT64);
            Tensor mean = xd.mean(dims, true);
            Tensor xc = xd.sub(mean);
            Tensor var = xc.mul(xc).mean(dims, true);
            Tensor std = var.add(eps).sqrt();
            invstd = Factory.full(1, DType.FLOAT64, std.layout().shape()).div(std);
            xhat = xc.mul(invstd);
            w = weight == null ? null : weight.detach().to(DType.FLOAT64);
            Tensor t = w == null ? xhat : xhat.mul(w);
            if (bias != null) t = t.add(bias.detach().to(DType.FLOAT64));
            y = t.to(x.dtype()).contiguous();
        }

        List<Tensor> in = new ArrayList<>();
        in.add(x);
        if (weight != null) in.add(weight);
        if (bias != null) in.add(bias);
        Tensor[] inputs = in.toArray(Tensor[]::new);
        DType xt = x.dtype();
        DType wt = weight == null ? null : weight.dtype(), bt = bias == null ? null : bias.dtype();
        int[] leadDims = new int[lead];
        for (int i = 0; i < lead; i++) leadDims[i] = i;
        int[] shape = normalizedShape.clone();
        Tensor fx = xhat, fi = invstd, fw = w;
        return Graph.record(y, "NativeLayerNormBackward0", inputs, saved(x, weight, bias), (g, needs) -> {
            Tensor gd = g.to(DType.FLOAT64);
            Tensor[] out = new Tensor[inputs.length];
            if (needs[0]) {
                // dx = invstd · (ĝ − mean(ĝ) − x̂ · mean(ĝ · x̂)) with ĝ = g · weight, per group
                Tensor gh = fw == null ? gd : gd.mul(fw);
                Tensor meanG = gh.sum(dims, true).div(n);
                Tensor meanGx = gh.mul(fx).sum(dims, true).div(n);
                out[0] = gh.sub(meanG).sub(fx.mul(meanGx)).mul(fi).to(xt);
            }
            int j = 1;
            if (wt != null) {
                if (needs[j]) out[j] = sumLeading(gd.mul(fx), leadDims, shape).to(wt);   // dweight = Σ g·x̂
                j++;
            }
            if (bt != null && needs[j]) out[j] = sumLeading(gd, leadDims, shape).to(bt);   // dbias = Σ g
            return out;
        });
    }

    private static Tensor sumLeading(Tensor t, int[] leadDims, int[] shape) {
        return leadDims.length == 0 ? t.reshape(shape) : t.sum(leadDims, false).reshape(shape);
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
