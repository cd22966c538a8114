package dev.antorcha.backend.cpu;

import static dev.antorcha.backend.cpu.CpuBackend.dense;
import static dev.antorcha.backend.cpu.CpuBackend.denseDoubles;

import dev.antorcha.tensor.DType;
import dev.antorcha.tensor.Tensor;

/**
 * The CPU backend's fused cross-entropy: from dense tensors to the row loops of
 * {@link FusedKernels} (float32) and {@link DoubleLoops} (float64). {@link CpuBackend} delegates to it.
 */
final class CpuBackendLoss {
    private CpuBackendLoss() {
    }

    static int crossEntropy(Tensor logits, Tensor target, long ignoreIndex, int reduction, Tensor out, Tensor logSumExp) {
        int n = logits.size(0), c = logits.size(1);
        if (logits.dtype() == DType.FLOAT64) {
            double[] loss = reduction == 0 ? denseDoubles(out) : new double[n];
            int count = DoubleLoops.rowLosses(denseDoubles(logits), denseLongs(target), n, c, ignoreIndex, loss,
                    denseDoubles(logSumExp));
            if (reduction != 0) {
                double sum = 0;
                for (double v : loss) sum += v;
                CpuStorage.doubles(out)[out.layout().offset()] = reduction == 1 ? sum / count : sum;
            }
            return count;
        }
        float[] loss = reduction == 0 ? dense(out) : new float[n];
        int count = FusedKernels.rowLosses(dense(logits), denseLongs(target), n, c, ignoreIndex, loss, dense(logSumExp));
        if (reduction != 0) {
            float sum = 0;
            for (float v : loss) sum += v;
            CpuStorage.floats(out)[out.layout().offset()] = reduction == 1 ? sum / count : sum;
        }
        return count;
    }

    static void crossEntropyBackward(Tensor logits, Tensor target, long ignoreIndex, Tensor logSumExp, Tensor grad,
                                     int reduction, int counted, Tensor dx) {
        Tensor g = grad.isContiguous() ? grad : grad.contiguousCopy();
        if (logits.dtype() == DType.FLOAT64) {
            DoubleLoops.rowGrads(denseDoubles(logits), denseLongs(target), logits.size(0), logits.size(1), ignoreIndex,
                    denseDoubles(logSumExp), CpuStorage.doubles(g), g.layout().offset(), reduction, counted,
                    denseDoubles(dx));
            return;
        }
        FusedKernels.rowGrads(dense(logits), denseLongs(target), logits.size(0), logits.size(1), ignoreIndex,
                dense(logSumExp), CpuStorage.floats(g), g.layout().offset(), reduction, counted, dense(dx), 0);
    }

    /** The int64 values of {@code t} from index 0: its own array when dense, else a copy. */
    private static long[] denseLongs(Tensor t) {
        boolean dense = t.dtype() == DType.INT64 && t.isContiguous() && t.layout().offset() == 0;
        return dense ? CpuStorage.longs(t) : t.toLongArray();
    }
}
