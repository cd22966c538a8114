package dev.antorcha.cuda;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.antorcha.Antorcha;
import dev.antorcha.Cuda;
import dev.antorcha.backend.Backend;
import dev.antorcha.backend.Backends;
import dev.antorcha.backend.BinaryOp;
import dev.antorcha.backend.UnaryOp;
import dev.antorcha.nn.Linear;
import dev.antorcha.nn.Module;
import dev.antorcha.nn.Reduction;
import dev.antorcha.nn.functional.F;
import dev.antorcha.optim.Adam;
import dev.antorcha.optim.Optimizer;
import dev.antorcha.optim.SGD;
import dev.antorcha.tensor.DType;
import dev.antorcha.tensor.Device;
import dev.antorcha.tensor.Tensor;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The CUDA backend against the CPU backend, op by op and through a few training steps: on a real
 * GPU where there is one ({@code bench/gpu-check.sh} runs these on a lent one), else on
 * {@link EmulatedGpu}, whose kernels are Java, so that the backend's host side is checked
 * everywhere (CI has no GPU). Kernels of the same formula agree to float32 rounding; cuBLAS's sums
 * run in another order, so products agree to a relative 1e-5 of their scale; ops the host runs
 * for the GPU agree exactly.
 */
class CudaBackendTest {
    private static final Device GPU = Device.cuda();
    private static Backend gpu;
    private static Backend cpu;

    @BeforeEach
    void needsAGpu() {
        assumeTrue(Cuda.isAvailable(), () -> "no usable GPU, real or emulated: " + Cuda.unavailableReason());
        gpu = Backends.forDevice(GPU);
        cpu = Backends.cpu();
    }

    private static Tensor randn(long seed, int... shape) {
        Antorcha.manualSeed(seed);
        return Antorcha.randn(shape);
    }

    /** Whether these tests run on {@link EmulatedGpu} (no real GPU here). */
    private static boolean emulated() {
        return ((CudaBackend) gpu).gpu instanceof EmulatedGpu;
    }

    /** {@code |g − c| <= atol + rtol·|c|} element by element, after moving {@code g} to the CPU. */
    private static void assertClose(Tensor g, Tensor c, double rtol, double atol) {
        assertThat(g.device()).isEqualTo(GPU);
        assertThat(g.shape()).isEqualTo(c.shape());
        assertThat(g.dtype()).isEqualTo(c.dtype());
        double[] a = g.to(Device.CPU).toDoubleArray(), b = c.toDoubleArray();
        for (int i = 0; i < a.length; i++) {
            if (Double.isNaN(b[i])) {
                assertThat(a[i]).as("element %d", i).isNaN();
                continue;
            }
            assertThat(Math.abs(a[i] - b[i])).as("element %d: %s against %s", i, a[i], b[i]).isLessThanOrEqualTo(atol + rtol * Math.abs(b[i]));
        }
    }

    private static void assertSame(Tensor g, Tensor c) {
        assertClose(g, c, 0, 0);
    }

    @Test
    void tensorsAndViewsGoThereAndBackUnchanged() {
        Tensor x = randn(1, 7, 5);
        for (Tensor t : List.of(x, x.t(), x.narrow(0, 2, 3), x.to(DType.FLOAT64), x.gt(0), x.mul(100).to(DType.INT64))) {
            Tensor g = t.to(GPU);
            assertThat(g.device()).isEqualTo(GPU);
            assertSame(g, t.contiguousCopy());
        }
        assertThat(Antorcha.scalar(3.5).to(GPU).item()).isEqualTo(3.5f);
    }

    @Test
    void everyUnaryOpOfBothFloatTypes() {
        for (DType d : List.of(DType.FLOAT32, DType.FLOAT64)) {
            Tensor x = randn(2, 4, 33).to(d), positive = x.abs().add(0.1);
            for (UnaryOp op : UnaryOp.values()) {
                Tensor in = op == UnaryOp.LOG || op == UnaryOp.SQRT || op == UnaryOp.POW_SCALAR ? positive : x;
                double p0 = op == UnaryOp.CLAMP ? -0.5 : 1.7, p1 = 0.25;
                Tensor c = cpu.empty(d, 4, 33), g = gpu.empty(d, 4, 33);
                cpu.unary(op, in, c, p0, p1);
                gpu.unary(op, in.to(GPU), g, p0, p1);
                assertClose(g, c, d == DType.FLOAT32 ? 2e-6 : 1e-14, 0);
            }
        }
    }

    @Test
    void binaryOpsBroadcastAndCompare() {
        Tensor a = randn(3, 3, 1, 5), b = randn(4, 4, 5);
        for (BinaryOp op : BinaryOp.values()) {
            if (op == BinaryOp.POW) continue;
            DType outType = op.isComparison() ? DType.BOOL : DType.FLOAT32;
            Tensor c = cpu.empty(outType, 3, 4, 5), g = gpu.empty(outType, 3, 4, 5);
            cpu.binary(op, a, b, c);
            gpu.binary(op, a.to(GPU), b.to(GPU), g);
            assertClose(g, c, 0, 0);
        }
        Tensor i = a.mul(1000).to(DType.INT64), j = b.mul(1000).to(DType.INT64);
        assertSame(i.to(GPU).add(j.to(GPU)), i.add(j));
        assertSame(a.to(GPU).transpose(0, 2).mul(2).add(1), a.transpose(0, 2).mul(2).add(1));
    }

    @Test
    void copiesBetweenDtypesAndLayouts() {
        Tensor x = randn(5, 6, 7).mul(3);
        for (DType from : List.of(DType.FLOAT32, DType.FLOAT64, DType.INT64, DType.INT32, DType.BOOL, DType.UINT8)) {
            Tensor src = x.to(from);
            for (DType to : List.of(DType.FLOAT32, DType.FLOAT64, DType.INT64, DType.BOOL)) {
                assertSame(src.to(GPU).to(to), src.to(to));
                assertSame(src.to(GPU).t().to(to), src.t().to(to));
            }
        }
    }

    @Test
    void sumsOverAnyDims() {
        Tensor x = randn(6, 4, 5, 6), g = x.to(GPU);
        assertClose(g.sum(), x.sum(), 1e-5, 1e-5);
        assertClose(g.sum(1), x.sum(1), 1e-5, 1e-5);
        assertClose(g.sum(0, true), x.sum(0, true), 1e-5, 1e-5);
        assertClose(g.transpose(0, 2).sum(2), x.transpose(0, 2).sum(2), 1e-5, 1e-5);
    }

    @Test
    void matrixProductsOfViewsAndBatches() {
        Tensor a = randn(7, 5, 7), b = randn(8, 7, 3), at = randn(9, 7, 5).t(), bt = randn(10, 3, 7).t();
        Tensor a3 = randn(11, 2, 5, 7), b3 = randn(12, 2, 7, 3);
        for (Tensor[] p : List.of(new Tensor[] {a, b}, new Tensor[] {at, b}, new Tensor[] {a, bt}, new Tensor[] {at, bt},
                new Tensor[] {a3, b}, new Tensor[] {a3, b3})) {
            assertClose(p[0].to(GPU).matmul(p[1].to(GPU)), p[0].matmul(p[1]), 1e-5, 1e-5);
        }
        Tensor w = randn(13, 4, 7), bias = randn(14, 4);
        assertClose(F.linear(a.to(GPU), w.to(GPU), bias.to(GPU)), F.linear(a, w, bias), 1e-5, 1e-5);
        assertClose(F.linear(a3.to(GPU), w.to(GPU), null), F.linear(a3, w, null), 1e-5, 1e-5);
    }

    /** The forward and the input's gradient of {@code f} on both devices. */
    private static void sameForwardAndGradient(Tensor x, Function<Tensor, Tensor> f, double rtol, double atol) {
        Tensor xc = x.detach().requiresGrad(true), xg = x.to(GPU).detach().requiresGrad(true);
        Tensor yc = f.apply(xc), yg = f.apply(xg);
        assertClose(yg, yc, rtol, atol);
        Tensor seed = randn(99, yc.shape().toArray());
        yc.backward(seed);
        yg.backward(seed.to(GPU));
        assertClose(xg.grad(), xc.grad(), rtol, atol);
    }

    @Test
    void logSoftmaxAndCrossEntropyWithTheirGradients() {
        Tensor logits = randn(15, 6, 10).mul(3);
        sameForwardAndGradient(logits, x -> F.logSoftmax(x, 1), 1e-5, 1e-6);
        Tensor target = Antorcha.tensor(new long[] {3, 0, 9, -100, 2, 3});
        for (Reduction r : Reduction.values()) {
            Tensor lc = logits.detach().requiresGrad(true), lg = logits.to(GPU).detach().requiresGrad(true);
            Tensor ec = F.crossEntropy(lc, target, r, -100, 0), eg = F.crossEntropy(lg, target.to(GPU), r, -100, 0);
            assertClose(eg, ec, 1e-5, 1e-6);
            Tensor seed = r == Reduction.NONE ? randn(16, 6) : Antorcha.scalar(1.5);
            ec.backward(seed);
            eg.backward(seed.to(GPU));
            assertClose(lg.grad(), lc.grad(), 1e-5, 1e-7);
        }
        assertSame(logits.to(GPU).argmax(1), logits.argmax(1));
    }

    @Test
    void maxPoolingWithTiesPaddingAndOverlapsAndItsGradient() {
        Tensor x = randn(23, 2, 3, 11, 10).relu();   // ties: a quarter to half the values are 0
        sameForwardAndGradient(x, t -> F.maxPool2d(t, 2), 0, 0);
        sameForwardAndGradient(x, t -> F.maxPool2d(t, new int[] {3, 3}, new int[] {2, 1}, new int[] {1, 1}, new int[] {1, 2}, true),
                1e-6, 1e-6);   // overlapping windows: the gradient's adds in another order
    }

    @Test
    void convolutionsOfEveryGeometryWithTheirGradients() {
        Tensor b = randn(19, 4);
        for (int[] g : new int[][] {{1, 0, 1}, {2, 1, 1}, {1, 2, 2}, {3, 1, 2}}) {   // stride, padding, dilation
            Tensor x = randn(17, 3, 3, 13, 12), w = randn(18, 4, 3, 3, 3);
            int[] st = {g[0], g[0]}, pad = {g[1], g[1]}, dil = {g[2], g[2]};
            Tensor wc = w.detach().requiresGrad(true), wg = w.to(GPU).detach().requiresGrad(true), bg = b.to(GPU);
            sameForwardAndGradient(x, t -> t.device().equals(GPU) ? F.conv2d(t, wg, bg, st, pad, dil, 1)
                    : F.conv2d(t, wc, b, st, pad, dil, 1), 1e-5, 1e-5);
            assertClose(wg.grad(), wc.grad(), 1e-5, 1e-4);
        }
    }

    @Test
    void aTwoLayerLstmWithItsGradientsOnTheDevicesKernels() {
        Antorcha.manualSeed(70);
        dev.antorcha.nn.LSTM cpuLstm = new dev.antorcha.nn.LSTM(6, 5, dev.antorcha.nn.RNNOptions.defaults().numLayers(2));
        Antorcha.manualSeed(70);
        dev.antorcha.nn.LSTM gpuLstm = new dev.antorcha.nn.LSTM(6, 5, dev.antorcha.nn.RNNOptions.defaults().numLayers(2));
        gpuLstm.to(GPU);
        Tensor x = randn(71, 7, 3, 6);
        long before = HostFallback.RUNS.get();
        sameForwardAndGradient(x, t -> t.device().equals(GPU) ? gpuLstm.forward(t) : cpuLstm.forward(t), 2e-5, 1e-6);
        for (int i = 0; i < cpuLstm.parameters().size(); i++) {
            assertClose(gpuLstm.parameters().get(i).grad(), cpuLstm.parameters().get(i).grad(), 2e-5, 1e-5);
        }
        assertThat(HostFallback.RUNS.get() - before).as("ops of the LSTM run on the host").isZero();
    }

    @Test
    void anEmbeddingNllAndClippedGradientsOnTheDevicesKernels() {
        Antorcha.manualSeed(80);
        dev.antorcha.nn.Embedding cpuEmb = new dev.antorcha.nn.Embedding(30, 8);
        Antorcha.manualSeed(80);
        dev.antorcha.nn.Embedding gpuEmb = new dev.antorcha.nn.Embedding(30, 8);
        gpuEmb.to(GPU);
        Tensor tokens = Antorcha.tensor(new long[] {3, 29, 3, 0, 17, 3}, 2, 3), target = Antorcha.tensor(new long[] {1, 7});
        long before = HostFallback.RUNS.get();
        float[] norms = new float[2];
        for (boolean device : new boolean[] {false, true}) {
            dev.antorcha.nn.Embedding emb = device ? gpuEmb : cpuEmb;
            Tensor logits = emb.forward(device ? tokens.to(GPU) : tokens).sum(1);   // [2, 8]
            Tensor loss = F.nllLoss(F.logSoftmax(logits, 1), device ? target.to(GPU) : target);
            loss.backward();
            norms[device ? 1 : 0] = dev.antorcha.nn.utils.ClipGrad.clipGradNorm_(emb.parameters(), 0.1, 2.0, false).item();
        }
        assertThat(norms[1]).isCloseTo(norms[0], org.assertj.core.data.Offset.offset(1e-5f));
        assertClose(gpuEmb.weight.grad(), cpuEmb.weight.grad(), 1e-5, 1e-6);
        // on the host: only the lookup's bounds check, the min and max of the int64 tokens (two small reductions)
        assertThat(HostFallback.RUNS.get() - before).as("ops run on the host").isEqualTo(2);
    }

    @Test
    void opsTheHostRunsForTheGpuGiveTheCpusBits() {
        Tensor x = randn(17, 2, 3, 9, 9);
        assertSame(F.avgPool2d(x.to(GPU), 3), F.avgPool2d(x, 3));
        assertSame(x.to(GPU).reshape(6, 81).topk(5, 1, true, true).indices(), x.reshape(6, 81).topk(5, 1, true, true).indices());
        Tensor xc = x.detach().requiresGrad(true), xg = x.to(GPU).detach().requiresGrad(true);
        F.dropout2d(xc, 0.5, true, seeded(3)).sum().backward();
        F.dropout2d(xg, 0.5, true, seeded(3)).sum().backward();
        assertSame(xg.grad(), xc.grad());   // the same draws: the CPU's generator
        assertSame(F.dropout(x.to(GPU), 0.25, true, seeded(4)), F.dropout(x, 0.25, true, seeded(4)));   // a kernel, the host's draws
    }

    private static dev.antorcha.tensor.Generator seeded(long seed) {
        return new dev.antorcha.tensor.Generator(seed);
    }

    /** Steps of {@code make}'s optimizer on the same parameter and gradients, on both devices. */
    private static void sameSteps(Function<List<Tensor>, Optimizer> make) {
        Tensor p = randn(20, 50, 40);
        Tensor pc = p.detach().requiresGrad(true), pg = p.to(GPU).detach().requiresGrad(true);
        Optimizer oc = make.apply(List.of(pc)), og = make.apply(List.of(pg));
        for (int step = 0; step < 4; step++) {
            Tensor g = randn(21 + step, 50, 40);
            oc.zeroGrad();
            og.zeroGrad();
            pc.mul(g).sum().backward();
            pg.mul(g.to(GPU)).sum().backward();
            oc.step();
            og.step();
        }
        assertClose(pg.detach(), pc.detach(), 2e-6, 1e-7);
    }

    @Test
    void adamSgdAndAdadeltaStepLikeTheCpu() {
        sameSteps(ps -> new Adam(ps, 0.01));
        sameSteps(ps -> new SGD(ps, new SGD.Options(0.1, 0.9, 0, 0.01, true)));
        sameSteps(ps -> new dev.antorcha.optim.Adadelta(ps, 1.0));
    }

    @Test
    void theTutorialsNetworkTrainsToTheCpusLosses() {
        Antorcha.manualSeed(7);
        Module cpuNet = net(), gpuNet = net();
        gpuNet.loadStateDict(cpuNet.stateDict(), true);
        gpuNet.to(GPU);
        Optimizer oc = new Adam(cpuNet.parameters(), 0.001), og = new Adam(gpuNet.parameters(), 0.001);
        List<Float> lc = new ArrayList<>(), lg = new ArrayList<>();
        for (int step = 0; step < 10; step++) {
            Tensor x = randn(30 + step, 64, 784);
            Antorcha.manualSeed(40 + step);
            Tensor y = Antorcha.rand(64).mul(10).to(DType.INT64);
            lc.add(trainStep(cpuNet, oc, x, y));
            lg.add(trainStep(gpuNet, og, x.to(GPU), y.to(GPU)));
        }
        for (int i = 0; i < lc.size(); i++) assertThat(lg.get(i)).as("step %d", i).isCloseTo(lc.get(i), org.assertj.core.data.Offset.offset(1e-4f));
    }

    private static Module net() {
        return new dev.antorcha.nn.Sequential(new Linear(784, 100), new dev.antorcha.nn.ReLU(), new Linear(100, 50),
                new dev.antorcha.nn.ReLU(), new Linear(50, 10));
    }

    private static float trainStep(Module net, Optimizer opt, Tensor x, Tensor y) {
        Tensor out = net.forward(x);
        net.zeroGrad();
        Tensor loss = F.crossEntropy(out, y);
        loss.backward();
        opt.step();
        return loss.item();
    }

    @Test
    void aLongTrainingLoopDoesNotGrowTheDevicesMemory() {
        CachingAllocator allocator = ((CudaBackend) gpu).gpu.allocator();
        Antorcha.manualSeed(8);
        Module model = net().to(GPU);
        Optimizer opt = new Adam(model.parameters(), 0.001);
        Tensor x = randn(50, 128, 784).to(GPU);
        Antorcha.manualSeed(51);
        Tensor y = Antorcha.rand(128).mul(10).to(DType.INT64).to(GPU);
        long firstHalf = 0, secondHalf = 0;
        int steps = emulated() ? 60 : 1000;   // the emulation's products are plain loops
        for (int step = 0; step < steps; step++) {
            trainStep(model, opt, x, y);
            long reserved = allocator.allocated() + allocator.cached();
            if (step < steps / 2) firstHalf = Math.max(firstHalf, reserved);
            else secondHalf = Math.max(secondHalf, reserved);
        }
        System.out.printf("device memory over %d steps of the tutorial's network on %s: at most %.1f MiB in the first half, "
                + "%.1f MiB in the second; %d collections asked for%n", steps, gpu.describeKernels(), firstHalf / 1048576.0,
                secondHalf / 1048576.0, allocator.collections());
        assertThat(secondHalf).isLessThanOrEqualTo(firstHalf + (64L << 20));
    }

    @Test
    void aTrainingStepOfTheMlpAndOfTheCnnRunsWhollyOnTheDevice() {
        Antorcha.manualSeed(9);
        Module mlp = net().to(GPU);
        Optimizer adam = new Adam(mlp.parameters(), 0.001);
        Tensor x = randn(60, 32, 784).to(GPU);
        Tensor y = Antorcha.tensor(new long[32]).to(GPU);
        trainStep(mlp, adam, x, y);   // kernels compiled, optimizer state made
        long before = HostFallback.RUNS.get();
        trainStep(mlp, adam, x, y);
        assertThat(HostFallback.RUNS.get() - before).as("ops of an MLP step run on the host").isZero();

        Module cnn = new dev.antorcha.nn.Sequential(new dev.antorcha.nn.Conv2d(1, 4, 3), new dev.antorcha.nn.ReLU(),
                new dev.antorcha.nn.MaxPool2d(2), new dev.antorcha.nn.Flatten(), new Linear(4 * 13 * 13, 10)).to(GPU);
        Optimizer adadelta = new dev.antorcha.optim.Adadelta(cnn.parameters(), 1.0);
        Tensor images = randn(61, 8, 1, 28, 28).to(GPU), labels = Antorcha.tensor(new long[8]).to(GPU);
        trainStep(cnn, adadelta, images, labels);
        before = HostFallback.RUNS.get();
        trainStep(cnn, adadelta, images, labels);
        assertThat(HostFallback.RUNS.get() - before).as("ops of a CNN step (without dropout) run on the host").isZero();
        if (emulated()) {
            assertThat(((EmulatedGpu) ((CudaBackend) gpu).gpu).launches).containsKeys("im2col", "col2im", "max_pool2d",
                    "max_pool2d_backward", "adadelta", "adam", "cross_entropy_backward", "gemm");
        }
    }

    @Test
    void memoryIsCountedAndCached() {
        long before = Cuda.memoryAllocated();
        Tensor big = Antorcha.zeros(1 << 20).to(GPU);
        assertThat(Cuda.memoryAllocated()).isGreaterThanOrEqualTo(before + (4L << 20));
        assertThat(Cuda.maxMemoryAllocated()).isGreaterThanOrEqualTo(Cuda.memoryAllocated());
        assertThat(big.sum().item()).isZero();
        Cuda.synchronize();
        Cuda.emptyCache();
    }
}
