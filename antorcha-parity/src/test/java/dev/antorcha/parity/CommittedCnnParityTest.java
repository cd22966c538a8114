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
 * The convolutional-network cases committed under {@code src/test/resources/parity-cnn} (seed-0
 * copies of PyTorch's reference files): one of every case kind of the set, each of which must PASS
 * on every clone, without the team's full sets. A SKIP is a failure here.
 */
class CommittedCnnParityTest {

    /** Every case kind of the convolutional set (its format's case table). */
    static final List<String> KINDS = List.of("adaptive_avg_pool2d_1x1", "adaptive_avg_pool2d_3x3",
            "adaptive_avg_pool2d_nondiv", "avg_pool2d_basic", "avg_pool2d_pad_excl", "avg_pool2d_pad_incl",
            "batch_norm1d_train", "batch_norm2d_eval", "batch_norm2d_train", "bce_loss", "bce_with_logits_pos_weight",
            "conv1d", "conv1d_dilation_groups", "conv2d_1x1", "conv2d_basic", "conv2d_dilation", "conv2d_groups",
            "conv2d_nobias_rect", "conv2d_stride_pad", "conv_transpose2d_basic", "conv_transpose2d_groups",
            "flatten_cat_stack", "log_softmax_nll", "max_min_dim", "max_pool2d_basic", "max_pool2d_ceil",
            "max_pool2d_overlap_pad", "max_pool2d_ties", "mnist_cnn", "optim_adadelta", "optim_adadelta_wd",
            "optim_adagrad", "optim_rmsprop", "optim_rmsprop_momentum_centered", "optim_sgd_nesterov", "sched_cosine",
            "sched_steplr", "smooth_l1_loss", "split_chunk", "topk");

    static Path fixtures() {
        URL one = CommittedCnnParityTest.class.getResource("/parity-cnn/mnist_cnn_s0.json");
        if (one == null) throw new IllegalStateException("parity-cnn/mnist_cnn_s0.json is not on the test class path");
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
        ParityCase c = ParityCase.load(fixtures().resolve("mnist_cnn_s0.json"));
        for (String name : List.of("logits", "grad/conv1.weight", "adadelta_step5/conv2.bias", "adadelta_losses")) {
            RefTensor ref = c.output(name);
            int at = ref.values().length / 2;
            ParityRunner.CaseResult r = ParityRunner.run(CommittedParityTest.withOutput(c,
                    CommittedParityTest.perturb(ref, at, c.f32Err(name))));
            assertThat(r.status()).as(name).isEqualTo(ParityRunner.Status.FAIL);
            assertThat(r.line()).contains(name + ": ");
        }
    }
}
