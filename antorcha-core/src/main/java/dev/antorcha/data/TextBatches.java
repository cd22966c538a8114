package dev.antorcha.data;

import dev.antorcha.ops.Args;
import dev.antorcha.tensor.DType;
import dev.antorcha.tensor.Tensor;

/**
 * The language-model batching of PyTorch's {@code word_language_model} example: a token stream cut
 * into {@code bsz} parallel columns ({@link #batchify}), then read {@code bptt} rows at a time with
 * each row's next row as its targets ({@link #getBatch}). The hidden state of column {@code j}
 * carries over from one chunk to the next because column {@code j} continues its own text.
 *
 * <pre>{@code
 * Tensor train = TextBatches.batchify(corpus.train(), 20);          // [tokens / 20, 20]
 * for (int i = 0; i < train.size(0) - 1; i += 35) {
 *     TextBatches.Chunk chunk = TextBatches.getBatch(train, i, 35);  // data [35, 20], targets [700]
 * }
 * }</pre>
 */
public final class TextBatches {
    private TextBatches() {
    }

    /**
     * Rows {@code i ... i+n-1} of a batchified source and the tokens that follow them.
     *
     * @param data    {@code [n, bsz]} int64 token ids
     * @param targets {@code [n * bsz]} int64: {@code source[i+1 : i+1+n]} flattened row by row
     */
    public record Chunk(Tensor data, Tensor targets) {
    }

    /**
     * {@code batchify(data, bsz)}: drops the tokens that do not fill a last row, then lays the
     * stream out in {@code bsz} columns, column {@code j} holding tokens {@code j*n ... (j+1)*n-1}:
     * {@code data[:n*bsz].view(bsz, -1).t().contiguous()}, {@code [tokens] → [n, bsz]}.
     *
     * @throws IllegalArgumentException when {@code data} is not a 1-D integer tensor or has fewer than {@code bsz} tokens
     */
    public static Tensor batchify(Tensor data, int bsz) {
        Args.tensor(data, "batchify", "data");
        if (data.dim() != 1 || data.dtype().isFloatingPoint() || data.dtype() == DType.BOOL) {
            throw new IllegalArgumentException("batchify: expected a 1-D integer tensor of token ids, got "
                    + data.dtype().torchName() + " " + data.shape());
        }
        if (bsz < 1) throw new IllegalArgumentException("batchify: bsz must be >= 1, got " + bsz);
        int n = data.size(0) / bsz;
        if (n == 0) {
            throw new IllegalArgumentException("batchify: " + data.size(0) + " tokens cannot fill one row of " + bsz
                    + " columns (give more text or a smaller batch size)");
        }
        return data.narrow(0, 0, n * bsz).view(bsz, -1).t().contiguous();
    }

    /**
     * {@code get_batch(source, i)}: {@code seq_len = min(bptt, len(source) - 1 - i)},
     * {@code data = source[i : i+seq_len]}, {@code targets = source[i+1 : i+1+seq_len].view(-1)}.
     *
     * @throws IllegalArgumentException when {@code source} is not 2-D or {@code i} leaves no row with a successor
     */
    public static Chunk getBatch(Tensor source, int i, int bptt) {
        Args.tensor(source, "get_batch", "source");
        if (source.dim() != 2) {
            throw new IllegalArgumentException("get_batch: expected a batchified [rows, bsz] source, got " + source.shape());
        }
        if (bptt < 1) throw new IllegalArgumentException("get_batch: bptt must be >= 1, got " + bptt);
        if (i < 0 || i >= source.size(0) - 1) {
            throw new IllegalArgumentException("get_batch: row " + i + " has no next row in a source of "
                    + source.size(0) + " rows (valid: 0 to " + (source.size(0) - 2) + ")");
        }
        int seqLen = Math.min(bptt, source.size(0) - 1 - i);
        return new Chunk(source.narrow(0, i, seqLen), source.narrow(0, i + 1, seqLen).reshape(-1));
    }
}
