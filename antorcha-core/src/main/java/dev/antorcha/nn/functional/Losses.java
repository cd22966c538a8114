package dev.antorcha.nn.functional;

import dev.antorcha.nn.Reduction;
import dev.antorcha.ops.Args;
import dev.antorcha.tensor.DType;
import dev.antorcha.tensor.Tensor;

/**
 * Loss functions composed from primitives (autograd derives their gradients), with PyTorch's
 * reductions, {@code ignore_index} and label smoothing.
 */
public final class Losses {
    private Losses() {
    }

    static Tensor reduce(Tensor perElement, Reduction reduction) {
        return switch (reduction) {
            case NONE -> perElement;
            case SUM -> perElement.sum();
            case MEAN -> perElement.mean();
        };
    }

    /**
     * Cross-entropy: {@code -log softmax(input)[target]} per sample. Class dim is 1 ({@code [N, C, d...]})
     * or 0 for a single sample {@code [C]}. With label smoothing ε the target distribution is
     * {@code (1-ε)·onehot + ε/C}. Samples whose target is {@code ignoreIndex} contribute nothing and
     * are not counted by the mean. Float targets of the input's shape are class probabilities.
     */
    public static Tensor crossEntropy(Tensor input, Tensor target, Reduction reduction, long ignoreIndex, double labelSmoothing) {
        Args.tensor(input, "crossEntropy", "input");
        Args.tensor(target, "crossEntropy", "target");
        Args.nonNull(reduction, "crossEntropy", "reduction", "a Reduction");
        if (labelSmoothing < 0 || labelSmoothing > 1) {
            throw new IllegalArgumentException("label_smoothing must be between 0.0 and 1.0. Got: " + labelSmoothing);
        }
        if (input.dim() == 1) {
            Tensor r = crossEntropy(input.unsqueeze(0), target.unsqueeze(0),
                    reduction, ignoreIndex, labelSmoothing);
            return reduction == Reduction.NONE ? r.squeeze(0) : r;
        }
        if (input.dim() == 2 && target.dtype() == DType.INT64 && labelSmoothing == 0 && target.dim() == 1
                && target.size(0) == input.size(0) && (input.dtype() == DType.FLOAT32 || input.dtype() == DType.FLOAT64)) {
            return dev.antorcha.ops.FusedOps.crossEntropy(input, target,
                    reduction == Reduction.NONE ? 0 : reduction == Reduction.MEAN ? 1 : 2, ignoreIndex);
        }
        Tensor logp = input.logSoftmax(1);
        if (target.dtype().isFloatingPoint()) return probabilityTargets(logp, target, reduction, labelSmoothing);
        Tensor nll = nllLoss(logp, target, Reduction.NONE, ignoreIndex);
        if (labelSmoothing == 0) return reduceIgnoring(nll, target, reduction, ignoreIndex);
        int classes = input.size(1);
        Tensor valid = target.ne((double) ignoreIndex).to(logp.dtype());
        Tensor smooth = logp.sum(1).neg().mul(valid);
        Tensor loss = nll.mul(1 - labelSmoothing).add(smooth.mul(labelSmoothing / classes));
        return reduceIgnoring(loss, target, reduction, ignoreIndex);
    }

    private static Tensor probabilityTargets(Tensor logp, Tensor target, Reduction reduction, double eps) {
        if (!target.shape().equals(logp.shape())) {
            throw new IllegalArgumentException("cross_entropy: probability targets must have the input's shape "
                    + logp.shape() + ", got " + target.shape());
        }
        Tensor t = eps == 0 ? target : target.mul(1 - eps).add(eps / logp.size(1));
        Tensor perSample = logp.mul(t).sum(1).neg();
        return reduce(perSample, reduction);
    }

    /** Mean over the samples whose target is not {@code ignoreIndex}, as torch's nll_loss. */
    private static Tensor reduceIgnoring(Tensor perSample, Tensor target, Reduction reduction, long ignoreIndex) {
        if (reduction != Reduction.MEAN) return reduce(perSample, reduction);
        Tensor count = target.ne((double) ignoreIndex).to(perSample.dtype()).sum();
        return perSample.sum().div(count);
    }

    /**
     * Negative log-likelihood of log-probabilities {@code [N, C, d...]} at int64 targets
     * {@code [N, d...]}; targets outside {@code [0, C)} other than {@code ignoreIndex} are an error.
     */
    public static Tensor nllLoss(Tensor logp, Tensor target, Reduction reduction, long ignoreIndex) {
        return nllLoss(logp, target, null, reduction, ignoreIndex);
    }

    /**
     * As {@link #nllLoss(Tensor, Tensor, Reduction, long)} with a weight per class ({@code [C]}, or null):
     * sample i costs {@code -weight[t_i] lp[i, t_i]}, and the mean divides by the sum of the weights of
     * the counted samples ({@code sum_i weight[t_i]}), not by their number, as torch's {@code nll_loss}.
     */
    public static Tensor nllLoss(Tensor logp, Tensor target, Tensor weight, Reduction reduction, long ignoreIndex) {
        Args.tensor(logp, "nllLoss", "input");
        Args.tensor(target, "nllLoss", "target");
        Args.nonNull(reduction, "nllLoss", "reduction", "a Reduction");
        if (target.dtype() != DType.INT64) {
            throw new IllegalArgumentException("nll_loss: expected int64 class targets, got " + target.dtype().torchName()
                    + " (use .to(DType.INT64), or float targets of the input's shape for probabilities)");
        }
        if (logp.dim() < 2) throw new IllegalArgumentException("nll_loss: input must be [N, C, ...], got " + logp.shape());
        int n = logp.size(0), classes = logp.size(1);
        int[] expect = logp.shape().toArray();
        int[] expected = new int[expect.length - 1];
        expected[0] = n;
        System.arraycopy(expect, 2, expected, 1, expect.length - 2);
        if (!target.shape().equals(dev.antorcha.tensor.Shape.of(expected))) {
            throw new IllegalArgumentException("Expected input batch_size (" + n + ") to match target batch_size ("
                    + (target.dim() > 0 ? target.size(0) : 0) + "): input " + logp.shape() + ", target " + target.shape());
        }
        if (weight != null && (weight.dim() != 1 || weight.size(0) != classes)) {
            throw new IllegalArgumentException("weight tensor should be defined either for all " + classes
                    + " classes or no classes but got weight tensor of shape: " + weight.shape());
        }
        long[] t = target.toLongArray();
        boolean anyIgnored = false;
        for (long v : t) {
            if (v == ignoreIndex) anyIgnored = true;
            else if (v < 0 || v >= classes) {
                throw new IllegalArgumentException("Target " + v + " is out of bounds (" + classes + " classes).");
            }
        }
        Tensor kept = anyIgnored ? target.ne((double) ignoreIndex) : null;
        Tensor safe = anyIgnored ? target.where(kept, dev.antorcha.tensor.Factory.scalarOn(target, 0, DType.INT64)) : target;
        Tensor picked = dev.antorcha.ops.SoftmaxOps.pickLogSoftmax(logp, safe);   // log-softmax's [N, C] gradient made once
        picked = (picked != null ? picked : logp.gather(1, safe.unsqueeze(1)).squeeze(1)).neg();
        if (anyIgnored) picked = picked.mul(kept.to(picked.dtype()));
        if (weight == null) return reduceIgnoring(picked, target, reduction, ignoreIndex);
        // the weight is a constant of the loss, as in torch (no gradient flows into it)
        Tensor w = weight.detach().to(picked.dtype()).indexSelect(0, safe.reshape(-1)).reshape(safe.shape().toArray());
        if (anyIgnored) w = w.mul(kept.to(w.dtype()));
        Tensor weighted = picked.mul(w);
        return reduction == Reduction.MEAN ? weighted.sum().div(w.sum()) : reduce(weighted, reduction);
    }

    /**
     * Binary cross-entropy of probabilities {@code input} in [0, 1] and targets of its shape, each log
     * clamped at -100 as torch does (so {@code x = 1, t = 1} costs 0, not NaN); {@code weight} (or null)
     * broadcasts to the input. The mean divides by the number of elements, whatever the weights.
     */
    public static Tensor binaryCrossEntropy(Tensor input, Tensor target, Tensor weight, Reduction reduction) {
        Args.nonNull(reduction, "binaryCrossEntropy", "reduction", "a Reduction");
        return reduce(dev.antorcha.ops.LossOps.binaryCrossEntropy(input, target, weight), reduction);
    }

    /**
     * Smooth L1 (Huber divided by beta): per element {@code 0.5 d^2 / beta} where {@code |d| < beta},
     * else {@code |d| - 0.5 beta}, with {@code d = input - target} (broadcast); beta 0 is the L1 loss.
     */
    public static Tensor smoothL1Loss(Tensor input, Tensor target, Reduction reduction, double beta) {
        Args.tensor(input, "smoothL1Loss", "input");
        Args.tensor(target, "smoothL1Loss", "target");
        Args.nonNull(reduction, "smoothL1Loss", "reduction", "a Reduction");
        if (beta < 0 || Double.isNaN(beta)) {
            throw new IllegalArgumentException("smooth_l1_loss does not support negative values for beta (got " + beta + ")");
        }
        if (beta == 0) return l1Loss(input, target, reduction);   // the quadratic branch would divide by 0
        Tensor d = input.sub(target);
        Tensor ad = d.abs();
        Tensor l = d.mul(d).mul(0.5 / beta).where(ad.lt(beta), ad.sub(0.5 * beta));
        return reduce(l, reduction);
    }

    public static Tensor mseLoss(Tensor input, Tensor target, Reduction reduction) {
        Args.tensor(input, "mseLoss", "input");
        Args.tensor(target, "mseLoss", "target");
        Args.nonNull(reduction, "mseLoss", "reduction", "a Reduction");
        Tensor d = input.sub(target);
        return reduce(d.mul(d), reduction);
    }

    public static Tensor l1Loss(Tensor input, Tensor target, Reduction reduction) {
        Args.tensor(input, "l1Loss", "input");
        Args.tensor(target, "l1Loss", "target");
        Args.nonNull(reduction, "l1Loss", "reduction", "a Reduction");
        return reduce(input.sub(target).abs(), reduction);
    }

    /**
     * Binary cross-entropy on logits, in the stable form
     * {@code (1-y)·x + w·(log(1+exp(-|x|)) + max(-x, 0))} with {@code w = 1 + (posWeight-1)·y}.
     */
    public static Tensor bceWithLogits(Tensor input, Tensor target, Reduction reduction, Tensor posWeight) {
        return bceWithLogits(input, target, null, reduction, posWeight);
    }

    /**
     * As {@link #bceWithLogits(Tensor, Tensor, Reduction, Tensor)} with a {@code weight} (or null) that
     * multiplies each element's loss (broadcast); {@code posWeight} (or null) broadcasts over the last dim
     * and weighs the positive term: {@code l = posWeight t softplus(-x) + (1 - t) softplus(x)}.
     */
    public static Tensor bceWithLogits(Tensor input, Tensor target, Tensor weight, Reduction reduction, Tensor posWeight) {
        Args.tensor(input, "bceWithLogits", "input");
        Args.tensor(target, "bceWithLogits", "target");
        Args.nonNull(reduction, "bceWithLogits", "reduction", "a Reduction");
        if (!input.shape().equals(target.shape())) {
            throw new IllegalArgumentException("Target size (" + target.shape() + ") must be the same as input size ("
                    + input.shape() + ")");
        }
        // softplus(-x) = max(-x, 0) + log(1 + exp(-|x|)), with |x| = s·x and max(-x, 0) = -x·[x < 0] for a
        // constant sign s (+1 at x = 0): the pieces' gradients then add up to -sigmoid(-x) also at x = 0,
        // where abs'(0) = 0 and clamp's pass-through at the bound would give -1 instead of -0.5.
        Tensor s = input.ge(0).to(input.dtype()).mul(2).sub(1);
        Tensor negative = input.lt(0).to(input.dtype());
        Tensor softplusTerm = input.mul(s).neg().exp().add(1).log().sub(input.mul(negative));
        Tensor pw = posWeight == null ? null : posWeight.sub(1).mul(target).add(1);
        Tensor loss = target.neg().add(1).mul(input).add(pw == null ? softplusTerm : softplusTerm.mul(pw));
        if (weight != null) loss = loss.mul(weight);
        return reduce(loss, reduction);
    }
}
