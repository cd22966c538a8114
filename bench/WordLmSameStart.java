import dev.antorcha.Antorcha;
import dev.antorcha.data.Corpus;
import dev.antorcha.data.TextBatches;
import dev.antorcha.examples.RNNModel;
import dev.antorcha.examples.WordLanguageModel;
import dev.antorcha.io.SafeTensors;
import dev.antorcha.nn.Parameter;
import dev.antorcha.nn.functional.F;
import dev.antorcha.nn.utils.ClipGrad;
import dev.antorcha.tensor.DType;
import dev.antorcha.tensor.Tensor;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Antorcha's side of bench/wordlm-same-start.sh, what wordlm_same_start.py does: the word model
 * without dropout, from the weights PyTorch wrote, one epoch of the example's training loop
 * (WordLanguageModel.train's steps, written out to print each chunk's loss and norm in full).
 *
 * <pre>
 * java --add-modules jdk.incubator.vector -cp antorcha.jar WordLmSameStart.java CORPUS INIT.safetensors [--float64] [--perturb K] [--chunks N]
 * </pre>
 */
public class WordLmSameStart {
    public static void main(String[] args) throws Exception {
        List<String> a = List.of(args);
        Corpus corpus = new Corpus(Path.of(args[0]));
        Tensor train = TextBatches.batchify(corpus.train(), 20), test = TextBatches.batchify(corpus.test(), 10);
        int ntokens = corpus.dictionary().size();
        RNNModel model = new RNNModel("LSTM", ntokens, 200, 200, 2, 0.0, false);
        Map<String, Tensor> init = new HashMap<>(SafeTensors.load(Path.of(args[1])));
        Tensor w = init.get("decoder.weight");
        float[] values = w.toFloatArray();
        values[0] += (float) (Double.parseDouble(option(a, "--perturb", "0")) * 1e-6);
        init.put("decoder.weight", Antorcha.tensor(values, w.size(0), w.size(1)));
        model.loadStateDict(init, true);
        if (a.contains("--float64")) model.to(DType.FLOAT64);
        int chunks = Integer.parseInt(option(a, "--chunks", "0"));
        model.train();
        RNNModel.Hidden hidden = model.initHidden(20);
        List<Parameter> parameters = model.parameters();
        for (int k = 0, i = 0; i < train.size(0) - 1; k++, i += 35) {
            TextBatches.Chunk chunk = TextBatches.getBatch(train, i, 35);
            hidden = hidden.detach();
            model.zeroGrad();
            RNNModel.Output output = model.forward(chunk.data(), hidden);
            hidden = output.hidden();
            Tensor loss = F.nllLoss(output.logProbs().view(-1, ntokens), chunk.targets());
            loss.backward();
            double norm = ClipGrad.clipGradNorm_(parameters, 0.25).doubleItem();
            for (Parameter p : parameters) p.detach().add_(p.grad(), -20.0);
            if (k < 8) System.out.printf(Locale.ROOT, "chunk %d: loss %.12f, gradient norm %.10f%n", k + 1, loss.doubleItem(), norm);
            if (k + 1 == chunks) return;
        }
        System.out.printf(Locale.ROOT, "test ppl: %.2f%n", Math.exp(WordLanguageModel.evaluate(model, test, 35)));
    }

    private static String option(List<String> a, String name, String otherwise) {
        int i = a.indexOf(name);
        return i >= 0 && i + 1 < a.size() ? a.get(i + 1) : otherwise;
    }
}
