package dev.antorcha.ops;

import static dev.antorcha.autograd.Graph.grads;
import static dev.antorcha.autograd.Graph.inputs;
import static dev.antorcha.autograd.Graph.saved;

import dev.antorcha.autograd.Graph;
import dev.antorcha.autograd.NoGrad;
import dev.antorcha.tensor.DType;
import dev.antorcha.tensor.Factory;
import dev.antorcha.tensor.Tensor;
import java.util.Arrays;

/**
 * Embedding lookup, PyTorch's {@code F.embedding}, with its backward beside it: the forward selects rows
 * of the weight ({@code index_select}), the backward adds each upstream row into the row it came from
 * ({@code index_add} into a zero weight-shaped gradient), so repeated indices accumulate. Also the
 * in-place {@code max_norm} renormalisation of the referenced rows ({@code embedding_renorm_}).
 */
public final class EmbeddingOps {
    private EmbeddingOps() {
    }

    /**
     * {@code F.embedding(indices, weight, padding_idx, ..., scale_grad_by_freq)}: {@code indices [*]}
     * (int64, or int32) into {@code weight [num, dim]} → {@code [*, dim]}. {@code paddingIdx} (already in
     * {@code [0, num)}, or −1 for none) gets no gradient; with {@code scaleGradByFreq} each row's gradient
     * is divided by how often its index occurs in {@code indices}.
     */
    public static Tensor embedding(Tensor indices, Tensor weight, int paddingIdx, boolean scaleGradByFreq) {
        Args.tensor(indices, "embedding", "indices");
        Args.tensor(weight, "embedding", "weight");
        Checks.sameDevice("embedding", weight, indices);
        if (weight.dim() != 2) {
            throw new IllegalArgumentException("'weight' must be 2-D [num_embeddings, embedding_dim], got " + weight.shape());
        }
        Tensor idx = checkedIndices(indices, weight.size(0)).reshape(-1);
        int num = weight.size(0), dim = weight.size(1);
        int[] shape = Arrays.copyOf(indices.layout().shape(), indices.dim() + 1);
        shape[indices.dim()] = dim;
        Tensor rows = weight.backend().empty(weight.dtype(), idx.numel(), dim);
        weight.backend().indexSelect(weight, 0, idx, rows);
        Tensor out = rows.reshape(shape);
        return Graph.record(out, "EmbeddingBackward0", inputs(weight), saved(idx), (g, n) -> {
            Tensor gr = g.reshape(idx.numel(), dim);
            if (scaleGradByFreq) {
                Tensor counts = Factory.fullOn(gr, 0, gr.dtype(), num);
                counts.backend().indexAdd(counts, 0, idx, Factory.fullOn(gr, 1, gr.dtype(), idx.numel()));
                gr = gr.div(counts.indexSelect(0, idx).reshape(idx.numel(), 1));
            }
            Tensor dw = Factory.fullOn(gr, 0, gr.dtype(), num, dim);
            dw.backend().indexAdd(dw, 0, idx, gr.contiguous());
            if (paddingIdx >= 0) {
                try (NoGrad _ = NoGrad.enter()) {
                    dw.select(0, paddingIdx).zero_();   // the padding row never learns
                }
            }
            return grads(dw);
        });
    }

    /**
     * {@code torch.embedding_renorm_(weight, indices, max_norm, norm_type)}: every row of {@code weight}
     * referenced by {@code indices} whose {@code normType}-norm exceeds {@code maxNorm} is scaled in place,
     * outside autograd, by {@code maxNorm / (norm + 1e-7)}; other rows are multiplied by exactly 1.
     */
    public static void renorm_(Tensor weight, Tensor indices, double maxNorm, double normType) {
        Args.tensor(weight, "embeddingRenorm_", "weight");
        Args.tensor(indices, "embeddingRenorm_", "indices");
        if (weight.dim() != 2) {
            throw new IllegalArgumentException("'weight' must be 2-D [num_embeddings, embedding_dim], got " + weight.shape());
        }
        int num = weight.size(0);
        Tensor idx = checkedIndices(indices, num).reshape(-1);
        try (NoGrad _ = NoGrad.enter()) {
            Tensor w = weight.detach().to(DType.FLOAT64).abs();
            Tensor norm = Double.isInfinite(normType) ? w.amax(1, false)
                    : normType == 2 ? w.mul(w).sum(1).sqrt() : w.pow(normType).sum(1).pow(1 / normType);
            Tensor referenced = Factory.fullOn(weight, 0, DType.FLOAT64, num);
            referenced.backend().indexAdd(referenced, 0, idx, Factory.fullOn(weight, 1, DType.FLOAT64, idx.numel()));
            Tensor over = referenced.gt(0).mul(norm.gt(maxNorm));
            Tensor scale = Factory.scalarOn(weight, maxNorm, DType.FLOAT64).div(norm.add(1e-7));
            // torch multiplies the row by the double scale rounded to the weight's dtype
            Tensor factor = scale.where(over, Factory.scalarOn(weight, 1, DType.FLOAT64)).to(weight.dtype()).reshape(num, 1);
            weight.mul_(factor);
        }
    }

    /** {@code indices} as int64, every value in {@code [0, num)}; else PyTorch's refusal, naming the index and the size. */
    static Tensor checkedIndices(Tensor indices, int num) {
        DType t = indices.dtype();
        if (t != DType.INT64 && t != DType.INT32) {
            throw new IllegalArgumentException("Expected tensor for argument #1 'indices' to have one of the following scalar "
                    + "types: Long, Int; but got " + t.torchName() + " instead (while checking arguments for embedding; "
                    + "convert the indices with .to(DType.INT64))");
        }
        Tensor idx = indices.dtype() == DType.INT64 ? indices : UnaryOps.toDType(indices, DType.INT64);
        if (idx.numel() == 0) return idx;
        long lo = idx.min().longItem(), hi = idx.max().longItem();
        if (lo < 0 || hi >= num) {
            long bad = lo < 0 ? lo : hi;
            throw new IndexOutOfBoundsException("index out of range in self: embedding index " + bad
                    + " is outside [0, " + num + ") for a weight of " + num + " rows (indices of shape " + indices.shape() + ")");
        }
        return idx;
    }
}
