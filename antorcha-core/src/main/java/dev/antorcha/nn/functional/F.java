package dev.antorcha.nn.functional;

import dev.antorcha.nn.Reduction;
import dev.antorcha.ops.ActivationOps;
import dev.antorcha.ops.Args;
import dev.antorcha.ops.ConvOps;
import dev.antorcha.ops.EmbeddingOps;
import dev.antorcha.ops.FusedOps;
import dev.antorcha.ops.LayerNormOps;
import dev.antorcha.ops.NormOps;
import dev.antorcha.ops.PoolOps;
import dev.antorcha.tensor.DType;
import dev.antorcha.tensor.Factory;
import dev.antorcha.tensor.Generator;
import dev.antorcha.tensor.Tensor;
import dev.antorcha.tensor.ValuesIndices;

/**
 * Stateless layer functions, PyTorch's {@code torch.nn.functional}: the modules call these.
 * Losses are in {@link Losses} and re-exported here under torch's names.
 *
 * <pre>{@code
 * Tensor h = F.relu(F.linear(x, w, b));
 * Tensor loss = F.crossEntropy(logits, labels);
 * }</pre>
 */
public final class F {
    private F() {
    }

    /** {@code x Wᵀ + b}: {@code [*, in]} with {@code W [out, in]}, {@code b [out]} (or null) → {@code [*, out]}. */
    public static Tensor linear(Tensor x, Tensor weight, Tensor bias) {
        Args.tensor(x, "linear", "input");
        Args.tensor(weight, "linear", "weight");
        if (weight.dim() != 2) {
            throw new IllegalArgumentException("linear: weight must be 2-D [out_features, in_features], got " + weight.shape());
        }
        if (x.dim() == 0 || x.size(-1) != weight.size(1)) {
            throw new IllegalArgumentException("mat1 and mat2 shapes cannot be multiplied ("
                    + (x.dim() <= 1 ? "1x" + x.numel() : (x.numel() / Math.max(1, x.size(-1))) + "x" + x.size(-1))
                    + " and " + weight.size(1) + "x" + weight.size(0) + ")");
        }
        if (bias != null && (bias.dim() != 1 || bias.size(0) != weight.size(0))) {
            throw new IllegalArgumentException("linear: bias must be [" + weight.size(0) + "], got " + bias.shape());
        }
        return dev.antorcha.ops.FusedOps.linear(x, weight, bias);
    }

    // ---- convolutions (torch.nn.functional.conv1d / conv2d / conv_transpose2d) ----------------

    /** {@code F.conv1d(x, w, b)}: stride 1, no padding, dilation 1, one group. */
    public static Tensor conv1d(Tensor x, Tensor weight, Tensor bias) {
        return conv1d(x, weight, bias, 1, 0, 1, 1);
    }

    /** {@code x [N, Cin, L]} or {@code [Cin, L]}, {@code weight [Cout, Cin/groups, k]}, {@code bias [Cout]} or null. */
    public static Tensor conv1d(Tensor x, Tensor weight, Tensor bias, int stride, int padding, int dilation, int groups) {
        return ConvOps.conv1d(x, weight, bias, stride, padding, dilation, groups);
    }

    /** {@code padding} {@code "same"} (stride 1 only) or {@code "valid"} (none). */
    public static Tensor conv1d(Tensor x, Tensor weight, Tensor bias, int stride, String padding, int dilation, int groups) {
        return ConvOps.conv1d(x, weight, bias, stride, padding, dilation, groups);
    }

    /** {@code F.conv2d(x, w, b)}: stride 1, no padding, dilation 1, one group. */
    public static Tensor conv2d(Tensor x, Tensor weight, Tensor bias) {
        return conv2d(x, weight, bias, 1, 0);
    }

    /** The same stride and padding for height and width. */
    public static Tensor conv2d(Tensor x, Tensor weight, Tensor bias, int stride, int padding) {
        return conv2d(x, weight, bias, new int[] {stride}, new int[] {padding}, new int[] {1}, 1);
    }

    /**
     * {@code x [N, Cin, H, W]} or {@code [Cin, H, W]}, {@code weight [Cout, Cin/groups, kH, kW]},
     * {@code bias [Cout]} or null; each of {@code stride}, {@code padding}, {@code dilation} is one
     * value for both dims or {@code {h, w}}.
     */
    public static Tensor conv2d(Tensor x, Tensor weight, Tensor bias, int[] stride, int[] padding, int[] dilation,
                                int groups) {
        return ConvOps.conv2d(x, weight, bias, stride, padding, dilation, groups);
    }

    /** {@code padding} {@code "same"} (stride 1 only; an odd total goes to the bottom/right) or {@code "valid"}. */
    public static Tensor conv2d(Tensor x, Tensor weight, Tensor bias, int[] stride, String padding, int[] dilation,
                                int groups) {
        return ConvOps.conv2d(x, weight, bias, stride, padding, dilation, groups);
    }

    /** {@code F.conv_transpose2d(x, w, b)}: stride 1, no padding. {@code weight [Cin, Cout/groups, kH, kW]}. */
    public static Tensor convTranspose2d(Tensor x, Tensor weight, Tensor bias) {
        return convTranspose2d(x, weight, bias, new int[] {1}, new int[] {0}, new int[] {0}, 1, new int[] {1});
    }

    /** torch's argument order: {@code groups} comes before {@code dilation}. */
    public static Tensor convTranspose2d(Tensor x, Tensor weight, Tensor bias, int[] stride, int[] padding,
                                         int[] outputPadding, int groups, int[] dilation) {
        return ConvOps.convTranspose2d(x, weight, bias, stride, padding, outputPadding, groups, dilation);
    }

    public static Tensor relu(Tensor x) {
        return Args.tensor(x, "relu", "input").relu();
    }

    /** {@code x > 0 ? x : slope·x}. */
    public static Tensor leakyRelu(Tensor x, double negativeSlope) {
        Args.tensor(x, "leakyRelu", "input");
        return x.where(x.gt(0), x.mul(negativeSlope));
    }

    public static Tensor sigmoid(Tensor x) {
        return Args.tensor(x, "sigmoid", "input").sigmoid();
    }

    public static Tensor tanh(Tensor x) {
        return Args.tensor(x, "tanh", "input").tanh();
    }

    /** {@code F.gelu(x)}: the exact {@code x·Φ(x) = x/2 · (1 + erf(x/√2))}. */
    public static Tensor gelu(Tensor x) {
        return ActivationOps.gelu(Args.tensor(x, "gelu", "input"), "none");
    }

    /** {@code F.gelu(x, approximate)}: {@code "none"} (exact) or {@code "tanh"} (the tanh approximation). */
    public static Tensor gelu(Tensor x, String approximate) {
        return ActivationOps.gelu(x, approximate);
    }

    public static Tensor softmax(Tensor x, int dim) {
        return Args.tensor(x, "softmax", "input").softmax(dim);
    }

    public static Tensor logSoftmax(Tensor x, int dim) {
        return Args.tensor(x, "logSoftmax", "input").logSoftmax(dim);
    }

    /** Zeroes elements with probability {@code p} and scales the rest by 1/(1-p) when {@code training}. */
    public static Tensor dropout(Tensor x, double p, boolean training, Generator g) {
        Args.tensor(x, "dropout", "input");
        Args.nonNull(g, "dropout", "generator", "a Generator");
        if (p < 0 || p > 1) throw new IllegalArgumentException("dropout probability has to be between 0 and 1, but got " + p);
        if (!training || p == 0) return x;
        if (p == 1) return x.mul(0);
        if (x.dtype() == DType.FLOAT32) return FusedOps.dropout(x, p, g);
        Tensor keep = Factory.rand(g, x.shape().toArray()).to(x.device()).ge(p)
                .to(x.dtype().isFloatingPoint() ? x.dtype() : DType.FLOAT32);
        return x.mul(keep.mul(1.0 / (1.0 - p)));
    }

    /**
     * torch's {@code F.multi_head_attention_forward} with the packed in-projection: query
     * {@code [L, N, E]}, key and value {@code [S, N, E]}; biases and masks nullable. See
     * {@link Attention#multiHeadAttentionForward} (which also has the separate-projection form).
     */
    public static dev.antorcha.nn.MultiheadAttention.Output multiHeadAttentionForward(Tensor query, Tensor key, Tensor value,
            int numHeads, Tensor inProjWeight, Tensor inProjBias, Tensor outProjWeight, Tensor outProjBias,
            Tensor keyPaddingMask, boolean needWeights, Tensor attnMask, boolean averageAttnWeights, double dropoutP,
            boolean training, Generator generator) {
        return Attention.multiHeadAttentionForward(query, key, value, numHeads, inProjWeight, inProjBias, outProjWeight,
                outProjBias, keyPaddingMask, needWeights, attnMask, averageAttnWeights, dropoutP, training, generator);
    }

    /** Cross-entropy of logits {@code [N, C]} (or {@code [N, C, d...]}, {@code [C]}) and int64 class targets, mean-reduced. */
    public static Tensor crossEntropy(Tensor input, Tensor target) {
        return Losses.crossEntropy(input, target, Reduction.MEAN, -100, 0.0);
    }

    public static Tensor crossEntropy(Tensor input, Tensor target, Reduction reduction, long ignoreIndex, double labelSmoothing) {
        return Losses.crossEntropy(input, target, reduction, ignoreIndex, labelSmoothing);
    }

    public static Tensor nllLoss(Tensor logProbs, Tensor target) {
        return Losses.nllLoss(logProbs, target, Reduction.MEAN, -100);
    }

    /**
     * {@code F.nll_loss(logProbs, target, weight, reduction=..., ignore_index=...)}: {@code weight} [C] or
     * null; a weighted mean divides by the sum of the counted samples' weights.
     */
    public static Tensor nllLoss(Tensor logProbs, Tensor target, Tensor weight, Reduction reduction, long ignoreIndex) {
        return Losses.nllLoss(logProbs, target, weight, reduction, ignoreIndex);
    }

    /** {@code F.binary_cross_entropy(input, target)}: probabilities in [0, 1], mean over the elements. */
    public static Tensor binaryCrossEntropy(Tensor input, Tensor target) {
        return Losses.binaryCrossEntropy(input, target, null, Reduction.MEAN);
    }

    /** {@code F.binary_cross_entropy(input, target, weight, reduction=...)}; each log clamped at -100. */
    public static Tensor binaryCrossEntropy(Tensor input, Tensor target, Tensor weight, Reduction reduction) {
        return Losses.binaryCrossEntropy(input, target, weight, reduction);
    }

    /** {@code F.smooth_l1_loss(input, target)}: beta 1, mean. */
    public static Tensor smoothL1Loss(Tensor input, Tensor target) {
        return Losses.smoothL1Loss(input, target, Reduction.MEAN, 1.0);
    }

    /** {@code F.smooth_l1_loss(input, target, reduction=..., beta=...)}. */
    public static Tensor smoothL1Loss(Tensor input, Tensor target, Reduction reduction, double beta) {
        return Losses.smoothL1Loss(input, target, reduction, beta);
    }

    public static Tensor mseLoss(Tensor input, Tensor target) {
        return Losses.mseLoss(input, target, Reduction.MEAN);
    }

    public static Tensor l1Loss(Tensor input, Tensor target) {
        return Losses.l1Loss(input, target, Reduction.MEAN);
    }

    public static Tensor binaryCrossEntropyWithLogits(Tensor input, Tensor target) {
        Args.tensor(input, "binaryCrossEntropyWithLogits", "input");
        Args.tensor(target, "binaryCrossEntropyWithLogits", "target");
        return Losses.bceWithLogits(input, target, Reduction.MEAN, null);
    }

    /**
     * {@code F.binary_cross_entropy_with_logits(input, target, weight, reduction=..., pos_weight=...)};
     * {@code weight} and {@code posWeight} may be null.
     */
    public static Tensor binaryCrossEntropyWithLogits(Tensor input, Tensor target, Tensor weight, Reduction reduction,
                                                      Tensor posWeight) {
        Args.tensor(input, "binaryCrossEntropyWithLogits", "input");
        Args.tensor(target, "binaryCrossEntropyWithLogits", "target");
        Args.nonNull(reduction, "binaryCrossEntropyWithLogits", "reduction", "a Reduction");
        return Losses.bceWithLogits(input, target, weight, reduction, posWeight);
    }

    // ---- pooling, normalisation, channel dropout --------------------------------------------

    /** {@code F.max_pool2d(x, k)}: {@code k x k} windows, stride {@code k} (the default stride is the kernel size). */
    public static Tensor maxPool2d(Tensor x, int kernelSize) {
        Args.tensor(x, "maxPool2d", "input");
        return maxPool2d(x, new int[] {kernelSize}, null, new int[] {0}, new int[] {1}, false);
    }

    /** {@code F.max_pool2d(x, k, stride)}. */
    public static Tensor maxPool2d(Tensor x, int kernelSize, int stride) {
        Args.tensor(x, "maxPool2d", "input");
        return maxPool2d(x, new int[] {kernelSize}, new int[] {stride}, new int[] {0}, new int[] {1}, false);
    }

    /**
     * {@code F.max_pool2d(x, kernel_size, stride, padding, dilation, ceil_mode)} on {@code [N, C, H, W]}
     * or {@code [C, H, W]}; each size is one int or {@code [h, w]}, {@code stride} null means the kernel size.
     */
    public static Tensor maxPool2d(Tensor x, int[] kernelSize, int[] stride, int[] padding, int[] dilation, boolean ceilMode) {
        poolArgs("maxPool2d", x, kernelSize, padding);
        Args.ints(dilation, "maxPool2d", "dilation");
        return PoolOps.maxPool2d(x, kernelSize, stride, padding, dilation, ceilMode, false).values();
    }

    /** {@code F.max_pool2d(..., return_indices=True)}: the values and the flat {@code h·W + w} index of each in its plane. */
    public static ValuesIndices maxPool2dWithIndices(Tensor x, int[] kernelSize, int[] stride, int[] padding, int[] dilation,
                                                     boolean ceilMode) {
        poolArgs("maxPool2dWithIndices", x, kernelSize, padding);
        Args.ints(dilation, "maxPool2dWithIndices", "dilation");
        return PoolOps.maxPool2d(x, kernelSize, stride, padding, dilation, ceilMode);
    }

    /** {@code F.avg_pool2d(x, k)}: stride {@code k}, no padding. */
    public static Tensor avgPool2d(Tensor x, int kernelSize) {
        Args.tensor(x, "avgPool2d", "input");
        return avgPool2d(x, new int[] {kernelSize}, null, new int[] {0}, false, true, null);
    }

    /** {@code F.avg_pool2d(x, kernel_size, stride, padding)} (padding counted in the divisor). */
    public static Tensor avgPool2d(Tensor x, int[] kernelSize, int[] stride, int[] padding) {
        poolArgs("avgPool2d", x, kernelSize, padding);
        return avgPool2d(x, kernelSize, stride, padding, false, true, null);
    }

    /** {@code F.avg_pool2d(x, kernel_size, stride, padding, ceil_mode, count_include_pad, divisor_override)}; null: no override. */
    public static Tensor avgPool2d(Tensor x, int[] kernelSize, int[] stride, int[] padding, boolean ceilMode,
                                   boolean countIncludePad, Integer divisorOverride) {
        poolArgs("avgPool2d", x, kernelSize, padding);
        return PoolOps.avgPool2d(x, kernelSize, stride, padding, ceilMode, countIncludePad, divisorOverride);
    }

    /** {@code F.adaptive_avg_pool2d(x, output_size)}: one int (square) or {@code oH, oW}. */
    public static Tensor adaptiveAvgPool2d(Tensor x, int... outputSize) {
        Args.tensor(x, "adaptiveAvgPool2d", "input");
        Args.ints(outputSize, "adaptiveAvgPool2d", "output_size");
        return PoolOps.adaptiveAvgPool2d(x, outputSize);
    }

    /**
     * {@code F.batch_norm(x, running_mean, running_var, weight, bias, training, momentum, eps)}: see
     * {@link NormOps#batchNorm}; the running statistics (null: none) are updated in place when training.
     */
    public static Tensor batchNorm(Tensor x, Tensor runningMean, Tensor runningVar, Tensor weight, Tensor bias,
                                   boolean training, double momentum, double eps) {
        Args.tensor(x, "batchNorm", "input");
        return NormOps.batchNorm(x, runningMean, runningVar, weight, bias, training, momentum, eps);
    }

    /**
     * {@code F.layer_norm(x, normalized_shape, weight, bias, eps)}: each group of the trailing dims
     * {@code normalizedShape} normalised by its mean and biased variance ({@code eps} inside the square
     * root), then scaled by {@code weight} and shifted by {@code bias} (each shaped
     * {@code normalizedShape}, or null). {@code [*, normalizedShape] → [*, normalizedShape]}.
     */
    public static Tensor layerNorm(Tensor x, int[] normalizedShape, Tensor weight, Tensor bias, double eps) {
        return LayerNormOps.layerNorm(x, normalizedShape, weight, bias, eps);
    }

    /** {@code F.layer_norm(x, normalized_shape)}: no weight, no bias, eps 1e-5. */
    public static Tensor layerNorm(Tensor x, int[] normalizedShape) {
        return LayerNormOps.layerNorm(x, normalizedShape, null, null, 1e-5);
    }

    /** {@code F.embedding(indices, weight)}: the rows {@code weight[indices]}, {@code [*] → [*, dim]}. */
    public static Tensor embedding(Tensor indices, Tensor weight) {
        return EmbeddingOps.embedding(indices, weight, -1, false);
    }

    /** {@code F.embedding(indices, weight, padding_idx)}: the {@code paddingIdx} row (negative: from the end) gets no gradient. */
    public static Tensor embedding(Tensor indices, Tensor weight, int paddingIdx) {
        return embedding(indices, weight, (Integer) paddingIdx, null, 2.0, false);
    }

    /**
     * {@code F.embedding(indices, weight, padding_idx, max_norm, norm_type, scale_grad_by_freq)}:
     * {@code indices [*]} int64 into {@code weight [num, dim]} → {@code [*, dim]}. {@code paddingIdx} (null:
     * none; negative counts from the end) gets no gradient; with {@code maxNorm} (null: none) the referenced
     * rows whose {@code normType}-norm exceeds it are first rescaled in place, outside autograd.
     */
    public static Tensor embedding(Tensor indices, Tensor weight, Integer paddingIdx, Double maxNorm, double normType,
                                   boolean scaleGradByFreq) {
        Args.tensor(indices, "embedding", "indices");
        Args.tensor(weight, "embedding", "weight");
        int pad = -1;
        if (paddingIdx != null) {
            int num = weight.dim() == 0 ? 0 : weight.size(0);
            if (paddingIdx >= num || paddingIdx < -num) {
                throw new IllegalArgumentException("Padding_idx must be within num_embeddings (padding_idx=" + paddingIdx
                        + ", num_embeddings=" + num + ")");
            }
            pad = paddingIdx < 0 ? paddingIdx + num : paddingIdx;
        }
        if (maxNorm != null) EmbeddingOps.renorm_(weight, indices, maxNorm, normType);
        return EmbeddingOps.embedding(indices, weight, pad, scaleGradByFreq);
    }

    /**
     * {@code F.dropout2d(x, p, training)}: zeroes whole channels ({@code x[n, c]}) with probability
     * {@code p} and scales the others by {@code 1/(1-p)}. As in PyTorch 1.13, any input of at least
     * 2 dims is read as {@code [N, C, *]} (a 3-D input as {@code [N, C, L]}).
     */
    public static Tensor dropout2d(Tensor x, double p, boolean training, Generator g) {
        Args.tensor(x, "dropout2d", "input");
        Args.nonNull(g, "dropout2d", "generator", "a Generator");
        if (p < 0 || p > 1) throw new IllegalArgumentException("dropout probability has to be between 0 and 1, but got " + p);
        if (!training || p == 0) return x;
        if (x.dim() < 2) {
            throw new IllegalArgumentException("Feature dropout requires at least 2 dimensions in the input, got " + x.shape());
        }
        if (p == 1) return x.mul(0);
        int[] noise = new int[x.dim()];
        java.util.Arrays.fill(noise, 1);
        noise[0] = x.size(0);
        noise[1] = x.size(1);
        Tensor keep = Factory.rand(g, noise).to(x.device()).ge(p).to(x.dtype().isFloatingPoint() ? x.dtype() : DType.FLOAT32);
        return x.mul(keep.mul(1.0 / (1.0 - p)));
    }

    /** The null checks of the pooling functions, naming the function the caller wrote. */
    private static void poolArgs(String op, Tensor x, int[] kernelSize, int[] padding) {
        Args.tensor(x, op, "input");
        Args.ints(kernelSize, op, "kernel_size");
        Args.ints(padding, op, "padding");
    }
}
