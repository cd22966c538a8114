package dev.antorcha.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.antorcha.io.SafeTensors;
import dev.antorcha.tensor.Tensor;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code antorcha word-lm}: the word-language-model example as a command, on a small generated corpus. */
@org.junit.jupiter.api.extension.ExtendWith(RestoresThreads.class)
class WordLmCommandTest {
    @TempDir
    static Path tmp;
    static Path corpus, out;
    static Cli.Result run;

    /** PyTorch's RNNModel('LSTM', ntoken, 16, 16, 2).state_dict().keys(), in order. */
    static final List<String> LSTM_KEYS = List.of("encoder.weight", "rnn.weight_ih_l0", "rnn.weight_hh_l0", "rnn.bias_ih_l0",
            "rnn.bias_hh_l0", "rnn.weight_ih_l1", "rnn.weight_hh_l1", "rnn.bias_ih_l1", "rnn.bias_hh_l1", "decoder.weight",
            "decoder.bias");

    @BeforeAll
    static void trainOnce() throws Exception {
        corpus = TextCorpus.write(tmp.resolve("text"), 4000);
        out = Files.createDirectories(tmp.resolve("out"));
        run = Cli.ok(args(out, "--epochs", "2"));
    }

    /** A small network on the corpus with outputs in {@code dir}. */
    static String[] args(Path dir, String... more) throws Exception {
        Files.createDirectories(dir);
        List<String> a = new ArrayList<>(List.of("word-lm", corpus.toString(), "--emsize", "16", "--nhid", "16",
                "--batch-size", "4", "--bptt", "10", "--dropout", "0", "--lr", "5", "--plot", dir.resolve("p.png").toString(),
                "--save", dir.resolve("w.safetensors").toString(), "--losses", dir.resolve("l.csv").toString()));
        a.addAll(List.of(more));
        return a.toArray(String[]::new);
    }

    @Test
    void printsTheExamplesLinesAndLearns() throws Exception {
        Pattern epoch = Pattern.compile("epoch (\\d+): \\d+\\.\\d\\d s, lr (\\S+), valid ppl (\\d+\\.\\d\\d)");
        List<Double> ppl = new ArrayList<>();
        for (String line : run.outLines()) {
            Matcher m = epoch.matcher(line);
            if (m.matches()) {
                assertThat(m.group(1)).isEqualTo(Integer.toString(ppl.size() + 1));
                ppl.add(Double.parseDouble(m.group(3)));
            }
        }
        assertThat(ppl).as(run.out()).hasSize(2);
        assertThat(run.out()).contains("epoch 1: ").contains(", lr 5, valid ppl ");
        // the vocabulary has 18 words: chance is a perplexity of 18; the grammar allows far fewer
        assertThat(ppl.get(1)).isLessThan(10.0);
        assertThat(run.outLines()).anyMatch(l -> l.matches("test ppl: \\d+\\.\\d\\d"));
        assertThat(run.outLines().getLast()).matches("total time: \\d+\\.\\d\\d s");
        List<String> rows = Files.readAllLines(out.resolve("l.csv"));
        // 4,011 tokens (with each line's <eos>) in 4 columns of 1,002 rows; 1,001 targets in chunks of 10: 101 an epoch
        assertThat(rows).hasSize(1 + 2 * 101);
        double first = Double.parseDouble(rows.get(1).split(",")[1]), last = Double.parseDouble(rows.getLast().split(",")[1]);
        assertThat(first).isGreaterThan(2.5);   // about log(18) before any step
        assertThat(last).isLessThan(first - 1);
        assertThat(Files.size(out.resolve("p.png"))).isGreaterThan(1000);
    }

    @Test
    void weightsHavePyTorchsStateDictNames() throws Exception {
        Map<String, Tensor> sd = SafeTensors.load(out.resolve("w.safetensors"));
        assertThat(sd.keySet()).containsExactlyInAnyOrderElementsOf(LSTM_KEYS);
        assertThat(sd.get("encoder.weight").shape().toArray()).containsExactly(18, 16);
        assertThat(sd.get("rnn.weight_ih_l0").shape().toArray()).containsExactly(64, 16);
        assertThat(sd.get("decoder.weight").shape().toArray()).containsExactly(18, 16);
        assertThat(SafeTensors.metadata(out.resolve("w.safetensors"))).containsEntry("antorcha.model", "word-lm")
                .containsEntry("antorcha.rnn_type", "LSTM").containsEntry("antorcha.tied", "false");
        assertThat(sd.get("decoder.weight").toFloatArray()).isNotEqualTo(sd.get("encoder.weight").toFloatArray());
    }

    @Test
    void tiedWeightsAreSavedUnderBothNames() throws Exception {
        Path dir = tmp.resolve("tied");
        Cli.ok(args(dir, "--epochs", "1", "--tied", "--quiet"));
        Map<String, Tensor> sd = SafeTensors.load(dir.resolve("w.safetensors"));
        assertThat(sd.keySet()).containsExactlyInAnyOrderElementsOf(LSTM_KEYS);
        assertThat(sd.get("decoder.weight").toFloatArray()).containsExactly(sd.get("encoder.weight").toFloatArray());
    }

    @Test
    void gruAndTheRnnsTrainToo() throws Exception {
        for (String type : List.of("GRU", "RNN_TANH")) {
            Path dir = tmp.resolve(type);
            Cli.Result r = Cli.ok(args(dir, "--epochs", "1", "--model", type, "--nlayers", "1"));
            Map<String, Tensor> sd = SafeTensors.load(dir.resolve("w.safetensors"));
            assertThat(sd.keySet()).containsExactlyInAnyOrder("encoder.weight", "rnn.weight_ih_l0", "rnn.weight_hh_l0",
                    "rnn.bias_ih_l0", "rnn.bias_hh_l0", "decoder.weight", "decoder.bias");
            assertThat(sd.get("rnn.weight_ih_l0").size(0)).isEqualTo(type.equals("GRU") ? 48 : 16);
            assertThat(r.out()).contains("test ppl: ");
        }
    }

    @Test
    void quietPrintsOnlyTheResult() throws Exception {
        Cli.Result r = Cli.ok(args(tmp.resolve("quiet"), "--epochs", "1", "--quiet"));
        assertThat(r.outLines()).hasSize(2);
        assertThat(r.outLines().get(0)).startsWith("test ppl: ");
    }

    @Test
    void badDataIsOneLine() throws Exception {
        Path q = tmp.resolve("bad");
        ErrorPathsTest.oneLineError(1, "word-lm", tmp.resolve("nope").toString(), "--save", q.resolve("w").toString())
                .contains("corpus folder not found").contains("nope");
        Path partial = Files.createDirectories(tmp.resolve("partial"));
        Files.writeString(partial.resolve("train.txt"), "a b c\n");
        Files.writeString(partial.resolve("valid.txt"), "a b c\n");
        ErrorPathsTest.oneLineError(1, "word-lm", partial.toString()).contains("corpus file not found")
                .contains("test.txt");
        Files.writeString(partial.resolve("test.txt"), "");
        ErrorPathsTest.oneLineError(1, "word-lm", partial.toString()).contains("test.txt is empty");
        Files.writeString(partial.resolve("test.txt"), "a b c\n");
        ErrorPathsTest.oneLineError(1, "word-lm", partial.toString()).contains("train.txt has 4 tokens")
                .contains("--batch-size 20");
        ErrorPathsTest.oneLineError(1, "word-lm", corpus.resolve("train.txt").toString()).contains("not a folder");
    }

    @Test
    void badOptionsAreUsageErrors() {
        ErrorPathsTest.oneLineError(2, "word-lm", corpus.toString(), "--model", "LSTMX")
                .contains("unknown --model 'LSTMX'").contains("LSTM, GRU, RNN_TANH or RNN_RELU");
        ErrorPathsTest.oneLineError(2, "word-lm", corpus.toString(), "--tied", "--nhid", "32")
                .contains("--tied needs --nhid equal to --emsize");
        ErrorPathsTest.oneLineError(2, "word-lm", corpus.toString(), "--bptt", "0").contains("--bptt must be >= 1");
        ErrorPathsTest.oneLineError(2, "word-lm", corpus.toString(), "--dropout", "1").contains("--dropout must be in [0, 1)");
        ErrorPathsTest.oneLineError(2, "word-lm").contains("DATA_DIR");
    }
}
