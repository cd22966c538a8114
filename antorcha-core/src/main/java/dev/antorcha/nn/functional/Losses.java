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
        long[] t = target.toLongArray();
        boolean anyIgnored = false;
        for (long v : t) {
            if (v == ignoreIndex) anyIgnored = true;
            else if (v < 0 || v >= classes) {
                throw new IllegalArgumentException("Target " + v + " is out of bounds (" + classes + " classes).");
            }
        }
        Tensor kept = anyIgnored ? target.ne((double) ignoreIndex) : null;
        Tensor safe = anyIgnored ? target.where(kept, dev.antorcha.tensor.Factory.scalar(0, DType.INT64)) : target;
        Tensor picked = logp.gather(1, safe.unsqueeze(1)).squeeze(1).neg();
        if (anyIgnored) picked = picked.mul(kept.to(picked.dtype()));
        return reduceIgnoring(picked, target, reduction, ignoreIndex);
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
        Tensor weight = posWeight == null ? null : posWeight.sub(1).mul(target).add(1);
        Tensor loss = target.neg().add(1).mul(input).add(weight == null ? softplusTerm : softplusTerm.mul(weight));
        return reduce(loss, reduction);
    }
}
