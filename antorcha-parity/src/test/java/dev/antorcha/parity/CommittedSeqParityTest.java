package dev.antorcha.parity;

import java.util.List;

/**
 * The sequence-model cases committed under {@code src/test/resources/parity-seq} (seed-0
 * copies of PyTorch's reference files): one of every case kind of the set, each of which must PASS
 * on every clone ({@link CommittedSetTest}).
 */
class CommittedSeqParityTest extends CommittedSetTest {

    /** Every case kind of the sequence-model set (its format's case table). */
    static final List<String> KINDS = List.of("clip_grad_norm", "embedding", "embedding_max_norm", "gru", "gru_cell",
            "layer_norm", "layer_norm_last2", "layer_norm_no_affine", "lstm", "lstm_batch_first_bidir", "lstm_cell",
            "masked_fill_triu", "multihead_attention", "multihead_attention_attn_mask",
            "multihead_attention_key_padding_mask", "optim_lbfgs", "rnn_relu", "rnn_tanh", "transformer_encoder",
            "transformer_encoder_layer", "word_lm", "word_lm_tied");

    @Override
    String set() {
        return "parity-seq";
    }

    @Override
    List<String> kinds() {
        return KINDS;
    }

    @Override
    String networkCase() {
        return "word_lm_tied_s0.json";
    }

    @Override
    List<String> checkedOutputs() {
        return List.of("log_probs", "grad/encoder.weight", "step2/decoder.weight", "total_norms");
    }
}
