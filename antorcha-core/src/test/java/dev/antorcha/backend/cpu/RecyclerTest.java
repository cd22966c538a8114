package dev.antorcha.backend.cpu;

import static org.assertj.core.api.Assertions.assertThat;

import dev.antorcha.Antorcha;
import dev.antorcha.nn.functional.F;
import dev.antorcha.tensor.DType;
import dev.antorcha.tensor.Generator;
import dev.antorcha.tensor.Tensor;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.function.Supplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The recycling of large arrays ({@link Recycler}): an array comes back only once no tensor can
 * reach it, and every op that takes memory without clearing it writes all of it. The second is
 * checked by poisoning: arrays handed out filled with NaN (-1 for int64), the op run at shapes that
 * reach each of its kernels (Winograd, the direct and the lowered convolutions, the GEMM's paths,
 * pooling with and without overlap, dropout, integer and float unary ops), forward and backward,
 * and its results compared bit for bit with the same op on fresh (zeroed) arrays.
 */
class RecyclerTest {
    @AfterEach
    void unpoison() {
        Recycler.poisonForTests(false);
    }

    @Test
    void anArrayComesBackOnlyWhenItsTensorIsUnreachable() throws InterruptedException {
        Recycler.clearForTests();
        int n = Recycler.MIN_ELEMENTS + 5;
        List<Tensor> held = new ArrayList<>();
        IdentityHashMap<float[], Boolean> seen = new IdentityHashMap<>();
        for (int i = 0; i < 8; i++) {
            Tensor t = cpu().uninitialized(DType.FLOAT32, n);
            assertThat(seen.put(CpuStorage.floats(t), true)).as("an array of a tensor still held came back").isNull();
            held.add(t);
            System.gc();
        }
        // drop them all: after a collection each array is handed out again, each once
        IdentityHashMap<float[], Boolean> old = new IdentityHashMap<>(seen);
        held.clear();
        float[] back = null;
        for (int tries = 0; tries < 50 && back == null; tries++) {
            System.gc();
            Thread.sleep(10);
            Tensor t = cpu().uninitialized(DType.FLOAT32, n);
            if (old.containsKey(CpuStorage.floats(t))) back = CpuStorage.floats(t);
            held.add(t);
        }
        assertThat(back).as("an unreachable tensor's array is taken again").isNotNull();
        IdentityHashMap<float[], Boolean> now = new IdentityHashMap<>();
        for (Tensor t : held) assertThat(now.put(CpuStorage.floats(t), true)).as("one array in two live tensors").isNull();
    }

    /**
     * With a young generation of a few MB (the launcher's for the CNN), an array whose tensor was just
     * dropped comes back at the next request of its length, without a collection before it: a miss
     * while storages of that length are tracked provokes one. Before, the request missed until a
     * collection came by itself, and the CNN made new arrays in the old generation meanwhile (about
     * 150 full collections an epoch).
     */
    @Test
    void aDroppedArrayComesBackAtTheNextRequestInASmallYoungGeneration() throws Exception {
        String javaBin = java.nio.file.Path.of(System.getProperty("java.home"), "bin", "java").toString();
        Process p = new ProcessBuilder(javaBin, "-XX:+UseSerialGC", "-Xmx240m", "-Xms240m", "-Xmn6m", "-XX:SurvivorRatio=1",
                "-XX:PretenureSizeThreshold=1m", "-cp", System.getProperty("java.class.path"), RecyclerProbe.class.getName())
                .redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
        assertThat(p.waitFor()).as(out).isZero();
        assertThat(out.strip()).isEqualTo("same");
    }

    @Test
    void smallZeroedAndOtherLengthsAreNeverRecycled() throws InterruptedException {
        Recycler.clearForTests();
        int n = Recycler.MIN_ELEMENTS;
        float[] zeroed = CpuStorage.floats(cpu().empty(DType.FLOAT32, n));
        float[] small = CpuStorage.floats(cpu().uninitialized(DType.FLOAT32, n - 1));
        float[] other = CpuStorage.floats(cpu().uninitialized(DType.FLOAT32, n + 1));
        for (int i = 0; i < 5; i++) {
            System.gc();
            Thread.sleep(10);
            float[] a = CpuStorage.floats(cpu().uninitialized(DType.FLOAT32, n));
            assertThat(a).isNotSameAs(zeroed).isNotSameAs(small).isNotSameAs(other);
            assertThat(a).as("a fresh array is zeroed").containsOnly(0f);
        }
    }

    @Test
    void releaseLetsEveryKeptArrayGo() throws InterruptedException {
        Recycler.clearForTests();
        for (int i = 0; i < 4; i++) cpu().uninitialized(DType.FLOAT64, Recycler.MIN_ELEMENTS);
        for (int i = 0; i < 20 && Recycler.freeBytesForTests() == 0; i++) {
            System.gc();
            Thread.sleep(10);
        }
        assertThat(Recycler.freeBytesForTests()).isPositive();
        Recycler.release();
        assertThat(Recycler.freeBytesForTests()).isZero();
    }

    @Test
    void spentGradientsComeBackAtOnceAndKeptOnesNever() {
        Generator g = new Generator(11);
        Tensor a = Antorcha.randn(g, 512, 600).requiresGrad(true), b = Antorcha.randn(g, 600, 520).requiresGrad(true);
        Tensor e = Antorcha.randn(g, 520, 4);
        Tensor h = a.matmul(b);                      // [512, 520]: its gradient is made and spent in the backward
        Tensor loss = h.relu().matmul(e).sum();
        Tensor x = Antorcha.randn(g, 64, 32, 24, 24).requiresGrad(true);
        Tensor pooled = F.maxPool2d(x, new int[] {2}, null, new int[] {0}, new int[] {1}, false);   // indices spent with the node
        loss = loss.add(pooled.sum());
        long before = Recycler.givenForTests();
        loss.backward();
        assertThat(Recycler.givenForTests() - before).as("arrays given back by the engine and the pooling's node").isGreaterThanOrEqualTo(2);
        float[] ga = a.grad().toFloatArray(), gb = b.grad().toFloatArray(), gx = x.grad().toFloatArray();
        float[] hv = h.toFloatArray(), pv = pooled.toFloatArray();
        // whatever the lists hand out now is written over: nothing still reachable may change
        for (int[] shape : List.of(new int[] {512, 520}, new int[] {512, 600}, new int[] {600, 520}, new int[] {64, 32, 24, 24},
                new int[] {64, 32, 12, 12})) {
            for (int i = 0; i < 4; i++) {
                cpu().uninitialized(DType.FLOAT32, shape).fill_(Float.NaN);
                cpu().uninitialized(DType.INT64, shape).fill_(-1);
            }
        }
        assertThat(Arrays.equals(a.grad().toFloatArray(), ga)).as("a leaf's gradient intact").isTrue();
        assertThat(Arrays.equals(b.grad().toFloatArray(), gb)).as("a leaf's gradient intact").isTrue();
        assertThat(Arrays.equals(x.grad().toFloatArray(), gx)).as("a leaf's gradient intact").isTrue();
        assertThat(Arrays.equals(h.toFloatArray(), hv)).as("an activation still held intact").isTrue();
        assertThat(Arrays.equals(pooled.toFloatArray(), pv)).as("an activation still held intact").isTrue();
    }

    // ---- every op that takes uninitialized memory writes all of it ------------------------------

    @Test
    void convolutionsWriteTheirWholeOutputsAndGradients() {
        // conv2 of the MNIST CNN (Winograd), conv1 (one input channel), a strided one (lowered to a GEMM)
        samePoisonedOrNot(() -> conv(new int[] {64, 32, 26, 26}, new int[] {64, 32, 3, 3}, 1, 0));
        samePoisonedOrNot(() -> conv(new int[] {64, 1, 28, 28}, new int[] {32, 1, 3, 3}, 1, 0));
        samePoisonedOrNot(() -> conv(new int[] {16, 16, 64, 64}, new int[] {32, 16, 3, 3}, 2, 1));
        samePoisonedOrNot(() -> conv(new int[] {2, 8, 130, 130}, new int[] {16, 8, 5, 5}, 1, 2));
        samePoisonedOrNot(() -> {
            Generator g = new Generator(3);
            Tensor x = Antorcha.randn(g, 2, 8, 130, 130).toDouble().requiresGrad(true);
            Tensor w = Antorcha.randn(g, 16, 8, 3, 3).toDouble().requiresGrad(true);
            Tensor y = F.conv2d(x, w, null);
            y.mul(y).sum().backward();
            return List.of(y, x.grad(), w.grad());
        });
    }

    @Test
    void poolingWritesItsWholeOutputAndGradient() {
        samePoisonedOrNot(() -> pool(new int[] {64, 64, 24, 24}, 2, 2, 0));
        samePoisonedOrNot(() -> pool(new int[] {8, 16, 64, 64}, 3, 2, 1));
    }

    @Test
    void dropoutWritesItsWholeOutputAndMask() {
        samePoisonedOrNot(() -> {
            Generator g = new Generator(5);
            Tensor x = Antorcha.randn(g, 64, 64, 12, 12).requiresGrad(true);
            Tensor y = F.dropout(x, 0.25, true, new Generator(9));
            y.mul(y).sum().backward();
            return List.of(y, x.grad());
        });
    }

    @Test
    void productsWriteTheirWholeOutputs() {
        samePoisonedOrNot(() -> {
            Generator g = new Generator(6);
            Tensor a = Antorcha.randn(g, 512, 300).requiresGrad(true), b = Antorcha.randn(g, 300, 700).requiresGrad(true);
            Tensor c = a.matmul(b);
            Tensor bt = Antorcha.randn(g, 4, 700, 96).transpose(-1, -2);   // a strided operand
            Tensor d = Antorcha.randn(g, 4, 512, 96).matmul(bt);
            c.relu().sum().backward();
            return List.of(c, d, a.grad(), b.grad());
        });
    }

    @Test
    void linearWritesItsWholeOutput() {
        samePoisonedOrNot(() -> {
            Generator g = new Generator(7);
            Tensor x = Antorcha.randn(g, 4096, 256).requiresGrad(true), w = Antorcha.randn(g, 96, 256).requiresGrad(true);
            Tensor y = F.linear(x, w, Antorcha.randn(g, 96));
            y.sum().backward();
            return List.of(y, x.grad(), w.grad());
        });
    }

    @Test
    void unaryOpsWriteTheirWholeOutputs() {
        samePoisonedOrNot(() -> {
            Tensor x = Antorcha.randn(new Generator(8), 300_000);
            Tensor i = x.mul(1000).to(DType.INT64);
            return List.of(x.relu(), x.neg(), x.toDouble().relu(), i.abs(), i.neg());
        });
    }

    private static List<Tensor> conv(int[] xs, int[] ws, int stride, int padding) {
        Generator g = new Generator(Arrays.hashCode(xs));
        Tensor x = Antorcha.randn(g, xs).requiresGrad(true), w = Antorcha.randn(g, ws).requiresGrad(true);
        Tensor b = Antorcha.randn(g, ws[0]).requiresGrad(true);
        Tensor y = F.conv2d(x, w, b, stride, padding);
        y.relu().mul(y).sum().backward();
        return List.of(y, x.grad(), w.grad(), b.grad());
    }

    private static List<Tensor> pool(int[] xs, int kernel, int stride, int padding) {
        Tensor x = Antorcha.randn(new Generator(kernel), xs).requiresGrad(true);
        Tensor y = F.maxPool2d(x, new int[] {kernel}, new int[] {stride}, new int[] {padding}, new int[] {1}, false);
        y.mul(y).sum().backward();
        return List.of(y, x.grad());
    }

    private static void samePoisonedOrNot(Supplier<List<Tensor>> run) {
        Recycler.poisonForTests(false);
        List<Tensor> clean = run.get();
        Recycler.poisonForTests(true);
        List<Tensor> poisoned = run.get();
        Recycler.poisonForTests(false);
        for (int i = 0; i < clean.size(); i++) {
            Tensor c = clean.get(i), p = poisoned.get(i);
            assertThat(p.shape()).isEqualTo(c.shape());
            if (c.dtype() == DType.INT64) {
                assertThat(Arrays.equals(p.toLongArray(), c.toLongArray())).as("int64 result %d the same", i).isTrue();
            } else {
                double[] cd = c.toDouble().toDoubleArray(), pd = p.toDouble().toDoubleArray();
                for (int k = 0; k < cd.length; k++) {
                    if (Double.doubleToLongBits(cd[k]) != Double.doubleToLongBits(pd[k])) {
                        throw new AssertionError("result " + i + " " + c.shape() + " differs at " + k + ": " + pd[k]
                                + " on poisoned memory, " + cd[k] + " on zeroed memory");
                    }
                }
            }
        }
    }

    private static dev.antorcha.backend.Backend cpu() {
        return dev.antorcha.backend.Backends.cpu();
    }
}
