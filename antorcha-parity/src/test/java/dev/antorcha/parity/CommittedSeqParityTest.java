package dev.antorcha.parity;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.fail;

import java.net.URISyntaxException;
import java.net.URL;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

/**
 * The sequence-model cases committed under {@code src/test/resources/parity-seq} (seed-0
 * copies of PyTorch's reference files): one of every case kind of the set, each of which must PASS
 * on every clone, without the team's full sets. A SKIP is a failure here.
 */
class CommittedSeqParityTest {

    /** Every case kind of the sequence-model set (its format's case table). */
    static final List<String> KINDS = List.of("clip_grad_norm", "embedding", "embedding_max_norm", "gru", "gru_cell",
            "layer_norm", "layer_norm_last2", "layer_norm_no_affine", "lstm", "lstm_batch_first_bidir", "lstm_cell",
            "masked_fill_triu", "multihead_attention", "multihead_attention_attn_mask",
            "multihead_attention_key_padding_mask", "optim_lbfgs", "rnn_relu", "rnn_tanh", "transformer_encoder",
            "transformer_encoder_layer", "word_lm", "word_lm_tied");

    static Path fixtures() {
        URL one = CommittedSeqParityTest.class.getResource("/parity-seq/word_lm_tied_s0.json");
        if (one == null) throw new IllegalStateException("parity-seq/word_lm_tied_s0.json is not on the test class path");
        try {
            return Path.of(one.toURI()).getParent();
        } catch (URISyntaxException e) {
            throw new IllegalStateException(one + ": " + e.getMessage(), e);
        }
    }

    @TestFactory
    Stream<DynamicTest> everyCommittedCasePasses() {
        return ParityCase.listCases(fixtures()).stream().map(file -> DynamicTest.dynamicTest(
                CommittedParityTest.name(file), file.toUri(), () -> {
                    ParityRunner.CaseResult r = ParityRunner.run(file);
                    if (r.status() != ParityRunner.Status.PASS) fail(r.line());
                }));
    }

    @Test
    void everyCaseKindIsCommitted() {
        assertThat(ParityCase.listCases(fixtures()).stream().map(p -> ParityCase.load(p).caseKind()).distinct())
                .containsExactlyInAnyOrderElementsOf(KINDS);
    }

    /** The network case fails when a reference value moves by four tolerances (it compares, it does not just run). */
    @Test
    void theNetworkCaseFailsOnAMovedReference() {
        ParityCase c = ParityCase.load(fixtures().resolve("word_lm_tied_s0.json"));
        for (String name : List.of("log_probs", "grad/encoder.weight", "step2/decoder.weight", "total_norms")) {
            RefTensor ref = c.output(name);
            int at = ref.values().length / 2;
            ParityRunner.CaseResult r = ParityRunner.run(CommittedParityTest.withOutput(c,
                    CommittedParityTest.perturb(ref, at, c.f32Err(name))));
            assertThat(r.status()).as(name).isEqualTo(ParityRunner.Status.FAIL);
            assertThat(r.line()).contains(name + ": ");
        }
    }
}
