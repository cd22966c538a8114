package dev.antorcha.nn;

import dev.antorcha.Antorcha;
import dev.antorcha.autograd.NoGrad;
import dev.antorcha.nn.functional.F;
import dev.antorcha.tensor.DType;
import dev.antorcha.tensor.Factory;
import dev.antorcha.tensor.Tensor;

/**
 * What {@link BatchNorm1d} and {@link BatchNorm2d} share, PyTorch's {@code _BatchNorm}: learnable
 * {@code weight} (ones) and {@code bias} (zeros) when {@code affine}, and, when
 * {@code trackRunningStats}, the buffers {@code running_mean} (zeros), {@code running_var} (ones)
 * and the int64 {@code num_batches_tracked}, all in the state dict under those names. Training
 * normalises with the batch's statistics and updates the running ones with {@code momentum}
 * ({@code null}: a cumulative average, factor {@code 1/num_batches_tracked}); eval uses the
 * running ones.
 */
public abstract class BatchNorm extends Module {
    private final int numFeatures;
    private final double eps;
    private final Double momentum;
    private final boolean affine, trackRunningStats;
    /** Replace it with {@code setParameter("weight", p)}, which keeps the state dict in step. */
    public Parameter weight;
    public Parameter bias;
    private final Tensor runningMean, runningVar, numBatchesTracked;

    // Registration hands `this` to Module's maps before a subclass's fields are set; Module only
    // stores the reference, as PyTorch's __init__ does, so nothing reads a half-built subclass.
    @SuppressWarnings("this-escape")
    protected BatchNorm(int numFeatures, double eps, Double momentum, boolean affine, boolean trackRunningStats) {
        if (numFeatures <= 0) {
            throw new IllegalArgumentException(getClass().getSimpleName() + " needs a positive num_features, got " + numFeatures);
        }
        if (!(eps >= 0)) throw new IllegalArgumentException(getClass().getSimpleName() + ": eps must be >= 0, got " + eps);
        this.numFeatures = numFeatures;
        this.eps = eps;
        this.momentum = momentum;
        this.affine = affine;
        this.trackRunningStats = trackRunningStats;
        this.weight = affine ? registerParameter("weight", new Parameter(Antorcha.ones(numFeatures))) : null;
        this.bias = affine ? registerParameter("bias", new Parameter(Antorcha.zeros(numFeatures))) : null;
        if (trackRunningStats) {
            runningMean = registerBuffer("running_mean", Antorcha.zeros(numFeatures));
            runningVar = registerBuffer("running_var", Antorcha.ones(numFeatures));
            numBatchesTracked = registerBuffer("num_batches_tracked", Factory.scalar(0, DType.INT64));
        } else {
            runningMean = runningVar = numBatchesTracked = null;
        }
    }

    /** Throws PyTorch's message when {@code input} has a rank this layer does not take. */
    protected abstract void checkInputDim(Tensor input);

    public int numFeatures() {
        return numFeatures;
    }

    /** The {@code running_mean} buffer (null without {@code trackRunningStats}); updated in place. */
    public Tensor runningMean() {
        return runningMean;
    }

    /** The {@code running_var} buffer (null without {@code trackRunningStats}); updated in place. */
    public Tensor runningVar() {
        return runningVar;
    }

    /** The 0-d int64 {@code num_batches_tracked} buffer (null without {@code trackRunningStats}). */
    public Tensor numBatchesTracked() {
        return numBatchesTracked;
    }

    /** Running statistics back to mean 0, variance 1, no batches. */
    public void resetRunningStats() {
        if (!trackRunningStats) return;
        try (NoGrad _ = NoGrad.enter()) {
            runningMean.zero_();
            runningVar.fill_(1);
            numBatchesTracked.zero_();
        }
    }

    /** Running statistics reset, weight to ones and bias to zeros. */
    public void resetParameters() {
        resetRunningStats();
        if (affine) {
            try (NoGrad _ = NoGrad.enter()) {
                weight.fill_(1);
                bias.zero_();
            }
        }
    }

    @Override
    public Tensor forward(Tensor input) {
        dev.antorcha.ops.Args.tensor(input, getClass().getSimpleName(), "input");
        checkInputDim(input);
        double factor = momentum == null ? 0.0 : momentum;
        if (isTraining() && trackRunningStats) {
            try (NoGrad _ = NoGrad.enter()) {
                numBatchesTracked.add_(1);
            }
            if (momentum == null) factor = 1.0 / numBatchesTracked.toLongArray()[0];
        }
        // eval without running statistics normalises with the batch's, as PyTorch does
        boolean useBatchStats = isTraining() || runningMean == null;
        return F.batchNorm(input, runningMean, runningVar, weight, bias, useBatchStats, factor, eps);
    }

    @Override
    protected String extraRepr() {
        return numFeatures + ", eps=" + Reprs.pyFloat(eps) + ", momentum=" + (momentum == null ? "None" : Reprs.pyFloat(momentum))
                + ", affine=" + Reprs.bool(affine) + ", track_running_stats=" + Reprs.bool(trackRunningStats);
    }

    /** Keeps the fields in step with {@link Module#setParameter} (tied or replaced weights). */
    @Override
    protected void parameterSet(String name, Parameter p) {
        if (name.equals("weight")) weight = p;
        else if (name.equals("bias")) bias = p;
    }
}
