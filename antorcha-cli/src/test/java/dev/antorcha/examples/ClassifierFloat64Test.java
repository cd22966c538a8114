package dev.antorcha.examples;

import static org.assertj.core.api.Assertions.assertThat;

import dev.antorcha.Antorcha;
import dev.antorcha.autograd.NoGrad;
import dev.antorcha.io.Json;
import dev.antorcha.nn.CrossEntropyLoss;
import dev.antorcha.nn.Parameter;
import dev.antorcha.optim.Adam;
import dev.antorcha.optim.Optimizer;
import dev.antorcha.tensor.DType;
import dev.antorcha.tensor.Tensor;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.zip.GZIPInputStream;
import org.junit.jupiter.api.Test;

/**
 * The tutorial's network trained in float64 ({@code classifier.to(FLOAT64)}, PyTorch's {@code .double()})
 * reproduces PyTorch's float64 losses of its first 12 iterations to 1e-10 relative: the fixture
 * {@code tutorial-f64/losses.json} was written by {@code make_tutorial_f64.py} beside it, with the same
 * exactly representable initial parameters and the same batch (the first 16 test digits of the
 * committed MNIST sample, pixels / 255 in double). A float32 computation is off by about 1e-7.
 */
class ClassifierFloat64Test {
    private static final int BATCH = 16;

    @Test
    void tutorialLoopInFloat64MatchesPyTorch() throws Exception {
        @SuppressWarnings("unchecked")
        var fixture = (Map<String, Object>) Json.parse(Path.of(ClassifierFloat64Test.class.getResource("/tutorial-f64/losses.json").toURI()));
        @SuppressWarnings("unchecked")
        List<Double> expected = (List<Double>) fixture.get("losses");

        Classifier classifier = new Classifier();
        classifier.to(DType.FLOAT64);
        List<Parameter> params = classifier.parameters();
        try (NoGrad _ = NoGrad.enter()) {
            for (int k = 0; k < params.size(); k++) {
                Parameter p = params.get(k);
                double[] v = new double[p.numel()];
                for (int i = 0; i < v.length; i++) v[i] = ((i * 7919L + k * 104729L) % 2001 - 1000) / 20000.0;
                p.copy_(Antorcha.tensor(v, p.shape().toArray()));
            }
        }
        assertThat(params).allSatisfy(p -> assertThat(p.dtype()).isEqualTo(DType.FLOAT64));
        Tensor images = images(), labels = labels();
        Optimizer optimizer = new Adam(params, 0.001);
        CrossEntropyLoss lossFunction = new CrossEntropyLoss();
        for (int step = 0; step < expected.size(); step++) {
            Tensor output = classifier.forward(images);
            classifier.zeroGrad();
            Tensor error = lossFunction.forward(output, labels);
            error.backward();
            optimizer.step();
            assertThat(error.dtype()).isEqualTo(DType.FLOAT64);
            double want = expected.get(step), got = error.doubleItem();
            assertThat(Math.abs(got - want)).as("loss of iteration %d: %s vs PyTorch's %s", step, got, want)
                    .isLessThanOrEqualTo(1e-10 * Math.abs(want));
        }
    }

    /** The first 16 test digits, {@code [16, 1, 28, 28]} float64 in [0, 1] (pixel / 255.0). */
    private static Tensor images() throws IOException {
        ByteBuffer b = ByteBuffer.wrap(gunzip("t10k-images-idx3-ubyte.gz"));
        assertThat(b.getInt(0)).isEqualTo(2051);
        double[] px = new double[BATCH * 784];
        for (int i = 0; i < px.length; i++) px[i] = (b.get(16 + i) & 0xff) / 255.0;
        return Antorcha.tensor(px, BATCH, 1, 28, 28);
    }

    private static Tensor labels() throws IOException {
        ByteBuffer b = ByteBuffer.wrap(gunzip("t10k-labels-idx1-ubyte.gz"));
        assertThat(b.getInt(0)).isEqualTo(2049);
        long[] l = new long[BATCH];
        for (int i = 0; i < BATCH; i++) l[i] = b.get(8 + i) & 0xff;
        return Antorcha.tensor(l);
    }

    /** A file of the committed MNIST sample ({@code testdata/mnist-small}), decompressed. */
    private static byte[] gunzip(String name) throws IOException {
        String p = System.getProperty("antorcha.testdata");
        Path dir = p != null ? Path.of(p, "mnist-small") : null;
        if (dir == null || !Files.isRegularFile(dir.resolve(name))) dir = Path.of("..", "testdata", "mnist-small");
        try (InputStream in = new GZIPInputStream(Files.newInputStream(dir.resolve(name)))) {
            return in.readAllBytes();
        }
    }
}
