package dev.antorcha;

import dev.antorcha.autograd.GradMode;
import dev.antorcha.autograd.NoGrad;
import dev.antorcha.ops.Args;
import dev.antorcha.ops.BinaryOps;
import dev.antorcha.ops.IndexOps;
import dev.antorcha.ops.JoinOps;
import dev.antorcha.tensor.DType;
import dev.antorcha.tensor.Device;
import dev.antorcha.tensor.Factory;
import dev.antorcha.tensor.Generator;
import dev.antorcha.tensor.Tensor;

/**
 * The {@code torch} namespace: tensor factories, grad mode and seeding.
 *
 * <pre>{@code
 * Antorcha.manualSeed(0);
 * Tensor x = Antorcha.randn(128, 784);
 * try (var g = Antorcha.noGrad()) { ... }
 * }</pre>
 */
public final class Antorcha {
    private Antorcha() {
    }

    /** Disables gradient recording until the returned scope is closed. */
    public static NoGrad noGrad() {
        return NoGrad.enter();
    }

    public static boolean isGradEnabled() {
        return GradMode.isEnabled();
    }

    /** Seeds the default generator (initialisation, {@code rand}, {@code randn}, dropout, shuffling). */
    public static void manualSeed(long seed) {
        Generator.defaultGenerator().manualSeed(seed);
    }

    /** The default generator's state, PyTorch's {@code torch.get_rng_state()}; see {@link Generator#getState()}. */
    public static Tensor getRngState() {
        return Generator.defaultGenerator().getState();
    }

    /** Restores the default generator's state, PyTorch's {@code torch.set_rng_state()}. */
    public static void setRngState(Tensor state) {
        Generator.defaultGenerator().setState(Args.tensor(state, "setRngState", "newState"));
    }

    /**
     * PyTorch's {@code torch.set_default_device}: factories without a device ({@code zeros},
     * {@code tensor}, {@code randn}, new modules' parameters) create tensors on {@code device}.
     *
     * @throws IllegalStateException when {@code device} cannot be used (a missing GPU: the reason)
     */
    public static void setDefaultDevice(Device device) {
        Factory.setDefaultDevice(device);
    }

    /** {@code torch.get_default_device()}: {@link Device#CPU} unless {@link #setDefaultDevice} said otherwise. */
    public static Device getDefaultDevice() {
        return Factory.defaultDevice();
    }

    /** Sets the number of threads the CPU kernels use (results do not depend on it). */
    public static void setNumThreads(int n) {
        dev.antorcha.backend.Backends.cpu().setNumThreads(n);
    }

    public static int getNumThreads() {
        return dev.antorcha.backend.Backends.cpu().numThreads();
    }

    public static Tensor zeros(int... shape) { return Factory.full(0, DType.FLOAT32, size(shape, "zeros")); }
    public static Tensor ones(int... shape) { return Factory.full(1, DType.FLOAT32, size(shape, "ones")); }
    public static Tensor full(double value, int... shape) { return Factory.full(value, DType.FLOAT32, size(shape, "full")); }
    public static Tensor zeros(DType dtype, int... shape) { return Factory.full(0, dtype(dtype, "zeros"), size(shape, "zeros")); }
    public static Tensor ones(DType dtype, int... shape) { return Factory.full(1, dtype(dtype, "ones"), size(shape, "ones")); }
    public static Tensor zerosLike(Tensor t) { return Tensor.zerosLike(t); }
    public static Tensor onesLike(Tensor t) { return Tensor.onesLike(t); }
    public static Tensor fullLike(Tensor t, double value) {
        Args.tensor(t, "fullLike", "input");
        return Factory.full(value, t.dtype(), t.shape().toArray());
    }
    /** A 0-d float32 tensor. */
    public static Tensor scalar(double value) { return Factory.scalar(value, DType.FLOAT32); }

    /** {@code [0, 1, ..., end-1]} as int64 ({@code torch.arange(end)}). */
    public static Tensor arange(long end) { return Factory.arange(end); }
    /** Float32 range {@code start, start+step, ...} below {@code end}. */
    public static Tensor arange(double start, double end, double step) { return Factory.arange(start, end, step); }
    public static Tensor eye(int n) { return Factory.eye(n, n); }
    public static Tensor eye(int n, int m) { return Factory.eye(n, m); }

    /** Uniform in [0, 1) from the default generator. */
    public static Tensor rand(int... shape) { return Factory.rand(Generator.defaultGenerator(), size(shape, "rand")); }
    /** Standard normal from the default generator. */
    public static Tensor randn(int... shape) { return Factory.randn(Generator.defaultGenerator(), size(shape, "randn")); }
    /** Uniform in [0, 1) of {@code dtype} (float64: the float32 draws widened; see {@code Backend.uniform}). */
    public static Tensor rand(DType dtype, int... shape) { return Factory.rand(Generator.defaultGenerator(), dtype(dtype, "rand"), size(shape, "rand")); }
    /** Standard normal of {@code dtype} (float64: the float32 draws widened; see {@code Backend.normal}). */
    public static Tensor randn(DType dtype, int... shape) { return Factory.randn(Generator.defaultGenerator(), dtype(dtype, "randn"), size(shape, "randn")); }
    public static Tensor rand(Generator g, int... shape) { return Factory.rand(generator(g, "rand"), size(shape, "rand")); }
    public static Tensor randn(Generator g, int... shape) { return Factory.randn(generator(g, "randn"), size(shape, "randn")); }

    /** A 1-D float32 tensor holding a copy of {@code data}, as {@code torch.tensor([...])}. */
    public static Tensor tensor(float[] data) { return Factory.of(data(data, "tensor"), new int[] {data.length}); }
    /** A float32 tensor holding a copy of {@code data} with {@code shape} (an empty shape is 0-d). */
    public static Tensor tensor(float[] data, int... shape) { return Factory.of(data(data, "tensor"), size(shape, "tensor")); }
    /** A 2-D float32 tensor from rows. */
    public static Tensor tensor(float[][] rows) { return Factory.of(Args.nonNull(rows, "tensor", "data", "a float[][]")); }
    /** A 1-D float64 tensor holding a copy of {@code data}, as {@code torch.tensor([...], dtype=torch.float64)}. */
    public static Tensor tensor(double[] data) { return Factory.ofDoubles(data(data, "tensor"), new int[] {data.length}); }
    /** A float64 tensor holding a copy of {@code data} with {@code shape} (an empty shape is 0-d). */
    public static Tensor tensor(double[] data, int... shape) { return Factory.ofDoubles(data(data, "tensor"), size(shape, "tensor")); }
    /** A 1-D int64 tensor (labels, indices) holding a copy of {@code data}. */
    public static Tensor tensor(long[] data) { return Factory.ofLongs(data(data, "tensor"), new int[] {data.length}); }
    /** An int64 tensor holding a copy of {@code data} with {@code shape} (an empty shape is 0-d). */
    public static Tensor tensor(long[] data, int... shape) { return Factory.ofLongs(data(data, "tensor"), size(shape, "tensor")); }

    /** {@code condition ? a : b} element-wise, with broadcasting. */
    public static Tensor where(Tensor condition, Tensor a, Tensor b) { return BinaryOps.where(condition, a, b); }
    /** {@code torch.cat(tensors, dim)}: joined along an existing dim, dtypes promoted; differentiable. */
    public static Tensor cat(java.util.List<Tensor> tensors, int dim) { return JoinOps.cat(list(tensors, "cat"), dim); }
    public static Tensor cat(Tensor[] tensors, int dim) { return JoinOps.cat(tensors, dim); }
    /** {@code torch.cat(tensors)} along dim 0. */
    public static Tensor cat(java.util.List<Tensor> tensors) { return JoinOps.cat(list(tensors, "cat"), 0); }
    public static Tensor cat(Tensor... tensors) { return JoinOps.cat(tensors, 0); }
    /** {@code torch.stack(tensors, dim)}: tensors of one shape joined along a new dim; differentiable. */
    public static Tensor stack(java.util.List<Tensor> tensors, int dim) { return JoinOps.stack(list(tensors, "stack"), dim); }
    public static Tensor stack(Tensor[] tensors, int dim) { return JoinOps.stack(tensors, dim); }
    /** {@code torch.stack(tensors)} along a new dim 0. */
    public static Tensor stack(java.util.List<Tensor> tensors) { return JoinOps.stack(list(tensors, "stack"), 0); }
    public static Tensor stack(Tensor... tensors) { return JoinOps.stack(tensors, 0); }

    private static Tensor[] list(java.util.List<Tensor> tensors, String op) {
        return Args.nonNull(tensors, op, "tensors", "a list of Tensors").toArray(Tensor[]::new);
    }

    /** int64 one-hot encoding of int64 {@code labels}. */
    public static Tensor oneHot(Tensor labels, int numClasses) { return IndexOps.oneHot(labels, numClasses); }

    // Null checks with the factory's name, so that zeros(null) says which call and argument.
    private static int[] size(int[] shape, String op) { return Args.ints(shape, op, "size"); }
    private static DType dtype(DType dtype, String op) { return Args.nonNull(dtype, op, "dtype", "a DType"); }
    private static Generator generator(Generator g, String op) { return Args.nonNull(g, op, "generator", "a Generator"); }
    private static float[] data(float[] data, String op) { return Args.nonNull(data, op, "data", "a float[]"); }
    private static double[] data(double[] data, String op) { return Args.nonNull(data, op, "data", "a double[]"); }
    private static long[] data(long[] data, String op) { return Args.nonNull(data, op, "data", "a long[]"); }
}
