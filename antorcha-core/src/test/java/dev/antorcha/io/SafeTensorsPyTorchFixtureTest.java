package dev.antorcha.io;

import static org.assertj.core.api.Assertions.assertThat;

import dev.antorcha.tensor.DType;
import dev.antorcha.tensor.Shape;
import dev.antorcha.tensor.Tensor;
import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The tutorial's Classifier as PyTorch saved it (see {@code fixtures/README.md}): Antorcha reads
 * the state dict, reproduces PyTorch's logits with it, and writes the very same bytes back.
 */
class SafeTensorsPyTorchFixtureTest {

    @TempDir
    Path dir;

    @Test
    void readsTheStateDictPyTorchWrote() throws Exception {
        Map<String, Tensor> sd = SafeTensors.load(fixture("classifier.safetensors"));

        assertThat(sd.keySet()).containsExactlyInAnyOrder("input_layer.weight", "input_layer.bias",
                "hidden_layer.weight", "hidden_layer.bias", "output_layer.weight", "output_layer.bias");
        assertShape(sd, "input_layer.weight", 100, 784);
        assertShape(sd, "input_layer.bias", 100);
        assertShape(sd, "hidden_layer.weight", 50, 100);
        assertShape(sd, "hidden_layer.bias", 50);
        assertShape(sd, "output_layer.weight", 10, 50);
        assertShape(sd, "output_layer.bias", 10);
    }

    @Test
    void reproducesPyTorchsLogits() throws Exception {
        Map<String, Tensor> sd = SafeTensors.load(fixture("classifier.safetensors"));
        Path ioFile = fixture("classifier_io.safetensors");
        Map<String, Tensor> io = SafeTensors.load(ioFile);
        assertThat(SafeTensors.metadata(ioFile)).containsKeys("torch_version", "model_seed", "input_seed");
        Tensor x = io.get("inputs");
        assertThat(x.shape()).isEqualTo(Shape.of(4, 784));

        Tensor h = linear(x.view(-1, 784), sd, "input_layer").relu();
        h = linear(h, sd, "hidden_layer").relu();
        Tensor logits = linear(h, sd, "output_layer");

        Tensor expected = io.get("logits");
        assertThat(logits.shape()).isEqualTo(expected.shape()).isEqualTo(Shape.of(4, 10));
        float maxDiff = logits.sub(expected).abs().max().item();
        assertThat(maxDiff).isLessThan(1e-5f);
    }

    /** What Antorcha writes is what the PyTorch side wrote, byte for byte. */
    @Test
    void writesTheSameBytesBack() throws Exception {
        Path original = fixture("classifier.safetensors");
        Path copy = dir.resolve("classifier.safetensors");
        SafeTensors.save(SafeTensors.load(original), copy);
        assertThat(Files.readAllBytes(copy)).isEqualTo(Files.readAllBytes(original));

        Path io = fixture("classifier_io.safetensors");
        Path ioCopy = dir.resolve("classifier_io.safetensors");
        SafeTensors.save(SafeTensors.load(io), SafeTensors.metadata(io), ioCopy);
        assertThat(Files.readAllBytes(ioCopy)).isEqualTo(Files.readAllBytes(io));
    }

    private static Tensor linear(Tensor x, Map<String, Tensor> sd, String layer) {
        return x.matmul(sd.get(layer + ".weight").t()).add(sd.get(layer + ".bias"));
    }

    private static void assertShape(Map<String, Tensor> sd, String name, int... shape) {
        Tensor t = sd.get(name);
        assertThat(t.dtype()).as(name).isEqualTo(DType.FLOAT32);
        assertThat(t.shape()).as(name).isEqualTo(Shape.of(shape));
    }

    private static Path fixture(String name) throws IOException, URISyntaxException {
        var url = SafeTensorsPyTorchFixtureTest.class.getResource("/fixtures/" + name);
        if (url == null) throw new IOException("test resource /fixtures/" + name + " is missing");
        return Path.of(url.toURI());
    }
}
