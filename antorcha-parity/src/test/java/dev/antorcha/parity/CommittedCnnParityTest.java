package dev.antorcha.parity;

import java.util.List;

/**
 * The convolutional-network cases committed under {@code src/test/resources/parity-cnn} (seed-0
 * copies of PyTorch's reference files): one of every case kind of the set, each of which must PASS
 * on every clone ({@link CommittedSetTest}).
 */
class CommittedCnnParityTest extends CommittedSetTest {

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

    @Override
    String set() {
        return "parity-cnn";
    }

    @Override
    List<String> kinds() {
        return KINDS;
    }

    @Override
    String networkCase() {
        return "mnist_cnn_s0.json";
    }

    @Override
    List<String> checkedOutputs() {
        return List.of("logits", "grad/conv1.weight", "adadelta_step5/conv2.bias", "adadelta_losses");
    }
}
