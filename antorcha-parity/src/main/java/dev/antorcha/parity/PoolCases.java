package dev.antorcha.parity;

import dev.antorcha.autograd.NoGrad;
import dev.antorcha.nn.BatchNorm;
import dev.antorcha.nn.BatchNorm1d;
import dev.antorcha.nn.BatchNorm2d;
import dev.antorcha.nn.functional.F;
import dev.antorcha.tensor.Tensor;
import dev.antorcha.tensor.ValuesIndices;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The pooling and batch-norm cases of {@code PARITY_FORMAT_CNN.md} ({@code max_pool2d_*},
 * {@code avg_pool2d_*}, {@code adaptive_avg_pool2d_*}, {@code batch_norm*}), every shape and
 * hyperparameter read from the case: {@code y = op(x); y.backward(g)}, results {@code y},
 * {@code dx} and the op's extra outputs.
 */
final class PoolCases {
    private PoolCases() {
    }

    /** Whether {@code kind} is one of these cases. */
    static boolean handles(String kind) {
        return kind.startsWith("max_pool2d_") || kind.startsWith("avg_pool2d_") || kind.startsWith("adaptive_avg_pool2d_")
                || kind.startsWith("batch_norm");
    }

    /** The outputs of case {@code c} of kind {@code kind} computed from its inputs {@code in}. */
    static Map<String, Tensor> run(String kind, ParityCase c, Map<String, Tensor> in) {
        if (kind.startsWith("batch_norm")) return batchNorm(c, in);
        Tensor x = require(in, c, "x");
        Map<String, Tensor> out = new LinkedHashMap<>();
        Tensor y;
        if (kind.startsWith("max_pool2d_")) {
            ValuesIndices r = F.maxPool2dWithIndices(x, pair(c, "kernel_size"), pair(c, "stride"), pair(c, "padding"),
                    pair(c, "dilation"), flag(c, "ceil_mode"));
            y = r.values();
            out.put("indices", r.indices());
        } else if (kind.startsWith("avg_pool2d_")) {
            Object div = c.params().get("divisor_override");
            y = F.avgPool2d(x, pair(c, "kernel_size"), pair(c, "stride"), pair(c, "padding"), flag(c, "ceil_mode"),
                    flag(c, "count_include_pad"), div == null ? null : ((Number) div).intValue());
        } else {
            y = F.adaptiveAvgPool2d(x, pair(c, "output_size"));
        }
        out.put("y", y);
        y.backward(require(in, c, "g"));
        out.put("dx", x.grad());
        return out;
    }

    /**
     * {@code nn.BatchNorm1d/2d(num_features, eps, momentum)} holding the case's weight, bias and
     * running statistics, in the case's mode: {@code y}, its gradients and the updated buffers.
     */
    private static Map<String, Tensor> batchNorm(ParityCase c, Map<String, Tensor> in) {
        Tensor x = require(in, c, "x");
        int features = (int) c.param("num_features");
        double eps = c.param("eps"), momentum = c.param("momentum");
        BatchNorm bn = x.dim() == 4 ? new BatchNorm2d(features, eps, momentum, true, true)
                : new BatchNorm1d(features, eps, momentum, true, true);
        bn.to(x.dtype());
        try (NoGrad _ = NoGrad.enter()) {
            bn.weight.copy_(require(in, c, "weight"));
            bn.bias.copy_(require(in, c, "bias"));
            bn.runningMean().copy_(require(in, c, "running_mean"));
            bn.runningVar().copy_(require(in, c, "running_var"));
        }
        bn.train(flag(c, "training"));
        Tensor y = bn.forward(x);
        y.backward(require(in, c, "g"));
        Map<String, Tensor> out = new LinkedHashMap<>();
        out.put("y", y);
        out.put("dx", x.grad());
        out.put("dweight", bn.weight.grad());
        out.put("dbias", bn.bias.grad());
        out.put("running_mean", bn.runningMean());
        out.put("running_var", bn.runningVar());
        return out;
    }

    private static Tensor require(Map<String, Tensor> in, ParityCase c, String name) {
        Tensor t = in.get(name);
        if (t == null) throw new IllegalArgumentException("case " + c.id() + " has no input '" + name + "'; it has " + in.keySet());
        return t;
    }

    /** A size parameter: a list {@code [h, w]} or one number. */
    private static int[] pair(ParityCase c, String name) {
        Object v = c.params().get(name);
        if (v instanceof List<?> l) {
            int[] out = new int[l.size()];
            for (int i = 0; i < out.length; i++) out[i] = ((Number) l.get(i)).intValue();
            return out;
        }
        return new int[] {(int) c.param(name)};
    }

    private static boolean flag(ParityCase c, String name) {
        if (!(c.params().get(name) instanceof Boolean b)) {
            throw new IllegalArgumentException("case " + c.id() + ": param '" + name + "' is not a boolean: " + c.params().get(name));
        }
        return b;
    }
}
