package dev.antorcha.tensor;

import dev.antorcha.autograd.Engine;
import dev.antorcha.autograd.Node;
import dev.antorcha.backend.Backend;
import dev.antorcha.backend.Backends;
import dev.antorcha.backend.BinaryOp;
import dev.antorcha.backend.Storage;
import dev.antorcha.ops.Args;
import dev.antorcha.ops.BinaryOps;
import dev.antorcha.ops.IndexOps;
import dev.antorcha.ops.JoinOps;
import dev.antorcha.ops.MaskOps;
import dev.antorcha.ops.SelectionOps;
import dev.antorcha.ops.InPlace;
import dev.antorcha.ops.MatmulOps;
import dev.antorcha.ops.MovementOps;
import dev.antorcha.ops.ReduceOps;
import dev.antorcha.ops.SoftmaxOps;
import dev.antorcha.ops.UnaryOps;

/**
 * An n-dimensional array that records the operations applied to it, PyTorch's
 * {@code torch.Tensor}. A thin handle: storage + layout + dtype + autograd state; the ops live
 * in {@code dev.antorcha.ops}, one family per type, and are reached through the methods below.
 *
 * <pre>{@code
 * Tensor w = Antorcha.randn(3, 2).requiresGrad(true);
 * Tensor loss = Antorcha.ones(4, 3).matmul(w).relu().sum();
 * loss.backward();                       // w.grad() now holds d loss / d w
 * }</pre>
 */
public class Tensor {
    // Not final only for setData (PyTorch's t.data = ...), which Module.to(dtype) uses.
    private Storage storage;
    private Layout layout;
    private DType dtype;
    private boolean requiresGrad;
    private Node gradFn;
    private Tensor grad;
    /** The tensor this one is a view of (autograd views only), for in-place checks. */
    private Tensor base;

    private Tensor(Storage storage, Layout layout, DType dtype) {
        this.storage = storage;
        this.layout = layout;
        this.dtype = dtype;
    }

    /**
     * For subclasses such as {@code nn.Parameter}: a new leaf over {@code data}'s storage
     * (copied first when {@code data} is not contiguous, so that parameters are always dense).
     */
    protected Tensor(Tensor data) {
        Args.tensor(data, getClass().getSimpleName(), "data");
        Tensor d = data.isContiguous() && data.layout.offset() == 0
                && data.storage.capacity() == data.numel() ? data : data.contiguousCopy();
        this.storage = d.storage;
        this.layout = d.layout;
        this.dtype = d.dtype;
    }

    /** Low level: a tensor over existing storage. Most code wants {@code Antorcha.tensor(...)}. */
    public static Tensor fromStorage(Storage storage, Layout layout, DType dtype) {
        Args.nonNull(storage, "fromStorage", "storage", "a Storage");
        Args.nonNull(layout, "fromStorage", "layout", "a Layout");
        Args.nonNull(dtype, "fromStorage", "dtype", "a DType");
        return new Tensor(storage, layout, dtype);
    }

    /** Low level: another view of this tensor's storage, outside autograd (kernels use it). */
    public Tensor viewOf(Layout l) {
        return new Tensor(storage, l, dtype);
    }

    /** Low level: a view that remembers {@code this} as its base (used by view ops). */
    public Tensor viewWithBase(Layout l) {
        Tensor v = new Tensor(storage, l, dtype);
        v.base = base != null ? base : this;
        return v;
    }

    // ---- state -------------------------------------------------------------------------

    public Shape shape() { return Shape.wrap(layout.shape()); }
    public int size(int dim) { return shape().get(dim); }
    public int dim() { return layout.rank(); }
    public int numel() { return layout.numel(); }
    public DType dtype() { return dtype; }
    public Device device() { return storage.device(); }
    public Layout layout() { return layout; }
    public Storage storage() { return storage; }
    public boolean isContiguous() { return layout.isContiguous(); }
    /** The kernels of this tensor's device. */
    public Backend backend() { return storage.backend(); }

    // ---- autograd ----------------------------------------------------------------------

    public boolean requiresGrad() { return requiresGrad; }

    /** Marks a leaf as needing gradients (PyTorch's {@code requires_grad_}); returns this. */
    public Tensor requiresGrad(boolean value) {
        if (gradFn != null && !value) {
            throw new IllegalStateException("you can only change requires_grad flags of leaf variables. "
                    + "If you want to use a computed variable in a subgraph that doesn't require "
                    + "differentiation use var_no_grad = var.detach().");
        }
        if (value && !dtype.isFloatingPoint()) {
            throw new IllegalArgumentException("only Tensors of floating point dtype can require gradients, got "
                    + dtype.torchName());
        }
        requiresGrad = value;
        return this;
    }

    /** The accumulated gradient, or {@code null} before the first backward. */
    public Tensor grad() { return grad; }

    /** Replaces the gradient ({@code p.grad = g}); {@code null} clears it. */
    public void setGrad(Tensor g) {
        if (g != null && !g.shape().equals(shape())) {
            throw new IllegalArgumentException("assigned grad has data of a different size: "
                    + g.shape() + " vs tensor " + shape());
        }
        grad = g;
    }

    /** The operation that produced this tensor, {@code null} for leaves. */
    public Node gradFn() { return gradFn; }
    public boolean isLeaf() { return gradFn == null; }

    /** Low level, for {@code Graph}: makes this tensor the output of {@code node}. */
    public void attachGradFn(Node node) {
        gradFn = node;
        requiresGrad = true;
    }

    /** Keeps the gradient of this non-leaf tensor in {@link #grad()} after backward. */
    public Tensor retainGrad() {
        if (gradFn != null) dev.antorcha.autograd.Graph.retain(this, gradFn);
        return this;
    }

    /** Back-propagates from this scalar: fills {@code grad()} of every leaf that requires it. */
    public void backward() { Engine.backward(this, null, false); }
    /** Back-propagates {@code gradient} (same shape as this tensor). */
    public void backward(Tensor gradient) { Engine.backward(this, gradient, false); }
    public void backward(Tensor gradient, boolean retainGraph) { Engine.backward(this, gradient, retainGraph); }

    /** The same data, cut from the graph (shares storage). */
    public Tensor detach() { return new Tensor(storage, layout, dtype); }

    /** The view's base tensor, or {@code null} if this is not a view. */
    public Tensor base() { return base; }

    // ---- data out ----------------------------------------------------------------------

    /**
     * PyTorch's {@code t.data = data} for a leaf: this tensor object now stands for {@code data}'s
     * memory, shape and dtype, keeping its identity (so the module fields and optimizer lists
     * that hold it see the change) and its {@code requires_grad}. A gradient is converted to the
     * new dtype and moved to the new device. {@code Module.to(dtype)} and {@code Module.to(device)}
     * convert parameters this way.
     */
    public void setData(Tensor data) {
        Args.tensor(data, "setData", "data");
        if (gradFn != null) {
            throw new IllegalStateException("setData: only a leaf tensor's data can be replaced (this one has grad_fn "
                    + gradFn.name() + ")");
        }
        if (requiresGrad && !data.dtype.isFloatingPoint()) {
            throw new IllegalArgumentException("only Tensors of floating point dtype can require gradients, got "
                    + data.dtype.torchName());
        }
        storage = data.storage;
        layout = data.layout;
        dtype = data.dtype;
        if (grad != null && !grad.device().equals(device())) grad = grad.detach().to(device());
        if (grad != null && grad.dtype != dtype) grad = grad.to(dtype);
    }

    /**
     * The value of a one-element tensor, as a float: exact for float32, rounded for float64 (see
     * {@link #doubleItem()}); an integer value is exact or refused, never rounded: one that has no
     * exact float (beyond 2^24, unless a multiple of a power of two) throws and names
     * {@link #longItem()}, which gives every int64 exactly.
     */
    public float item() {
        if (numel() != 1) {
            throw new IllegalArgumentException("a Tensor with " + numel()
                    + " elements cannot be converted to Scalar");
        }
        if (dtype == DType.FLOAT32) return floatAt(layout.offset());
        if (dtype.isFloatingPoint()) return (float) doubleItem();
        long v = longItem();   // every integer dtype and bool, exactly
        double f = (float) v;   // exact as a double; 2^63 is no long, so the rounded Long.MAX_VALUE fails the test
        if (f >= 0x1p63 || (long) f != v) throw inexact(v, "item", "a float");
        return (float) f;
    }

    private static ArithmeticException inexact(long v, String method, String type) {
        return new ArithmeticException(method + "(): the int64 value " + v + " has no exact " + type
                + " representation; use longItem() for the exact value");
    }

    /**
     * The value of a one-element tensor as a double, PyTorch's {@code item()} (a Python float):
     * exact for float64 and float32; an int64 value without an exact double (beyond 2^53, unless
     * a multiple of a power of two) throws, naming {@link #longItem()}.
     */
    public double doubleItem() {
        if (numel() != 1) {
            throw new IllegalArgumentException("a Tensor with " + numel() + " elements cannot be converted to Scalar");
        }
        if (!dtype.isFloatingPoint()) {
            long v = longItem();   // every integer dtype and bool, exactly
            double d = v;
            if (d >= 0x1p63 || (long) d != v) throw inexact(v, "doubleItem", "a double");
            return d;
        }
        if (!hasOldStorage()) return elementAs(DType.FLOAT64).doubleItem();
        if (dtype != DType.FLOAT64) return floatAt(layout.offset());
        double[] v = new double[1];
        backend().copyToHost(this, layout.offset(), v, 0, 1);
        return v[0];
    }

    /** The value of a one-element integer tensor, exact (a floating value is truncated toward zero). */
    public long longItem() {
        if (numel() != 1) {
            throw new IllegalArgumentException("a Tensor with " + numel() + " elements cannot be converted to Scalar");
        }
        if (dtype == DType.FLOAT64 || (!hasOldStorage() && dtype.isFloatingPoint())) return (long) doubleItem();
        if (!hasOldStorage()) return elementAs(DType.INT64).longItem();
        return dtype == DType.INT64 ? longAt(layout.offset()) : (long) floatAt(layout.offset());
    }

    /** Whether the dtype is one of float32, float64 and int64, whose host copies read one element directly. */
    private boolean hasOldStorage() {
        return dtype == DType.FLOAT32 || dtype == DType.FLOAT64 || dtype == DType.INT64;
    }

    /** This one-element tensor's value converted (exactly: int64 and float64 hold every other type's values). */
    private Tensor elementAs(DType wide) {
        Tensor out = backend().empty(wide, layout.shape());
        backend().copy(this, out);
        return out;
    }

    private float floatAt(int pos) {
        float[] v = new float[1];
        backend().copyToHost(this, pos, v, 0, 1);
        return v[0];
    }

    private long longAt(int pos) {
        long[] v = new long[1];
        backend().copyToHost(this, pos, v, 0, 1);
        return v[0];
    }

    /** The elements in row-major order, as floats (a copy). */
    public float[] toFloatArray() { return backend().toFloatArray(this); }
    /** The elements in row-major order, as doubles (a copy; exact for float64). */
    public double[] toDoubleArray() { return backend().toDoubleArray(this); }
    /** The elements in row-major order, as longs (a copy). */
    public long[] toLongArray() { return backend().toLongArray(this); }

    /** A contiguous copy that is not part of the graph. */
    public Tensor contiguousCopy() {
        Tensor out = backend().empty(dtype, layout.shape());
        backend().copy(this, out);
        return out;
    }

    /**
     * {@code x.to(device)}: this tensor when it is already there, else a copy made by the backend
     * that {@link Backends} finds for {@code device} (an error naming the
     * device when none is installed). Differentiable.
     */
    public Tensor to(Device device) { return dev.antorcha.ops.DeviceOps.to(this, device); }

    /** {@code x.cpu()}: {@code to(Device.CPU)}. */
    public Tensor cpu() { return to(Device.CPU); }
    /** {@code x.cuda()}: {@code to(Device.cuda())}, the first GPU (an error that says why where there is none). */
    public Tensor cuda() { return to(Device.cuda()); }
    /** A copy converted to {@code type} (this tensor when it already has that dtype), differentiable. */
    public Tensor to(DType type) { return UnaryOps.to(this, Args.nonNull(type, "to", "dtype", "a DType")); }
    /** {@code x.double()}: {@code to(FLOAT64)} ({@code double} is a Java keyword). */
    public Tensor toDouble() { return to(DType.FLOAT64); }
    /** {@code x.float()}: {@code to(FLOAT32)} ({@code float} is a Java keyword). */
    public Tensor toFloat() { return to(DType.FLOAT32); }
    /** {@code x.half()}: {@code to(FLOAT16)}, rounded to nearest even. */
    public Tensor half() { return to(DType.FLOAT16); }
    /** {@code x.bfloat16()}: {@code to(BFLOAT16)}, rounded to nearest even. */
    public Tensor bfloat16() { return to(DType.BFLOAT16); }

    /** Ones of {@code t}'s shape and dtype on {@code t}'s device. */
    public static Tensor onesLike(Tensor t) {
        Args.tensor(t, "onesLike", "input");
        return Factory.fullOn(t, 1, t.dtype, t.layout.shape());
    }

    /** Zeros of {@code t}'s shape and dtype on {@code t}'s device. */
    public static Tensor zerosLike(Tensor t) {
        Args.tensor(t, "zerosLike", "input");
        return Factory.fullOn(t, 0, t.dtype, t.layout.shape());
    }

    @Override
    public String toString() { return TensorFormatter.format(this); }

    // ---- movement (views share storage) ----------------------------------------------------

    public Tensor view(int... shape) { return MovementOps.view(this, shape); }
    public Tensor reshape(int... shape) { return MovementOps.reshape(this, shape); }
    public Tensor flatten() { return MovementOps.flatten(this, 0, -1); }
    public Tensor flatten(int startDim, int endDim) { return MovementOps.flatten(this, startDim, endDim); }
    /** {@code torch.flatten(x, startDim)}: the dims from {@code startDim} on merged into one. */
    public Tensor flatten(int startDim) { return MovementOps.flatten(this, startDim, -1); }
    /** {@code x.split(splitSize, dim)}: views of {@code splitSize} along dim, the last one possibly smaller. */
    public java.util.List<Tensor> split(int splitSize, int dim) { return JoinOps.split(this, splitSize, dim); }
    /** {@code x.split([sizes], dim)}: views of the given sizes along dim (they must sum to its size). */
    public java.util.List<Tensor> split(int[] splitSizes, int dim) { return JoinOps.splitWithSizes(this, splitSizes, dim); }
    /** {@code x.chunk(chunks, dim)}: views of {@code ceil(n / chunks)} along dim; may be fewer than {@code chunks}. */
    public java.util.List<Tensor> chunk(int chunks, int dim) { return JoinOps.chunk(this, chunks, dim); }
    public Tensor transpose(int d0, int d1) { return MovementOps.transpose(this, d0, d1); }
    /** Transpose of a matrix ({@code <= 2} dims). */
    public Tensor t() { return MovementOps.t(this); }
    public Tensor permute(int... dims) { return MovementOps.permute(this, dims); }
    public Tensor unsqueeze(int dim) { return MovementOps.unsqueeze(this, dim); }
    public Tensor squeeze() { return MovementOps.squeeze(this); }
    public Tensor squeeze(int dim) { return MovementOps.squeeze(this, dim); }
    public Tensor expand(int... shape) { return MovementOps.expand(this, shape); }
    public Tensor expandAs(Tensor other) {
        return MovementOps.expand(this, Args.tensor(other, "expandAs", "other").layout.shape());
    }
    public Tensor narrow(int dim, int start, int length) { return MovementOps.narrow(this, dim, start, length); }
    /** Elements {@code start .. end-1} of {@code dim}, PyTorch's {@code x[:, start:end]}. */
    public Tensor slice(int dim, int start, int end) { return MovementOps.slice(this, dim, start, end, 1); }
    public Tensor slice(int dim, int start, int end, int step) { return MovementOps.slice(this, dim, start, end, step); }
    /** Index {@code index} of {@code dim}, dropping that dim ({@code x[:, 3]}). */
    public Tensor select(int dim, int index) { return MovementOps.select(this, dim, index); }
    public Tensor contiguous() { return MovementOps.contiguous(this); }
    public Tensor clone() { return MovementOps.cloneOf(this); }

    // ---- element-wise ------------------------------------------------------------------

    public Tensor add(Tensor o) { return BinaryOps.add(this, o); }
    public Tensor add(double s) { return BinaryOps.add(this, scalarLike(s)); }
    /** {@code this + alpha * o}. */
    public Tensor add(Tensor o, double alpha) {
        return BinaryOps.add(this, alpha == 1 ? o : Args.tensor(o, "add", "other").mul(alpha));
    }
    public Tensor sub(Tensor o) { return BinaryOps.sub(this, o); }
    public Tensor sub(double s) { return BinaryOps.sub(this, scalarLike(s)); }
    public Tensor mul(Tensor o) { return BinaryOps.mul(this, o); }
    public Tensor mul(double s) { return BinaryOps.mul(this, scalarLike(s)); }
    public Tensor div(Tensor o) { return BinaryOps.div(this, o); }
    public Tensor div(double s) { return BinaryOps.div(this, scalarLike(s)); }
    public Tensor pow(Tensor o) { return BinaryOps.pow(this, o); }
    public Tensor pow(double exponent) { return UnaryOps.pow(this, exponent); }
    public Tensor maximum(Tensor o) { return BinaryOps.maximum(this, o); }
    public Tensor minimum(Tensor o) { return BinaryOps.minimum(this, o); }
    public Tensor neg() { return UnaryOps.neg(this); }
    public Tensor exp() { return UnaryOps.exp(this); }
    public Tensor log() { return UnaryOps.log(this); }
    public Tensor sqrt() { return UnaryOps.sqrt(this); }
    public Tensor abs() { return UnaryOps.abs(this); }
    public Tensor relu() { return UnaryOps.relu(this); }
    public Tensor sigmoid() { return UnaryOps.sigmoid(this); }
    public Tensor tanh() { return UnaryOps.tanh(this); }
    public Tensor clamp(double min, double max) { return UnaryOps.clamp(this, min, max); }
    public Tensor clampMin(double min) { return UnaryOps.clamp(this, min, Double.POSITIVE_INFINITY); }
    public Tensor clampMax(double max) { return UnaryOps.clamp(this, Double.NEGATIVE_INFINITY, max); }
    /** {@code condition ? this : other}, PyTorch's {@code x.where(cond, y)}. */
    public Tensor where(Tensor condition, Tensor other) { return BinaryOps.where(condition, this, other); }

    public Tensor eq(Tensor o) { return BinaryOps.compare(BinaryOp.EQ, this, o); }
    public Tensor eq(double s) { return eq(scalarLike(s)); }
    public Tensor ne(Tensor o) { return BinaryOps.compare(BinaryOp.NE, this, o); }
    public Tensor ne(double s) { return ne(scalarLike(s)); }
    public Tensor lt(Tensor o) { return BinaryOps.compare(BinaryOp.LT, this, o); }
    public Tensor lt(double s) { return lt(scalarLike(s)); }
    public Tensor le(Tensor o) { return BinaryOps.compare(BinaryOp.LE, this, o); }
    public Tensor le(double s) { return le(scalarLike(s)); }
    public Tensor gt(Tensor o) { return BinaryOps.compare(BinaryOp.GT, this, o); }
    public Tensor gt(double s) { return gt(scalarLike(s)); }
    public Tensor ge(Tensor o) { return BinaryOps.compare(BinaryOp.GE, this, o); }
    public Tensor ge(double s) { return ge(scalarLike(s)); }

    // ---- matmul, reductions, softmax, indexing -----------------------------------------

    public Tensor matmul(Tensor o) { return MatmulOps.matmul(this, o); }
    public Tensor mm(Tensor o) { return MatmulOps.mm(this, o); }
    public Tensor sum() { return ReduceOps.sum(this, null, false); }
    public Tensor sum(int dim) { return ReduceOps.sum(this, new int[] {dim}, false); }
    public Tensor sum(int dim, boolean keepDim) { return ReduceOps.sum(this, new int[] {dim}, keepDim); }
    public Tensor sum(int[] dims, boolean keepDim) { return ReduceOps.sum(this, dims, keepDim); }
    /** Sums this (broadcast) tensor down to {@code shape}, undoing broadcasting. */
    public Tensor sumToSize(Shape shape) { return ReduceOps.sumToSize(this, shape); }
    public Tensor mean() { return ReduceOps.mean(this, null, false); }
    public Tensor mean(int dim) { return ReduceOps.mean(this, new int[] {dim}, false); }
    public Tensor mean(int dim, boolean keepDim) { return ReduceOps.mean(this, new int[] {dim}, keepDim); }
    public Tensor mean(int[] dims, boolean keepDim) { return ReduceOps.mean(this, dims, keepDim); }
    /** The largest element (a 0-d tensor); tied maxima share the gradient evenly, as torch's {@code x.max()}. */
    public Tensor max() { return ReduceOps.max(this, null, false, false); }
    /**
     * {@code torch.max(x, dim, keepdim)}: the maximum along {@code dim} and the position of its first
     * occurrence; the whole gradient goes to that one element.
     */
    public ValuesIndices max(int dim, boolean keepDim) { return SelectionOps.maxDim(this, dim, keepDim, false); }
    public ValuesIndices max(int dim) { return SelectionOps.maxDim(this, dim, false, false); }
    public Tensor min() { return ReduceOps.max(this, null, false, true); }
    /** {@code torch.min(x, dim, keepdim)}: as {@link #max(int, boolean)} for the minimum. */
    public ValuesIndices min(int dim, boolean keepDim) { return SelectionOps.maxDim(this, dim, keepDim, true); }
    public ValuesIndices min(int dim) { return SelectionOps.maxDim(this, dim, false, true); }
    /** {@code torch.amax}: the maximum values along {@code dim}; tied maxima share the gradient evenly. */
    public Tensor amax(int dim, boolean keepDim) { return ReduceOps.max(this, new int[] {dim}, keepDim, false); }
    /** {@code torch.amin}: as {@link #amax(int, boolean)} for the minimum. */
    public Tensor amin(int dim, boolean keepDim) { return ReduceOps.max(this, new int[] {dim}, keepDim, true); }
    /** {@code torch.topk(x, k, dim, largest, sorted)}: the k largest (smallest) along dim, best first. */
    public ValuesIndices topk(int k, int dim, boolean largest, boolean sorted) {
        return SelectionOps.topk(this, k, dim, largest, sorted);
    }
    /** {@code x.topk(k)}: the k largest along the last dim. */
    public ValuesIndices topk(int k) { return SelectionOps.topk(this, k, -1, true, true); }
    public Tensor argmax() { return ReduceOps.argmax(this, null, false, true); }
    public Tensor argmax(int dim) { return ReduceOps.argmax(this, dim, false, true); }
    public Tensor argmax(int dim, boolean keepDim) { return ReduceOps.argmax(this, dim, keepDim, true); }
    public Tensor argmin(int dim, boolean keepDim) { return ReduceOps.argmax(this, dim, keepDim, false); }
    /** Unbiased variance (Bessel's correction), as {@code torch.var}. */
    public Tensor var() { return ReduceOps.var(this, null, false, 1); }
    public Tensor var(int dim, boolean keepDim) { return ReduceOps.var(this, new int[] {dim}, keepDim, 1); }
    public Tensor var(int[] dims, boolean keepDim, int correction) { return ReduceOps.var(this, dims, keepDim, correction); }
    public Tensor logsumexp(int dim, boolean keepDim) { return SoftmaxOps.logsumexp(this, dim, keepDim); }
    public Tensor softmax(int dim) { return SoftmaxOps.softmax(this, dim); }
    public Tensor logSoftmax(int dim) { return SoftmaxOps.logSoftmax(this, dim); }
    public Tensor gather(int dim, Tensor index) { return IndexOps.gather(this, dim, index); }
    public Tensor indexSelect(int dim, Tensor index) { return IndexOps.indexSelect(this, dim, index); }

    /** {@code x.masked_fill(mask, value)}: {@code value} where the bool (or 0/1 integer) mask, broadcast to x, is true. */
    public Tensor maskedFill(Tensor mask, double value) { return MaskOps.maskedFill(this, mask, value); }
    /** {@code x.triu(diagonal)}: the last two dims' upper triangle ({@code j - i >= diagonal}), the rest 0. */
    public Tensor triu(int diagonal) { return MaskOps.triu(this, diagonal); }
    /** {@code x.tril(diagonal)}: the last two dims' lower triangle ({@code j - i <= diagonal}), the rest 0. */
    public Tensor tril(int diagonal) { return MaskOps.tril(this, diagonal); }

    // ---- in-place (version-counted) -------------------------------------------------------

    public Tensor add_(Tensor o) { return InPlace.binary(this, BinaryOp.ADD, o, "add_", t -> t.add(o)); }
    public Tensor add_(double s) { return InPlace.binary(this, BinaryOp.ADD, scalarLike(s), "add_", t -> t.add(s)); }
    public Tensor add_(Tensor o, double alpha) {
        return InPlace.addScaled(this, o, alpha, t -> t.add(o, alpha));
    }
    public Tensor sub_(Tensor o) { return InPlace.binary(this, BinaryOp.SUB, o, "sub_", t -> t.sub(o)); }
    public Tensor sub_(double s) { return InPlace.binary(this, BinaryOp.SUB, scalarLike(s), "sub_", t -> t.sub(s)); }
    public Tensor mul_(Tensor o) { return InPlace.binary(this, BinaryOp.MUL, o, "mul_", t -> t.mul(o)); }
    public Tensor mul_(double s) { return InPlace.binary(this, BinaryOp.MUL, scalarLike(s), "mul_", t -> t.mul(s)); }
    public Tensor div_(Tensor o) { return InPlace.binary(this, BinaryOp.DIV, o, "div_", t -> t.div(o)); }
    public Tensor div_(double s) { return InPlace.binary(this, BinaryOp.DIV, scalarLike(s), "div_", t -> t.div(s)); }
    public Tensor clamp_(double min, double max) { return InPlace.apply(this, "clamp_", null, t -> t.clamp(min, max)); }
    public Tensor fill_(double value) { return InPlace.fill(this, value); }
    public Tensor zero_() { return InPlace.fill(this, 0); }
    /** Copies {@code src} (broadcast, converted) into this tensor. */
    public Tensor copy_(Tensor src) { return InPlace.copy(this, src); }

    /**
     * A 0-d tensor holding the Python number {@code s} as torch's type promotion treats it: in
     * this tensor's floating dtype (so a float64 tensor times 0.1 uses the double 0.1), int64
     * for an integral s with an int64 or bool tensor (Python's int), else the default float32.
     */
    private Tensor scalarLike(double s) {
        // Python's int: an integral number with an integer or bool tensor (bool + 2 is int64, as torch)
        if ((!dtype.isFloatingPoint()) && s == Math.rint(s) && !Double.isInfinite(s)) {
            return Factory.scalarOn(this, s, DType.INT64);
        }
        return Factory.scalarOn(this, s, dtype.isFloatingPoint() ? dtype : DType.FLOAT32);
    }
}
