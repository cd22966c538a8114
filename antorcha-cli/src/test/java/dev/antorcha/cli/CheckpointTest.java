package dev.antorcha.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.antorcha.Antorcha;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code train --checkpoint} then {@code train --resume} on the committed fixture: the resumed
 * run must end with the bytes of the weights file and the losses CSV of the run that was never
 * stopped, which is the reference here.
 */
@org.junit.jupiter.api.extension.ExtendWith(RestoresThreads.class)
class CheckpointTest {
    @TempDir
    static Path tmp;
    static Path root;

    @BeforeAll
    static void data() {
        root = Cli.mnistRoot(tmp.resolve("data"));
    }


    /** A train command line over the fixture with its outputs in {@code dir}. */
    static String[] train(Path dir, String... more) throws Exception {
        return train(root, dir, more);
    }

    static String[] train(Path root, Path dir, String... more) throws Exception {
        Files.createDirectories(dir);
        List<String> a = new ArrayList<>(List.of("train", "--root", root.toString(), "--no-download", "--quiet",
                "--plot", dir.resolve("p.png").toString(), "--save", dir.resolve("w.safetensors").toString(),
                "--losses", dir.resolve("l.csv").toString()));
        a.addAll(Arrays.asList(more));
        return a.toArray(String[]::new);
    }

    static void assertSameRun(Path resumed, Path reference) throws Exception {
        assertThat(Cli.csv(resumed.resolve("l.csv"))).as("losses of the whole run").isEqualTo(Cli.csv(reference.resolve("l.csv")));
        assertThat(Files.readAllBytes(resumed.resolve("w.safetensors"))).as("weights")
                .isEqualTo(Files.readAllBytes(reference.resolve("w.safetensors")));
    }

    /** The folder of the checkpoint's tensors (named by the manifest). */
    static Path stepFolder(Path ckpt) throws Exception {
        try (var s = Files.list(ckpt)) {
            return s.filter(p -> p.getFileName().toString().startsWith("step-")).findFirst().orElseThrow();
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"adam", "adamw", "sgd"})
    void resumingAfterAnEpochEndsWithTheUninterruptedRunsWeights(String optimizer) throws Exception {
        Path base = tmp.resolve("resume-" + optimizer);
        String[] settings = {"--optimizer", optimizer, "--shuffle", "--lr-step", "1", "--lr-gamma", "0.5", "--seed", "4"};
        Path reference = base.resolve("reference"), first = base.resolve("first"), resumed = base.resolve("resumed");
        Path ckpt = base.resolve("ckpt");
        Cli.ok(concat(train(reference, "--epochs", "3", "--threads", "2"), settings));
        Cli.ok(concat(train(first, "--epochs", "1", "--checkpoint", ckpt.toString(), "--threads", "1"), settings));
        // the checkpoint's model is what --save writes after one epoch
        assertThat(Files.readAllBytes(stepFolder(ckpt).resolve("model.safetensors")))
                .isEqualTo(Files.readAllBytes(first.resolve("w.safetensors")));
        // every setting comes from the checkpoint; --epochs extends the run to 3
        Cli.Result r = Cli.ok(train(resumed, "--resume", ckpt.toString(), "--epochs", "3", "--threads", "2"));
        assertThat(r.err()).isEmpty();
        assertSameRun(resumed, reference);
        assertThat(Cli.csv(resumed.resolve("l.csv"))).hasSize(1 + 3 * 8);   // 1000 images, batches of 128
    }

    @Test
    void theGeneratorStateIsWhatMakesAShuffledResumeExact() throws Exception {
        // Without --shuffle the order is the same every epoch: a resume equal to the
        // uninterrupted run would prove nothing about the generator. With it, the uninterrupted
        // run's second epoch differs from one that starts over from the seed.
        Path base = tmp.resolve("shuffle");
        Cli.ok(train(base.resolve("two"), "--epochs", "2", "--shuffle"));
        Cli.ok(train(base.resolve("one"), "--epochs", "1", "--shuffle", "--checkpoint", base.resolve("ckpt").toString()));
        List<String> two = Cli.csv(base.resolve("two").resolve("l.csv")), one = Cli.csv(base.resolve("one").resolve("l.csv"));
        Cli.ok(train(base.resolve("resumed"), "--resume", base.resolve("ckpt").toString(), "--epochs", "2"));
        assertSameRun(base.resolve("resumed"), base.resolve("two"));
        // same weights after epoch 1, yet the second epoch's losses are not the first's: another order
        assertThat(two.subList(0, 9)).isEqualTo(one);
        assertThat(two.subList(9, 17)).isNotEqualTo(one.subList(1, 9));
    }

    /** PyTorch's StepLR(step_size=1, gamma=0.5) after two epochs: 0.004 * 0.5 * 0.5, in the saved optimizer state. */
    @Test
    void lrStepDecaysTheLearningRateEveryEpochAndTheCheckpointHoldsIt() throws Exception {
        Path base = tmp.resolve("steplr");
        Path ckpt = base.resolve("ckpt");
        Cli.ok(train(base.resolve("a"), "--epochs", "2", "--lr", "0.004", "--lr-step", "1", "--lr-gamma", "0.5",
                "--checkpoint", ckpt.toString()));
        var meta = dev.antorcha.io.SafeTensors.metadata(stepFolder(ckpt).resolve("optimizer.safetensors"));
        assertThat(Double.parseDouble(meta.get("param_groups.0.lr"))).isEqualTo(0.001);
        assertThat(Double.parseDouble(meta.get("param_groups.0.initial_lr"))).isEqualTo(0.004);
        assertThat(Files.readString(ckpt.resolve(Checkpoint.MANIFEST)))
                .contains("\"scheduler\": {\"last_epoch\": 2, \"base_lrs\": [\"0.004\"]}");
        // without --lr-step the rate stays
        Path plain = base.resolve("plain-ckpt");
        Cli.ok(train(base.resolve("b"), "--epochs", "2", "--lr", "0.004", "--checkpoint", plain.toString()));
        var plainMeta = dev.antorcha.io.SafeTensors.metadata(stepFolder(plain).resolve("optimizer.safetensors"));
        assertThat(Double.parseDouble(plainMeta.get("param_groups.0.lr"))).isEqualTo(0.004);
        assertThat(Files.readString(plain.resolve(Checkpoint.MANIFEST))).doesNotContain("scheduler");
    }

    @Test
    void badSchedulerValuesAreRefusedBeforeTraining() throws Exception {
        Path dir = tmp.resolve("bad-steplr");
        Cli.Result r = Cli.run(train(dir, "--lr-step", "-1"));
        assertThat(r.errLines()).as("%s", r).containsExactly("antorcha: --lr-step must be >= 1 (or 0: off), got -1 (see 'antorcha train --help')");
        r = Cli.run(train(dir, "--lr-step", "1", "--lr-gamma", "0"));
        assertThat(r.errLines()).as("%s", r).containsExactly("antorcha: --lr-gamma must be a positive finite number, got 0.0 (see 'antorcha train --help')");
        assertThat(dir.resolve("w.safetensors")).doesNotExist();
    }

    @Test
    void aSettingGivenWithAnotherValueIsRefusedNamingBothValues() throws Exception {
        Path base = tmp.resolve("mismatch");
        Path ckpt = base.resolve("ckpt");
        Cli.ok(train(base.resolve("a"), "--epochs", "1", "--lr", "0.002", "--hidden", "30,20", "--checkpoint", ckpt.toString()));
        Cli.Result r = Cli.run(train(base.resolve("b"), "--resume", ckpt.toString(), "--epochs", "2", "--lr", "0.01"));
        assertThat(r.code()).as("%s", r).isEqualTo(2);
        assertThat(r.errLines()).as("%s", r).containsExactly("antorcha: --lr 0.01 differs from the checkpoint in " + ckpt
                + ", trained with --lr 0.002: leave --lr out to continue that run, or start a new run without --resume" + " (see 'antorcha train --help')");
        r = Cli.run(train(base.resolve("b"), "--resume", ckpt.toString(), "--epochs", "2", "--hidden", "100,50"));
        assertThat(r.errLines()).as("%s", r).singleElement().asString()
                .contains("--hidden 100,50 differs", "trained with --hidden 30,20");
        r = Cli.run(train(base.resolve("b"), "--resume", ckpt.toString(), "--epochs", "2", "--shuffle"));
        assertThat(r.errLines()).as("%s", r).singleElement().asString().contains("--shuffle true differs", "--shuffle false");
        assertThat(base.resolve("b").resolve("w.safetensors")).doesNotExist();
        // the same value, however written, is no mismatch
        Cli.ok(train(base.resolve("c"), "--resume", ckpt.toString(), "--epochs", "2", "--lr", "2e-3"));
    }

    @Test
    void fewerEpochsThanTheCheckpointHasAreRefused() throws Exception {
        Path base = tmp.resolve("epochs");
        Path ckpt = base.resolve("ckpt");
        Cli.ok(train(base.resolve("a"), "--epochs", "2", "--checkpoint", ckpt.toString()));
        Cli.Result r = Cli.run(train(base.resolve("b"), "--resume", ckpt.toString(), "--epochs", "1"));
        assertThat(r.code()).isEqualTo(2);
        assertThat(r.errLines()).as("%s", r).containsExactly("antorcha: --epochs 1 ends before the checkpoint in " + ckpt
                + ", which is after epoch 2: give --epochs 2 or more" + " (see 'antorcha train --help')");
    }

    @Test
    void anExistingCheckpointIsNotOverwrittenByANewRun() throws Exception {
        Path base = tmp.resolve("existing");
        Path ckpt = base.resolve("ckpt");
        Cli.ok(train(base.resolve("a"), "--epochs", "1", "--checkpoint", ckpt.toString()));
        String manifest = Files.readString(ckpt.resolve(Checkpoint.MANIFEST));
        Cli.Result r = Cli.run(train(base.resolve("b"), "--epochs", "1", "--checkpoint", ckpt.toString()));
        assertThat(r.code()).isEqualTo(2);
        assertThat(r.errLines()).as("%s", r).containsExactly("antorcha: " + ckpt + " already holds a checkpoint: continue "
                + "its run with --resume " + ckpt + ", or give --checkpoint another folder" + " (see 'antorcha train --help')");
        assertThat(Files.readString(ckpt.resolve(Checkpoint.MANIFEST))).isEqualTo(manifest);
    }

    /** A folder that cannot be made (its parent is a file: this works as root too) fails before any training. */
    @Test
    void anUnwritableCheckpointFolderFailsBeforeTraining() throws Exception {
        Path base = Files.createDirectories(tmp.resolve("unwritable"));
        Path file = Files.writeString(base.resolve("a-file"), "not a folder");
        Path ckpt = file.resolve("ckpt");
        Cli.Result r = Cli.run(train(base.resolve("out"), "--epochs", "1", "--checkpoint", ckpt.toString()));
        assertThat(r.code()).isEqualTo(1);
        assertThat(r.errLines()).as("%s", r).singleElement().asString()
                .startsWith("antorcha: cannot write the checkpoint in " + ckpt + ": ").contains(file.toString());
        assertThat(base.resolve("out").resolve("w.safetensors")).doesNotExist();
    }

    @Test
    void aMissingFileIsNamed() throws Exception {
        Path ckpt = checkpointAfterOneEpoch("missing");
        Path file = stepFolder(ckpt).resolve("optimizer.safetensors");
        Files.delete(file);
        Cli.Result r = Cli.run(train(tmp.resolve("missing").resolve("b"), "--resume", ckpt.toString(), "--epochs", "2"));
        assertThat(r.code()).isEqualTo(1);
        assertThat(r.errLines()).as("%s", r).containsExactly("antorcha: checkpoint file missing (the checkpoint in " + ckpt
                + " is incomplete): " + file);
    }

    @Test
    void aCorruptFileIsNamed() throws Exception {
        Path ckpt = checkpointAfterOneEpoch("corrupt");
        Path file = stepFolder(ckpt).resolve("model.safetensors");
        byte[] bytes = Files.readAllBytes(file);
        bytes[bytes.length - 5] ^= 0x40;   // one bit of one weight
        Files.write(file, bytes);
        Cli.Result r = Cli.run(train(tmp.resolve("corrupt").resolve("b"), "--resume", ckpt.toString(), "--epochs", "2"));
        assertThat(r.code()).isEqualTo(1);
        assertThat(r.errLines()).as("%s", r).containsExactly("antorcha: " + file + " is corrupt: its SHA-256 differs from the "
                + "one checkpoint.json recorded (the checkpoint in " + ckpt + " cannot be resumed)");
    }

    @Test
    void aTruncatedManifestIsNamed() throws Exception {
        Path ckpt = checkpointAfterOneEpoch("manifest");
        Path manifest = ckpt.resolve(Checkpoint.MANIFEST);
        String text = Files.readString(manifest);
        Files.writeString(manifest, text.substring(0, text.length() / 2));
        Cli.Result r = Cli.run(train(tmp.resolve("manifest").resolve("b"), "--resume", ckpt.toString(), "--epochs", "2"));
        assertThat(r.code()).isEqualTo(1);
        assertThat(r.errLines()).as("%s", r).singleElement().asString().startsWith("antorcha: " + manifest + ": ");
    }

    @Test
    void aFolderWithoutACheckpointIsNamed() throws Exception {
        Path empty = Files.createDirectories(tmp.resolve("empty"));
        Cli.Result r = Cli.run(train(tmp.resolve("empty-out"), "--resume", empty.toString()));
        assertThat(r.code()).isEqualTo(1);
        assertThat(r.errLines()).as("%s", r).containsExactly("antorcha: no checkpoint in " + empty + " (train with "
                + "--checkpoint " + empty + " to write one); file not found: " + empty.resolve(Checkpoint.MANIFEST));
    }

    /**
     * What a save killed half-way leaves (a temporary folder, or a renamed folder that no manifest
     * names yet) does not stop a resume, and the next save removes it.
     */
    @Test
    void leftoversOfAKilledSaveAreIgnoredThenRemoved() throws Exception {
        Path base = tmp.resolve("leftovers");
        Path ckpt = checkpointAfterOneEpoch("leftovers");
        Path step = stepFolder(ckpt);
        Path tmpLeft = ckpt.resolve(".tmp-step-000016-abc"), orphan = ckpt.resolve("step-000016");
        Files.createDirectories(tmpLeft);
        Files.write(tmpLeft.resolve("model.safetensors"), new byte[] {1, 2, 3});   // half-written
        Files.createDirectories(orphan);
        Files.write(orphan.resolve("model.safetensors"), new byte[] {4});
        Path mine = Files.writeString(ckpt.resolve("notes.txt"), "the user's own file");

        Cli.ok(train(base.resolve("resumed"), "--resume", ckpt.toString(), "--epochs", "3"));
        Cli.ok(train(base.resolve("reference"), "--epochs", "3"));
        assertSameRun(base.resolve("resumed"), base.resolve("reference"));
        try (var s = Files.list(ckpt)) {
            assertThat(s.map(p -> p.getFileName().toString()).sorted().toList())
                    .containsExactly("checkpoint.json", "notes.txt", "step-000024");
        }
        assertThat(step).doesNotExist();
        assertThat(mine).hasContent("the user's own file");
    }

    private static Path checkpointAfterOneEpoch(String name) throws Exception {
        Path ckpt = tmp.resolve(name).resolve("ckpt");
        Cli.ok(train(tmp.resolve(name).resolve("a"), "--epochs", "1", "--checkpoint", ckpt.toString()));
        return ckpt;
    }

    private static String[] concat(String[] a, String[] b) {
        String[] out = Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, out, a.length, b.length);
        return out;
    }
}
