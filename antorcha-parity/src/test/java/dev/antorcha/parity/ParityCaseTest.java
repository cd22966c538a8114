package dev.antorcha.parity;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Tests for {@link ParityCase} loading and directory listing, on hand-made files in a temporary directory. */
class ParityCaseTest {

    static final String LINEAR = """
            {
              "format": "torch-parity-v1", "case": "linear", "id": "linear_s0", "set": "public", "seed": 0,
              "torch_version": "1.13.0a0", "description": "Linear", "expr": "y = F.linear(x, W, b)",
              "params": {"lr": 0.001, "adam": {"betas": [0.9, 0.999]}, "batch": 8},
              "f32_err": {"y": 1.25e-07, "dx": 0.0},
              "inputs": {"x": {"shape":[1,2],"dtype":"float32","layout":"full","data":[1.5,-2]},
                         "t": {"shape":[1],"dtype":"int64","layout":"full","data":[3]}},
              "outputs": {"y": {"shape":[1],"dtype":"float32","layout":"full","data":[0.5]},
                          "dx": {"shape":[1,2],"dtype":"float32","layout":"full","data":[0.25,0.75]}}
            }""";

    static Path write(Path dir, String name, String text) throws Exception {
        return Files.writeString(dir.resolve(name), text);
    }

    @Test
    void loadsAllFields(@TempDir Path dir) throws Exception {
        var c = ParityCase.load(write(dir, "linear_s0.json", LINEAR));
        assertThat(c.id()).isEqualTo("linear_s0");
        assertThat(c.caseKind()).isEqualTo("linear");
        assertThat(c.seed()).isZero();
        assertThat(c.set()).isEqualTo("public");
        assertThat(c.description()).isEqualTo("Linear");
        assertThat(c.expr()).isEqualTo("y = F.linear(x, W, b)");
        assertThat(c.inputs().keySet()).containsExactly("x", "t");
        assertThat(c.outputs().keySet()).containsExactly("y", "dx");
        assertThat(c.input("x").floats()).containsExactly(1.5f, -2f);
        assertThat(c.input("t").longs()).containsExactly(3L);
        assertThat(c.output("dx").shape()).containsExactly(1, 2);
        assertThat(c.f32Err("y")).isEqualTo(1.25e-7);
        assertThat(c.f32Err("dx")).isZero();
        assertThat(c.f32Err("absent")).isZero();
        assertThat(c.param("lr")).isEqualTo(0.001);
        assertThat(c.param("batch")).isEqualTo(8.0);
        assertThat(c.param("adam.betas.1")).isEqualTo(0.999);
        assertThatThrownBy(() -> c.outputs().put("z", null)).isInstanceOf(UnsupportedOperationException.class);
    }

    @Test
    void missingNamesListWhatExists(@TempDir Path dir) throws Exception {
        var c = ParityCase.load(write(dir, "linear_s0.json", LINEAR));
        assertThatThrownBy(() -> c.output("dy")).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("case linear_s0 has no output 'dy'; it has [y, dx]");
        assertThatThrownBy(() -> c.input("W")).hasMessage("case linear_s0 has no input 'W'; it has [x, t]");
        assertThatThrownBy(() -> c.param("momentum")).hasMessageContaining("case linear_s0 has no param 'momentum'");
        assertThatThrownBy(() -> c.param("adam.betas.2")).hasMessageContaining("no param 'adam.betas.2'");
        assertThatThrownBy(() -> c.param("adam")).hasMessageContaining("param 'adam' is not a number");
    }

    @Test
    void rejectsOtherFormatsAndBadTensors(@TempDir Path dir) throws Exception {
        Path v2 = write(dir, "v2.json", LINEAR.replace("torch-parity-v1", "torch-parity-v2"));
        assertThatThrownBy(() -> ParityCase.load(v2)).isInstanceOf(IllegalArgumentException.class)
                .hasMessage(v2 + ": format is 'torch-parity-v2', expected 'torch-parity-v1'");
        Path bad = write(dir, "bad.json", LINEAR.replace("[0.25,0.75]", "[0.25]"));
        assertThatThrownBy(() -> ParityCase.load(bad))
                .hasMessage(bad + ": case linear_s0: outputs: tensor 'dx' has 1 elements in 'data', expected 2");
        Path broken = write(dir, "broken.json", "{\"format\": ");
        assertThatThrownBy(() -> ParityCase.load(broken)).hasMessageStartingWith(broken + ": JSON: expected a value");
        Path init = write(dir, "init_stats.json", "{\"format\":\"torch-parity-v1\",\"case\":\"init_stats\",\"id\":\"init_stats\"}");
        assertThatThrownBy(() -> ParityCase.load(init)).hasMessageContaining("init_stats file, not a case");
    }

    @Test
    void listsCasesWithoutManifestSortedByName(@TempDir Path dir) throws Exception {
        write(dir, "relu_s0.json", "{}");
        write(dir, "linear_s1.json", "{}");
        write(dir, "linear_s0.json", "{}");
        write(dir, "init_stats.json", "{}");
        write(dir, "notes.txt", "");
        assertThat(ParityCase.listCases(dir)).extracting(p -> p.getFileName().toString())
                .containsExactly("linear_s0.json", "linear_s1.json", "relu_s0.json");
        assertThat(ParityCase.initStats(dir)).contains(dir.resolve("init_stats.json"));
    }

    @Test
    void listsCasesInManifestOrder(@TempDir Path dir) throws Exception {
        write(dir, "relu_s0.json", "{}");
        write(dir, "linear_s0.json", "{}");
        write(dir, "extra_s0.json", "{}");
        write(dir, "manifest.json", """
                {"format": "torch-parity-v1", "set": "public", "files": [
                  {"file": "relu_s0.json", "case": "relu", "seed": 0},
                  {"file": "linear_s0.json", "case": "linear", "seed": 0},
                  {"file": "init_stats.json", "case": "init_stats", "seed": null}]}""");
        assertThat(ParityCase.listCases(dir)).containsExactly(dir.resolve("relu_s0.json"), dir.resolve("linear_s0.json"));
        assertThat(ParityCase.initStats(dir)).isEmpty();
        write(dir, "manifest.json", "{\"files\": [{\"file\": \"gone_s0.json\"}]}");
        assertThatThrownBy(() -> ParityCase.listCases(dir)).hasMessageContaining("listed file gone_s0.json does not exist");
    }
}
