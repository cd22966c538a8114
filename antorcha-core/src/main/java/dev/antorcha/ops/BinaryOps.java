package dev.antorcha.ops;

import static dev.antorcha.autograd.Graph.grads;
import static dev.antorcha.autograd.Graph.inputs;
import static dev.antorcha.autograd.Graph.nothingSaved;
import static dev.antorcha.autograd.Graph.saved;

import dev.antorcha.autograd.Graph;
import dev.antorcha.backend.BinaryOp;
import dev.antorcha.tensor.DType;
import dev.antorcha.tensor.Shape;
import dev.antorcha.tensor.Factory;
import dev.antorcha.tensor.Tensor;
import dev.antorcha.tensor.TypePromotion;

/**
 * Element-wise binary primitives with NumPy/PyTorch broadcasting, each forward with its
 * backward beside it. Backward functions return gradients of the broadcast shape; the engine
 * sums them back to each input's shape.
 */
public final class BinaryOps {
    private BinaryOps() {
    }

    /** The forward kernel call: promotes dtypes, broadcasts, allocates, runs. No autograd. */
    static Tensor compute(BinaryOp op, Tensor a, Tensor b) {
        if (a == null || b == null) {
            String name = op.name().toLowerCase(java.util.Locale.ROOT);   // add, sub, ..., eq, ge
            Args.tensor(a, name, "input");
            Args.tensor(b, name, "other");
        }
        Checks.sameDevice(op.name().toLowerCase(java.util.Locale.ROOT), a, b);
        DType t;
        DType result;
        if (op == BinaryOp.MASK_POSITIVE) {   // relu's backward, not a PyTorch op of its own
            t = result = TypePromotion.resultType(Checks.operand(a), Checks.operand(b));
        } else {
            result = Checks.resultType(op.name().toLowerCase(java.util.Locale.ROOT), Checks.operand(a), Checks.operand(b));
            // comparisons compute in the common dtype; bool arithmetic (add = or, mul = and) in int64, then to bool
            t = op.isComparison() ? TypePromotion.resultType(Checks.operand(a), Checks.operand(b))
                    : result == DType.BOOL ? DType.INT64 : result;
        }
        Tensor ca = UnaryOps.toDType(a, t);
        Tensor cb = UnaryOps.toDType(b, t);
        int[] shape = Shape.broadcast(a.layout().shape(), b.layout().shape());
        Tensor out = a.backend().empty(op.isComparison() ? DType.BOOL : t, shape);
        a.backend().binary(op, ca, cb, out);
        return op.isComparison() ? out : UnaryOps.toDType(out, result);
    }

    /** {@code a + b}. */
    public static Tensor add(Tensor a, Tensor b) {
        return Graph.record(compute(BinaryOp.ADD, a, b), "AddBackward0", inputs(a, b), nothingSaved(),
                (g, n) -> grads(g, g));
    }

    /** {@code a - b}. */
    public static Tensor sub(Tensor a, Tensor b) {
        return Graph.record(compute(BinaryOp.SUB, a, b), "SubBackward0", inputs(a, b), nothingSaved(),
                (g, n) -> grads(g, n[1] ? g.neg() : null));
    }

    /** {@code a * b}: d/da = b, d/db = a. */
    public static Tensor mul(Tensor a, Tensor b) {
        // d/da reads b and d/db reads a: save only what a needed gradient reads, as torch does,
        // so that y.mul_(2) on a non-leaf does not invalidate its own node
        return Graph.record(compute(BinaryOp.MUL, a, b), "MulBackward0", inputs(a, b),
                saved(a.requiresGrad() ? b : null, b.requiresGrad() ? a : null),
                (g, n) -> grads(n[0] ? g.mul(b) : null, n[1] ? g.mul(a) : null));
    }

    /** {@code a / b}: d/da = 1/b, d/db = -a/b². */
    public static Tensor div(Tensor a, Tensor b) {
        return Graph.record(compute(BinaryOp.DIV, a, b), "DivBackward0", inputs(a, b),
                saved(b, b.requiresGrad() ? a : null),
                (g, n) -> grads(n[0] ? g.div(b) : null, n[1] ? g.mul(a).div(b.mul(b)).neg() : null));
    }

    /** {@code a ** b}: d/da = b·a^(b-1), d/db = a^b·ln a (0 where a = 0 and b >= 0, as torch). */
    public static Tensor pow(Tensor a, Tensor b) {
        Tensor out = compute(BinaryOp.POW, a, b);
        return Graph.record(out, "PowBackward1", inputs(a, b), saved(a, b, out), (g, n) -> {
            Tensor da = n[0] ? g.mul(b).mul(a.pow(b.sub(1))) : null;
            Tensor db = null;
            if (n[1]) {
                Tensor zeroBase = a.eq(0).mul(b.ge(0));
                db = g.mul(out.mul(a.log()).where(zeroBase.eq(0), Factory.scalarOn(g, 0, g.dtype())));
            }
            return grads(da, db);
        });
    }

    /** Element-wise max; ties split the gradient evenly, as torch.maximum. */
    public static Tensor maximum(Tensor a, Tensor b) {
        return Graph.record(compute(BinaryOp.MAXIMUM, a, b), "MaximumBackward0", inputs(a, b), saved(a, b),
                (g, n) -> {
                    Tensor half = g.where(a.ne(b), g.mul(0.5));
                    return grads(n[0] ? half.mul(a.ge(b)) : null, n[1] ? half.mul(a.le(b)) : null);
                });
    }

    /** Element-wise min; ties split the gradient evenly, as torch.minimum. */
    public static Tensor minimum(Tensor a, Tensor b) {
        return Graph.record(compute(BinaryOp.MINIMUM, a, b), "MinimumBackward0", inputs(a, b), saved(a, b),
                (g, n) -> {
                    Tensor half = g.where(a.ne(b), g.mul(0.5));
                    return grads(n[0] ? half.mul(a.le(b)) : null, n[1] ? half.mul(a.ge(b)) : null);
                });
    }

    /** A comparison mask (dtype bool); not differentiable. */
    public static Tensor compare(BinaryOp op, Tensor a, Tensor b) {
        return compute(op, a, b);
    }

    /** {@code condition ? a : b} with broadcasting of all three. */
    public static Tensor where(Tensor condition, Tensor a, Tensor b) {
        Args.tensor(condition, "where", "condition");
        Args.tensor(a, "where", "input");
        Args.tensor(b, "where", "other");
        Checks.sameDevice("where", condition, a);
        Checks.sameDevice("where", a, b);
        if (condition.dtype() != DType.BOOL) {
            throw new IllegalArgumentException("where expected condition to be a boolean tensor, but got a tensor with dtype "
                    + condition.dtype().torchName());
        }
        DType t = Checks.resultType("where", Checks.operand(a), Checks.operand(b));
        Tensor ca = UnaryOps.toDType(a, t);
        Tensor cb = UnaryOps.toDType(b, t);
        int[] shape = Shape.broadcast(Shape.broadcast(condition.layout().shape(), a.layout().shape()),
                b.layout().shape());
        Tensor out = a.backend().empty(t, shape);
        a.backend().where(condition, ca, cb, out);
        return Graph.record(out, "WhereBackward0", inputs(a, b), saved(condition), (g, n) -> {
            Tensor zero = Factory.scalarOn(g, 0, g.dtype());
            return grads(n[0] ? g.where(condition, zero) : null, n[1] ? zero.where(condition, g) : null);
        });
    }
}
