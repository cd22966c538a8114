package dev.antorcha.ops;

import static dev.antorcha.autograd.Graph.grads;
import static dev.antorcha.autograd.Graph.inputs;
import static dev.antorcha.autograd.Graph.nothingSaved;

import dev.antorcha.autograd.Graph;
import dev.antorcha.autograd.GradMode;
import dev.antorcha.autograd.NoGrad;
import dev.antorcha.tensor.Factory;
import dev.antorcha.tensor.Shape;
import dev.antorcha.tensor.Tensor;
import java.util.Arrays;
import java.util.function.UnaryOperator;

/**
 * In-place ops ({@code add_}, {@code mul_}, ...). The result is computed by the out-of-place op,
 * written into the tensor's storage, and the storage's version is bumped, so a backward that
 * saved the old value fails with PyTorch's error instead of using the new one. When the graph
 * is recorded, the tensor takes over the result's {@code grad_fn} (PyTorch's rebase of history).
 */
public final class InPlace {
    private InPlace() {
    }

    public static Tensor apply(Tensor self, String name, Tensor other, UnaryOperator<Tensor> op) {
        boolean record = GradMode.isEnabled() && (self.requiresGrad() || (other != null && other.requiresGrad()));
        if (!record) {
            Tensor result;
            try (NoGrad ignored = NoGrad.enter()) {
                result = op.apply(self);
            }
            writeBack(self, name, result);
            return self;
        }
        checkRecordable(self, name);
        Tensor result = op.apply(self);
        writeBack(self, name, result);
        if (result.gradFn() != null) self.attachGradFn(result.gradFn());
        return self;
    }

    /** {@code fill_}/{@code zero_}: every element becomes {@code value}; the gradient through it is 0. */
    public static Tensor fill(Tensor self, double value) {
        boolean record = GradMode.isEnabled() && self.requiresGrad();
        if (record) checkRecordable(self, "fill_");
        Tensor v = Factory.scalar(value, self.dtype());
        self.backend().copy(v, self);
        self.storage().bumpVersion();
        if (record) {
            Tensor marker = self.viewOf(self.layout());
            Graph.record(marker, "FillBackward0", inputs(self), nothingSaved(), (g, n) -> grads(Tensor.zerosLike(g)));
            self.attachGradFn(marker.gradFn());
        }
        return self;
    }

    private static void checkRecordable(Tensor self, String name) {
        if (self.isLeaf() && self.requiresGrad()) {
            throw new IllegalStateException("a leaf Variable that requires grad is being used in an in-place operation ("
                    + name + " on a tensor of shape " + self.shape() + "); wrap it in Antorcha.noGrad()");
        }
        if (self.base() != null && (self.base().requiresGrad() || self.requiresGrad())) {
            throw new IllegalStateException(name + " on a view of a tensor that requires grad is not supported; "
                    + "use the out-of-place op (shape " + self.shape() + ")");
        }
    }

    private static void writeBack(Tensor self, String name, Tensor result) {
        if (!Arrays.equals(result.layout().shape(), self.layout().shape())) {
            throw new IllegalArgumentException("output with shape " + self.shape()
                    + " doesn't match the broadcast shape " + Shape.of(result.layout().shape()) + " (in " + name + ")");
        }
        if (result.storage() != self.storage() || !result.layout().equals(self.layout())) {
            self.backend().copy(result, self);
        }
        self.storage().bumpVersion();
    }
}
