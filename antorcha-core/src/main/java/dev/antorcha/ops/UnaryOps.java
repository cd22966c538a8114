package dev.antorcha.ops;

import static dev.antorcha.autograd.Graph.grads;
import static dev.antorcha.autograd.Graph.inputs;
import static dev.antorcha.autograd.Graph.nothingSaved;
import static dev.antorcha.autograd.Graph.saved;

import dev.antorcha.autograd.Graph;
import dev.antorcha.backend.UnaryOp;
import dev.antorcha.tensor.DType;
import dev.antorcha.tensor.Tensor;
import dev.antorcha.tensor.TypePromotion.Operand;
import java.lang.ref.Reference;

/** Element-wise unary primitives, each forward with its backward beside it. */
public final class UnaryOps {
    private UnaryOps() {
    }

    /**
     * The forward kernel call into a new tensor of {@code x}'s shape, computed in {@code x}'s
     * floating dtype (float32 for the integer and bool types, as torch). No autograd.
     */
    static Tensor map(UnaryOp op, Tensor x, double p0, double p1) {
        DType t = x.dtype().isFloatingPoint() ? x.dtype() : DType.FLOAT32;
        Tensor src = toDType(x, t);
        Tensor out = x.backend().uninitialized(t, x.layout().shape());
        x.backend().unary(op, src, out, p0, p1);
        Reference.reachabilityFence(src);
        return out;
    }

    /** A converted copy, outside autograd. */
    static Tensor convert(Tensor x, DType to) {
        Tensor out = x.backend().empty(to, x.layout().shape());
        x.backend().copy(x, out);
        return out;
    }

    /** {@code x.to(dtype)}: the same tensor when the type already matches. */
    public static Tensor toDType(Tensor x, DType to) {
        if (x.dtype() == to) return x;
        return convert(x, to);
    }

    /**
     * {@code x.to(dtype)} as an op: the same tensor when the type already matches; between
     * floating types the gradient flows back converted to {@code x}'s dtype (ToCopyBackward0).
     */
    public static Tensor to(Tensor x, DType to) {
        if (x.dtype() == to) return x;
        Tensor out = convert(x, to);
        if (!to.isFloatingPoint() || !x.dtype().isFloatingPoint()) return out;
        DType from = x.dtype();
        return Graph.record(out, "ToCopyBackward0", inputs(x), nothingSaved(), (g, n) -> grads(toDType(g, from)));
    }

    /**
     * {@code op} on a tensor whose result dtype (the table's {@code result}) is an integer: the
     * input converted to it (a bool mask to int64) and the int64 kernel run, no autograd (integers
     * have no gradient).
     */
    private static Tensor integer(UnaryOp op, Tensor x, DType result, double p0, double p1) {
        Tensor src = toDType(x, result);
        Tensor out = x.backend().uninitialized(result, x.layout().shape());
        x.backend().unary(op, src, out, p0, p1);
        Reference.reachabilityFence(src);
        return out;
    }

    public static Tensor neg(Tensor x) {
        DType r = Checks.resultType("neg", Checks.operand(x));
        if (!r.isFloatingPoint()) return integer(UnaryOp.NEG, x, r, 0, 0);
        return Graph.record(map(UnaryOp.NEG, x, 0, 0), "NegBackward0", inputs(x), nothingSaved(),
                (g, n) -> grads(g.neg()));
    }

    /** d/dx exp(x) = exp(x): the backward reuses the output. */
    public static Tensor exp(Tensor x) {
        Checks.resultType("exp", Checks.operand(x));   // a float, or PyTorch's refusal
        Tensor out = map(UnaryOp.EXP, x, 0, 0);
        return Graph.record(out, "ExpBackward0", inputs(x), saved(out), (g, n) -> grads(g.mul(out)));
    }

    public static Tensor log(Tensor x) {
        Checks.resultType("log", Checks.operand(x));   // a float, or PyTorch's refusal
        return Graph.record(map(UnaryOp.LOG, x, 0, 0), "LogBackward0", inputs(x), saved(x),
                (g, n) -> grads(g.div(x)));
    }

    public static Tensor sqrt(Tensor x) {
        Checks.resultType("sqrt", Checks.operand(x));   // a float, or PyTorch's refusal
        Tensor out = map(UnaryOp.SQRT, x, 0, 0);
        return Graph.record(out, "SqrtBackward0", inputs(x), saved(out),
                (g, n) -> grads(g.div(out.mul(2))));
    }

    /** d/dx |x| = sign(x) (0 at 0, as torch). */
    public static Tensor abs(Tensor x) {
        DType r = Checks.resultType("abs", Checks.operand(x));
        if (!r.isFloatingPoint()) return integer(UnaryOp.ABS, x, r, 0, 0);
        return Graph.record(map(UnaryOp.ABS, x, 0, 0), "AbsBackward0", inputs(x), saved(x),
                (g, n) -> grads(g.mul(map(UnaryOp.SIGN, x, 0, 0))));
    }

    /** relu'(x) = 1 where the output is positive, else 0 (relu'(0) = 0, as torch). */
    public static Tensor relu(Tensor x) {
        DType r = Checks.resultType("relu", Checks.operand(x));
        if (!r.isFloatingPoint()) return integer(UnaryOp.RELU, x, r, 0, 0);
        Tensor out = map(UnaryOp.RELU, x, 0, 0);
        return Graph.record(out, "ReluBackward0", inputs(x), saved(out),
                (g, n) -> grads(maskPositive(g, out)), RELU);
    }

    /**
     * Marks relu's nodes, so that an op on its output can send its gradient past it
     * ({@link PoolOps#maxPool2d}: max pooling after ReLU, as in a convolutional network).
     */
    static final Object RELU = new Object();

    /** ReLU's backward: {@code g} where {@code out > 0}, else 0; into {@code g} when the engine donates it. */
    static Tensor maskPositive(Tensor g, Tensor out) {
        if (Graph.mayOverwrite(g) && g.dtype() == out.dtype() && g.shape().equals(out.shape()) && out.isContiguous()) {
            g.backend().binary(dev.antorcha.backend.BinaryOp.MASK_POSITIVE, g, out, g);
            return g;
        }
        return BinaryOps.compute(dev.antorcha.backend.BinaryOp.MASK_POSITIVE, g, out);
    }

    /** σ'(x) = σ(x)(1 - σ(x)). */
    public static Tensor sigmoid(Tensor x) {
        Checks.resultType("sigmoid", Checks.operand(x));   // a float, or PyTorch's refusal
        Tensor out = map(UnaryOp.SIGMOID, x, 0, 0);
        return Graph.record(out, "SigmoidBackward0", inputs(x), saved(out),
                (g, n) -> grads(g.mul(out).mul(out.neg().add(1))));
    }

    /** tanh'(x) = 1 - tanh²(x). */
    public static Tensor tanh(Tensor x) {
        Checks.resultType("tanh", Checks.operand(x));   // a float, or PyTorch's refusal
        Tensor out = map(UnaryOp.TANH, x, 0, 0);
        return Graph.record(out, "TanhBackward0", inputs(x), saved(out),
                (g, n) -> grads(g.mul(out.mul(out).neg().add(1))));
    }

    /** Gradient passes where {@code min <= x <= max}, as torch.clamp. */
    public static Tensor clamp(Tensor x, double min, double max) {
        if (Double.isNaN(min) || Double.isNaN(max)) {
            throw new IllegalArgumentException("clamp: bounds must not be NaN (min=" + min + ", max=" + max + ")");
        }
        // an infinite bound is PyTorch's None (clampMin/clampMax): it takes no part in promotion
        java.util.List<Operand> ops = new java.util.ArrayList<>(java.util.List.of(Checks.operand(x)));
        if (!Double.isInfinite(min)) ops.add(Checks.number(min));
        if (!Double.isInfinite(max)) ops.add(Checks.number(max));
        DType r = Checks.resultType("clamp", ops.toArray(Operand[]::new));
        if (!r.isFloatingPoint()) return integer(UnaryOp.CLAMP, x, r, min, max);
        return Graph.record(map(UnaryOp.CLAMP, x, min, max), "ClampBackward1", inputs(x), saved(x),
                (g, n) -> grads(g.mul(x.ge(min).mul(x.le(max)))));
    }

    /** {@code x ** p}: d/dx = p·x^(p-1) (0 for p = 0, as torch). */
    public static Tensor pow(Tensor x, double p) {
        DType r = Checks.resultType("pow", Checks.operand(x), Checks.number(p));
        if (!r.isFloatingPoint()) {
            if (p < 0) {   // PyTorch's refusal for a negative int exponent of an integer tensor
                throw new IllegalArgumentException("Integers to negative integer powers are not allowed. (pow: "
                        + x.dtype().torchName() + " tensor ** " + (long) p + "; use a floating exponent, e.g. x ** "
                        + p + ", or convert the tensor first with .double())");
            }
            return integer(UnaryOp.POW_SCALAR, x, r, p, 0);
        }
        return Graph.record(map(UnaryOp.POW_SCALAR, x, p, 0), "PowBackward0", inputs(x), saved(x), (g, n) -> {
            if (p == 0) return grads(Tensor.zerosLike(g));
            return grads(g.mul(x.pow(p - 1).mul(p)));
        });
    }
}
