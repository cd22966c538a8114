package dev.antorcha.parity;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URISyntaxException;
import java.net.URL;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The word-language-model network cases ({@code word_lm}, {@code word_lm_tied}), from the seed-0
 * copies committed under {@code src/test/resources/parity-seq}: they pass, and they would catch a
 * wrong value or a tied weight handled as two.
 */
class WordLmParityTest {

    static ParityCase load(String id) {
        URL url = WordLmParityTest.class.getResource("/parity-seq/" + id + ".json");
        if (url == null) throw new IllegalStateException("parity-seq/" + id + ".json is not on the test class path");
        try {
            return ParityCase.load(Path.of(url.toURI()));
        } catch (URISyntaxException e) {
            throw new IllegalStateException(url + ": " + e.getMessage(), e);
        }
    }

    @Test
    void bothCasesPass() {
        for (String id : List.of("word_lm_s0", "word_lm_tied_s0")) {
            ParityRunner.CaseResult r = ParityRunner.run(load(id));
            assertThat(r.status()).as(r.line()).isEqualTo(ParityRunner.Status.PASS);
        }
    }

    @Test
    void aMovedReferenceFails() {
        ParityCase c = load("word_lm_tied_s0");
        for (String name : List.of("log_probs", "hidden/c", "grad/decoder.weight", "grad/rnn.weight_hh_l1", "losses",
                "total_norms", "step2/encoder.weight", "step2/decoder.bias")) {
            RefTensor ref = c.output(name);
            ParityRunner.CaseResult r = ParityRunner.run(CommittedParityTest.withOutput(c,
                    CommittedParityTest.perturb(ref, ref.values().length / 2, c.f32Err(name))));
            assertThat(r.status()).as(name).isEqualTo(ParityRunner.Status.FAIL);
            assertThat(r.line()).contains(name + ": ");
        }
    }

    /**
     * The tied case run with two separate matrices of the same initial values: the gradients of
     * each are one contribution instead of their sum, the clipping norm and the updates differ.
     */
    @Test
    void untyingTheTiedWeightFails() {
        ParityCase c = load("word_lm_tied_s0");
        Map<String, Object> params = new LinkedHashMap<>(c.params());
        params.put("tied", false);
        ParityCase untied = new ParityCase(c.id(), c.caseKind(), c.seed(), c.set(), c.description(), c.expr(), params,
                c.f32Err(), c.inputs(), c.outputs(), c.tolerance());
        ParityRunner.CaseResult r = ParityRunner.run(untied);
        assertThat(r.status()).isEqualTo(ParityRunner.Status.FAIL);
        assertThat(r.line()).contains("grad/encoder.weight").contains("total_norms");
    }
}
