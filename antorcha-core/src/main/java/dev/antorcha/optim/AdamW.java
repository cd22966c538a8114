package dev.antorcha.optim;

import dev.antorcha.tensor.Tensor;
import java.util.List;

/**
 * Adam with decoupled weight decay (Loshchilov &amp; Hutter): each step first shrinks the
 * parameter, {@code p = p·(1 - lr·wd)}, then applies Adam without L2. PyTorch's default
 * weight decay for AdamW is 0.01.
 */
public class AdamW extends Adam {

    public AdamW(Iterable<? extends Tensor> params, double lr) {
        this(params, new Options(lr, 0.9, 0.999, 1e-8, 0.01, false));
    }

    public AdamW(Iterable<? extends Tensor> params, Options options) {
        super(single(params, "AdamW"), options, true);
    }

    public AdamW(List<ParamGroup> groups, Options defaults) {
        super(groups, defaults, true);
    }
}
