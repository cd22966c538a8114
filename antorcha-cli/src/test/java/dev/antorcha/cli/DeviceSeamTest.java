package dev.antorcha.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.antorcha.Antorcha;
import dev.antorcha.examples.Net;
import dev.antorcha.nn.Embedding;
import dev.antorcha.nn.LSTM;
import dev.antorcha.nn.Module;
import dev.antorcha.nn.functional.F;
import dev.antorcha.nn.utils.ClipGrad;
import dev.antorcha.optim.Adadelta;
import dev.antorcha.optim.Adam;
import dev.antorcha.optim.Optimizer;
import dev.antorcha.optim.SGD;
import dev.antorcha.parity.ParityMain;
import dev.antorcha.tensor.DType;
import dev.antorcha.tensor.Device;
import dev.antorcha.tensor.Tensor;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;
import org.junit.jupiter.api.Test;

/**
 * Ops, autograd, optimizers, the examples' networks and PyTorch's reference cases on a device
 * other than the CPU ({@link MirrorDevice}: the CPU's kernels behind a device of their own), so
 * that every tensor an op makes for its operands is made where they are: the results are the
 * CPU's, bit for bit, and all of them on the device.
 */
class DeviceSeamTest {
    private static final Device ON = MirrorDevice.DEVICE;

    private static Tensor randn(long seed, int... shape) {
        Antorcha.manualSeed(seed);
        return Antorcha.randn(shape);
    }

    private static void same(Tensor onDevice, Tensor onCpu) {
        assertThat(onDevice.device()).isEqualTo(ON);
        assertThat(onDevice.dtype()).isEqualTo(onCpu.dtype());
        assertThat(onDevice.shape()).isEqualTo(onCpu.shape());
        assertThat(onDevice.to(Device.CPU).toDoubleArray()).isEqualTo(onCpu.toDoubleArray());
    }

    /** {@code f} and the gradient of its sum (weighted) with respect to {@code x}, on both devices. */
    private static void sameWithGradient(Tensor x, Function<Tensor, Tensor> f) {
        Tensor xc = x.detach().requiresGrad(true), xd = x.to(ON).detach().requiresGrad(true);
        Tensor yc = f.apply(xc), yd = f.apply(xd);
        same(yd, yc);
        Tensor w = randn(99, yc.shape().toArray());
        yc.mul(w).sum().backward();
        yd.mul(w.to(ON)).sum().backward();
        same(xd.grad(), xc.grad());
    }

    @Test
    void opsWithScalarsConstantsAndTheirGradientsStayOnTheDevice() {
        Tensor x = randn(1, 4, 6);
        sameWithGradient(x, t -> t.add(2.0).mul(3).sub(1).div(2).relu());
        sameWithGradient(x, t -> t.pow(2.0).clamp(0.1, 2.0).sqrt());
        sameWithGradient(x, t -> t.narrow(1, 1, 3).t().reshape(-1).indexSelect(0, Antorcha.tensor(new long[] {0, 4, 4}).to(t.device())));
        sameWithGradient(x, t -> t.maskedFill(t.gt(0.5), -1.0).where(t.lt(0), Tensor.zerosLike(t)));
        sameWithGradient(x, t -> F.logSoftmax(t, 1).max(1).values());
        sameWithGradient(x, t -> {
            Antorcha.manualSeed(8);
            return F.dropout(t, 0.3, true, dev.antorcha.tensor.Generator.defaultGenerator()).softmax(1).sum(0);
        });
        sameWithGradient(x, t -> Antorcha.cat(List.of(t, t.mul(2)), 0).topk(2, 1, true, true).values());
        same(Tensor.onesLike(x.to(ON)), Tensor.onesLike(x));
        Tensor target = Antorcha.tensor(new long[] {1, 5, -100, 0});
        Tensor lc = x.detach().requiresGrad(true), ld = x.to(ON).detach().requiresGrad(true);
        Tensor ec = F.crossEntropy(lc, target), ed = F.crossEntropy(ld, target.to(ON));
        same(ed, ec);
        ec.backward();
        ed.backward();
        same(ld.grad(), lc.grad());
    }

    @Test
    void mixingDevicesIsPyTorchsError() {
        assertThatThrownBy(() -> randn(2, 3).to(ON).add(randn(3, 3))).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("Expected all tensors to be on the same device, but found at least two devices");
    }

    /** Steps of a network and its optimizer on both devices from the same weights and batches; the losses. */
    private static void sameTraining(Function<Void, Module> make, Function<List<? extends Tensor>, Optimizer> optimizer, int[] inputShape,
                                     int classes, boolean clip) {
        Antorcha.manualSeed(5);
        Module c = make.apply(null);
        Antorcha.manualSeed(5);
        Module d = make.apply(null).to(ON);
        Optimizer oc = optimizer.apply(c.parameters()), od = optimizer.apply(d.parameters());
        List<Float> lc = new ArrayList<>(), ld = new ArrayList<>();
        for (int step = 0; step < 3; step++) {
            Tensor x = randn(10 + step, inputShape);
            Antorcha.manualSeed(20 + step);
            Tensor y = Antorcha.rand(inputShape[0]).mul(classes).to(DType.INT64);
            for (boolean device : new boolean[] {false, true}) {
                Module m = device ? d : c;
                Optimizer o = device ? od : oc;
                Antorcha.manualSeed(30 + step);   // dropout's draws
                Tensor out = m.forward(device ? x.to(ON) : x);
                m.zeroGrad();
                Tensor loss = F.nllLoss(F.logSoftmax(out, 1), device ? y.to(ON) : y);
                loss.backward();
                if (clip) ClipGrad.clipGradNorm_(m.parameters(), 0.5);
                o.step();
                (device ? ld : lc).add(loss.item());
            }
        }
        assertThat(ld).isEqualTo(lc);
        for (int i = 0; i < c.parameters().size(); i++) same(d.parameters().get(i).detach(), c.parameters().get(i).detach());
    }

    @Test
    void theMnistCnnTrainsOnTheDeviceToTheCpusBits() {
        sameTraining(v -> new Net(), ps -> new Adadelta(ps, 1.0), new int[] {4, 1, 28, 28}, 10, false);
    }

    @Test
    void anMlpWithAdamAndSgdWithClippedGradientsToo() {
        sameTraining(v -> new dev.antorcha.examples.Classifier(), ps -> new Adam(ps, 0.01), new int[] {8, 784}, 10, false);
        sameTraining(v -> new dev.antorcha.examples.Classifier(), ps -> new SGD(ps, new SGD.Options(0.1, 0.9, 0, 0, true)),
                new int[] {8, 784}, 10, true);
    }

    @Test
    void anEmbeddingAndAnLstmToo() {
        Antorcha.manualSeed(3);
        Embedding ec = new Embedding(20, 6);
        LSTM rc = new LSTM(6, 5, dev.antorcha.nn.RNNOptions.defaults().numLayers(2));
        Antorcha.manualSeed(3);
        Embedding ed = (Embedding) new Embedding(20, 6).to(ON);
        LSTM rd = (LSTM) new LSTM(6, 5, dev.antorcha.nn.RNNOptions.defaults().numLayers(2)).to(ON);
        Tensor tokens = Antorcha.tensor(new long[] {1, 4, 4, 19, 0, 7}, 3, 2);
        Tensor yc = rc.forward(ec.forward(tokens)), yd = rd.forward(ed.forward(tokens.to(ON)));
        same(yd, yc);
        yc.sum().backward();
        yd.sum().backward();
        same(ed.weight.grad(), ec.weight.grad());
    }

    @Test
    void theDefaultDeviceMakesFactoriesAndModulesThere() {
        Antorcha.setDefaultDevice(ON);
        try {
            assertThat(Antorcha.zeros(3).device()).isEqualTo(ON);
            assertThat(Antorcha.tensor(new float[] {1, 2}).device()).isEqualTo(ON);
            assertThat(new Net().parameters()).allSatisfy(p -> assertThat(p.device()).isEqualTo(ON));
        } finally {
            Antorcha.setDefaultDevice(Device.CPU);
        }
        assertThat(Antorcha.zeros(3).device()).isEqualTo(Device.CPU);
    }

    @Test
    void theCommittedParityCasesPassOnTheDevice() {
        Path fixtures = Path.of(System.getProperty("antorcha.testdata")).getParent().resolve("antorcha-parity/src/test/resources");
        Antorcha.setDefaultDevice(ON);
        try {
            for (String set : List.of("parity", "parity-cnn", "parity-seq", "parity-f64")) {
                ByteArrayOutputStream buf = new ByteArrayOutputStream();
                ParityMain.Summary s = ParityMain.run(fixtures.resolve(set), new PrintStream(buf, true, StandardCharsets.UTF_8));
                assertThat(s.exitCode()).as("%s on %s:%n%s", set, ON, buf.toString(StandardCharsets.UTF_8)).isZero();
            }
        } finally {
            Antorcha.setDefaultDevice(Device.CPU);
        }
    }
}
