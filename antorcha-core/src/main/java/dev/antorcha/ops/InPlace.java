package dev.antorcha.ops;

import static dev.antorcha.autograd.Graph.grads;
import static dev.antorcha.autograd.Graph.inputs;
import static dev.antorcha.autograd.Graph.nothingSaved;

import dev.antorcha.autograd.Graph;
import dev.antorcha.autograd.GradMode;
import dev.antorcha.autograd.NoGrad;
import dev.antorcha.backend.BinaryOp;
import dev.antorcha.backend.SgdStep;
import dev.antorcha.tensor.DType;
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

    /** PyTorch's refusal to write through a view whose elements share memory (an expand). */
    static void checkNoInternalOverlap(Tensor self, String name) {
        int[] shape = self.layout().shape(), strides = self.layout().strides();
        for (int d = 0; d < shape.length; d++) {
            if (strides[d] == 0 && shape[d] > 1) {
                throw new IllegalArgumentException("unsupported operation: more than one element of the written-to tensor "
                        + "refers to a single memory location (" + name + " on an expanded tensor of shape " + self.shape()
                        + "). Please clone() the tensor before performing the operation.");
            }
        }
    }

    public static Tensor apply(Tensor self, String name, Tensor other, UnaryOperator<Tensor> op) {
        checkNoInternalOverlap(self, name);
        boolean record = GradMode.isEnabled() && (self.requiresGrad() || (other != null && other.requiresGrad()));
        if (!record) {
            Tensor result;
            try (NoGrad _ = NoGrad.enter()) {
                result = op.apply(self);
            }
            writeBack(self, name, result);
            return self;
        }
        checkRecordable(self, name);
        // The op sees a snapshot of the old value with the same history, so whatever its backward
        // saves survives the write below, and the graph reads as torch's (no extra node).
        Tensor old = self.contiguousCopy();
        if (self.gradFn() != null) old.attachGradFn(self.gradFn());
        Tensor result = op.apply(old);
        writeBack(self, name, result);
        if (result.gradFn() != null) self.attachGradFn(result.gradFn());
        return self;
    }

    /**
     * {@code self op= other} for the arithmetic ops: outside autograd the kernel writes straight
     * into {@code self} (no temporary: gradient accumulation and optimizers take this path);
     * when the graph is recorded, the general {@link #apply}.
     */
    public static Tensor binary(Tensor self, BinaryOp op, Tensor other, String name, UnaryOperator<Tensor> recorded) {
        Args.tensor(other, name, "other");
        Checks.sameDevice(name, self, other);
        checkNoInternalOverlap(self, name);
        boolean record = GradMode.isEnabled() && (self.requiresGrad() || other.requiresGrad());
        if (record || !(self.dtype() == DType.FLOAT32 || self.dtype() == DType.FLOAT64) || !java.util.Arrays.equals(
                Shape.broadcast(self.layout().shape(), other.layout().shape()), self.layout().shape())) {
            return apply(self, name, other, recorded);
        }
        // the fast path skips the out-of-place op, not its refusals (float32 -= bool is refused, as torch)
        Checks.resultType(op.name().toLowerCase(java.util.Locale.ROOT), Checks.operand(self), Checks.operand(other));
        Tensor o = UnaryOps.toDType(other, self.dtype());
        if (o.storage() == self.storage() && !o.layout().equals(self.layout())) o = o.contiguousCopy();
        self.backend().binary(op, self, o, self);
        self.storage().bumpVersion();
        return self;
    }

    /**
     * {@code add_(other, alpha)}: outside autograd, on dense float32 tensors of one shape and
     * device in separate memory, one pass {@code self = fma(other, alpha, self)}, as torch's
     * vectorised add kernel computes it (the backend's float32 SGD step without momentum is exactly
     * that; its float64 one rounds twice, as the general path does).
     * The word model's hand-written update {@code p.data.add_(p.grad, alpha=-lr)} made two
     * temporaries of its 8 M weights a step on the general path; otherwise that path.
     */
    public static Tensor addScaled(Tensor self, Tensor other, double alpha, UnaryOperator<Tensor> recorded) {
        Args.tensor(other, "add_", "other");
        boolean record = GradMode.isEnabled() && (self.requiresGrad() || other.requiresGrad());
        if (!record && self.dtype() == DType.FLOAT32 && other.dtype() == DType.FLOAT32 && self.device().equals(other.device())
                && Arrays.equals(self.layout().shape(), other.layout().shape())
                && dense(self) && dense(other) && other.storage() != self.storage()) {
            self.backend().sgd(self, other, null, new SgdStep(alpha, 0, 1, 0, false, false, true));
            self.storage().bumpVersion();
            return self;
        }
        return apply(self, "add_", other, recorded);
    }

    private static boolean dense(Tensor t) {
        return t.isContiguous() && t.layout().offset() == 0;
    }

    /** {@code fill_}/{@code zero_}: every element becomes {@code value}; the gradient through it is 0. */
    public static Tensor fill(Tensor self, double value) {
        checkNoInternalOverlap(self, "fill_");
        boolean record = GradMode.isEnabled() && self.requiresGrad();
        if (record) checkRecordable(self, "fill_");
        Tensor v = Factory.scalarOn(self, value, self.dtype());
        self.backend().copy(v, self);
        self.storage().bumpVersion();
        if (record) {
            Tensor marker = self.viewOf(self.layout());
            Graph.record(marker, "FillBackward0", inputs(self), nothingSaved(), (g, n) -> grads(Tensor.zerosLike(g)));
            self.attachGradFn(marker.gradFn());
        }
        return self;
    }

    /**
     * {@code copy_}: self takes src's values (broadcast, converted). The gradient goes to src
     * (the engine sums it to src's shape) and none to self's old value.
     */
    public static Tensor copy(Tensor self, Tensor src) {
        Args.tensor(src, "copy_", "src");
        // copy_ is the one op that crosses devices, as in PyTorch: the source comes over first
        if (!src.device().equals(self.device())) src = DeviceOps.to(src, self.device());
        checkNoInternalOverlap(self, "copy_");
        boolean record = GradMode.isEnabled() && self.dtype().isFloatingPoint()
                && (self.requiresGrad() || src.requiresGrad());
        if (record) checkRecordable(self, "copy_");
        Tensor from;
        try (NoGrad _ = NoGrad.enter()) {
            from = src.expand(self.layout().shape());
        }
        // Overlapping source (x.copy_(x.t())): read everything before writing anything.
        if (from.storage() == self.storage()) from = from.contiguousCopy();
        self.backend().copy(from, self);
        self.storage().bumpVersion();
        if (record) {
            Tensor marker = self.viewOf(self.layout());
            Graph.record(marker, "CopyBackwards", inputs(self, src), nothingSaved(),
                    (g, n) -> grads(n[0] ? Tensor.zerosLike(g) : null, n[1] ? g : null));
            self.attachGradFn(marker.gradFn());
        }
        return self;
    }

    private static void checkRecordable(Tensor self, String name) {
        if (self.isLeaf() && self.requiresGrad()) {
            throw new IllegalStateException("a leaf Variable that requires grad is being used in an in-place operation ("
                    + name + " on a tensor of shape " + self.shape() + "); wrap it in Antorcha.noGrad()");
        }
        // Any recorded in-place op on a view would have to rebase the base's history too
        // (torch's CopySlices); without that the base silently loses the gradient, so refuse.
        if (self.base() != null) {
            throw new IllegalStateException(name + " on a view is not supported while recording gradients; "
                    + "use the out-of-place op, or Antorcha.noGrad() (view of shape " + self.shape() + ")");
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
