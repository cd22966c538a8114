package dev.antorcha.ops;

import static dev.antorcha.autograd.Graph.saved;

import dev.antorcha.autograd.Graph;
import dev.antorcha.autograd.NoGrad;
import dev.antorcha.tensor.DType;
import dev.antorcha.tensor.Tensor;
import java.util.ArrayList;
import java.util.List;

/**
 * Batch normalisation, PyTorch's {@code F.batch_norm}, with its backward beside it. The statistics
 * are computed in float64 whatever the input's dtype, as PyTorch's CPU kernel accumulates float32
 * in double: the mean first, then the centred sum of squares (a one-pass {@code E[x²] − E[x]²}
 * loses the variance of a channel with a large offset).
 */
public final class NormOps {
    private NormOps() {
    }

    /**
     * {@code F.batch_norm(x, running_mean, running_var, weight, bias, training, momentum, eps)} for
     * {@code x [N, C, *]}. Training normalises with the batch's biased variance and, when the
     * running statistics are given, updates them in place:
     * {@code running = (1 − momentum)·running + momentum·stat}, with the unbiased variance
     * ({@code ·n/(n−1)}). Eval normalises with the running statistics. {@code weight} and
     * {@code bias} may be null (no affine transform).
     */
    public static Tensor batchNorm(Tensor x, Tensor runningMean, Tensor runningVar, Tensor weight, Tensor bias,
                                   boolean training, double momentum, double eps) {
        Args.tensor(x, "batch_norm", "input");
        if (x.dim() < 2) {
            throw new IllegalArgumentException("batch_norm: expected an input [N, C, *] of at least 2 dims, got " + x.shape());
        }
        if (!x.dtype().isFloatingPoint()) {
            throw new IllegalArgumentException("\"batch_norm\" not implemented for '" + x.dtype().scalarTypeName()
                    + "' (input of shape " + x.shape() + "; convert it with .to(DType.FLOAT32))");
        }
        int c = x.size(1), n = c == 0 ? 0 : x.numel() / c;
        if (training && n == 1) {
            throw new IllegalArgumentException("Expected more than 1 value per channel when training, got input size " + x.shape());
        }
        features("running_mean", runningMean, c);
        features("running_var", runningVar, c);
        features("weight", weight, c);
        features("bias", bias, c);
        if (!training && (runningMean == null || runningVar == null)) {
            throw new IllegalArgumentException((runningMean == null ? "running_mean" : "running_var")
                    + " must be defined in evaluation mode");
        }
        int[] dims = new int[x.dim() - 1];
        int[] bshape = new int[x.dim()];
        java.util.Arrays.fill(bshape, 1);
        bshape[1] = c;
        for (int i = 0, k = 0; i < x.dim(); i++) if (i != 1) dims[k++] = i;

        Tensor xhat, invstd, w, y;
        try (NoGrad _ = NoGrad.enter()) {
            Tensor xd = x.detach().to(DType.FLOAT64);
            Tensor mean, var;
            if (training) {
                mean = xd.mean(dims, true);
                Tensor xc = xd.sub(mean);
                var = xc.mul(xc).mean(dims, true);
                if (runningMean != null) {
                    runningMean.copy_(runningMean.to(DType.FLOAT64).mul(1 - momentum).add(mean.reshape(c).mul(momentum)));
                }
                if (runningVar != null) {
                    Tensor unbiased = var.reshape(c).mul((double) n / (n - 1));
                    runningVar.copy_(runningVar.to(DType.FLOAT64).mul(1 - momentum).add(unbiased.mul(momentum)));
                }
            } else {
                mean = runningMean.detach().to(DType.FLOAT64).reshape(bshape);
                var = runningVar.detach().to(DType.FLOAT64).reshape(bshape);
            }
            invstd = var.add(eps).sqrt();
            invstd = ones(invstd).div(invstd);
            xhat = xd.sub(mean).mul(invstd);
            w = weight == null ? null : weight.detach().to(DType.FLOAT64).reshape(bshape);
            Tensor t = w == null ? xhat : xhat.mul(w);
            if (bias != null) t = t.add(bias.detach().to(DType.FLOAT64).reshape(bshape));
            y = t.to(x.dtype()).contiguous();
        }

        Tensor[] inputs = affineInputs(x, weight, bias);
        DType xt = x.dtype();
        DType wt = weight == null ? null : weight.dtype(), bt = bias == null ? null : bias.dtype();
        Tensor fx = xhat, fi = invstd, fw = w;
        return Graph.record(y, "NativeBatchNormBackward0", inputs, saved(x, weight), (g, needs) -> {
            Tensor gd = g.to(DType.FLOAT64);
            Tensor sumG = gd.sum(dims, true), dotp = gd.mul(fx).sum(dims, true);   // Σg and Σg·x̂ per channel
            Tensor scale = fw == null ? fi : fi.mul(fw);
            Tensor dx = training ? gd.sub(sumG.div(n)).sub(fx.mul(dotp.div(n))).mul(scale) : gd.mul(scale);
            Tensor[] out = new Tensor[inputs.length];
            out[0] = needs[0] ? dx.to(xt) : null;
            int k = 1;
            if (wt != null) {
                out[k] = needs[k] ? dotp.reshape(c).to(wt) : null;   // dweight = Σ g·x̂
                k++;
            }
            if (bt != null) out[k] = needs[k] ? sumG.reshape(c).to(bt) : null;   // dbias = Σ g
            return out;
        });
    }

    private static Tensor ones(Tensor like) {
        return dev.antorcha.tensor.Factory.fullOn(like, 1, like.dtype(), like.layout().shape());
    }

    /** PyTorch's {@code check_dims_match_num_input_features}. */
    private static void features(String name, Tensor t, int c) {
        if (t != null && t.numel() != c) {
            throw new IllegalArgumentException(name + " should contain " + c + " elements not " + t.numel());
        }
    }

    /** The autograd inputs of a normalisation: {@code x}, then the weight and the bias where given. */
    static Tensor[] affineInputs(Tensor x, Tensor weight, Tensor bias) {
        List<Tensor> in = new ArrayList<>(3);
        in.add(x);
        if (weight != null) in.add(weight);
        if (bias != null) in.add(bias);
        return in.toArray(Tensor[]::new);
    }
}
