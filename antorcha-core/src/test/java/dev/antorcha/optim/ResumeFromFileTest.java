package dev.antorcha.optim;

import static org.assertj.core.api.Assertions.assertThat;

import dev.antorcha.Antorcha;
import dev.antorcha.nn.Parameter;
import dev.antorcha.tensor.Tensor;
import java.nio.file.Path;
import java.util.List;
import java.util.function.Function;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Training resumes bit for bit in another process: optimizer and scheduler state through a file. */
class ResumeFromFileTest {

    private static void step(Parameter p, Optimizer opt, int k) {
        p.setGrad(Antorcha.tensor(new float[] {0.1f * k, -0.2f, 0.3f, 1e-9f, 1000f, 0f}, 2, 3));
        opt.step();
    }

    @Test
    void adamWithStepLrResumesExactlyFromASavedState(@TempDir Path dir) throws Exception {
        float[] init = {1, 2, 3, 4, 5, 6};
        Parameter a = new Parameter(Antorcha.tensor(init, 2, 3));
        Adam optA = new Adam(List.of(a), new Adam.Options(0.01, 0.9, 0.999, 1e-8, 0.01, true));
        StepLR schedA = new StepLR(optA, 2, 0.5);
        for (int k = 1; k <= 3; k++) {
            step(a, optA, k);
            schedA.step();
        }
        Path file = dir.resolve("adam.safetensors");
        optA.stateDict().save(file);
        LRScheduler.State sched = schedA.stateDict();
        float[] atThree = a.toFloatArray();
        for (int k = 4; k <= 6; k++) {
            step(a, optA, k);
            schedA.step();
        }

        Parameter b = new Parameter(Antorcha.tensor(atThree, 2, 3));
        Adam optB = new Adam(List.of(b), new Adam.Options(0.01, 0.9, 0.999, 1e-8, 0.01, true));
        StepLR schedB = new StepLR(optB, 2, 0.5);
        optB.loadStateDict(OptimizerState.load(file));
        schedB.loadStateDict(sched);
        assertThat(optB.paramGroups().get(0).lr()).isEqualTo(0.005);   // halved at epoch 2
        for (int k = 4; k <= 6; k++) {
            step(b, optB, k);
            schedB.step();
        }
        assertThat(b.toFloatArray()).containsExactly(a.toFloatArray());
        assertThat(schedB.lastLr()).isEqualTo(schedA.lastLr());
        Tensor expAvgA = optA.stateDict().state().get(0).get("exp_avg"), expAvgB = optB.stateDict().state().get(0).get("exp_avg");
        assertThat(expAvgB.toFloatArray()).containsExactly(expAvgA.toFloatArray());
    }

    /** Adadelta, RMSprop (centered, momentum) and Adagrad: their buffers go through the file under torch's names. */
    @Test
    void adadeltaRmspropAndAdagradResumeExactlyFromAFile(@TempDir Path dir) throws Exception {
        resumesFromFile(dir, ps -> new Adadelta(ps, new Adadelta.Options(1.0, 0.9, 1e-6, 0.01)), "square_avg", "acc_delta");
        resumesFromFile(dir, ps -> new RMSprop(ps, new RMSprop.Options(0.01, 0.99, 1e-8, 0.01, 0.9, true)),
                "square_avg", "momentum_buffer", "grad_avg");
        resumesFromFile(dir, ps -> new Adagrad(ps, new Adagrad.Options(0.1, 0.01, 0.01, 0.1, 1e-10)), "sum");
    }

    private static void resumesFromFile(Path dir, Function<List<Parameter>, Optimizer> make, String... buffers) throws Exception {
        float[] init = {1, 2, 3, 4, 5, 6};
        Parameter a = new Parameter(Antorcha.tensor(init, 2, 3));
        Optimizer optA = make.apply(List.of(a));
        for (int k = 1; k <= 3; k++) step(a, optA, k);
        Path file = dir.resolve(optA.getClass().getSimpleName() + ".safetensors");
        optA.stateDict().save(file);
        float[] atThree = a.toFloatArray();
        for (int k = 4; k <= 6; k++) step(a, optA, k);

        Parameter b = new Parameter(Antorcha.tensor(atThree, 2, 3));
        Optimizer optB = make.apply(List.of(b));
        OptimizerState loaded = OptimizerState.load(file);
        assertThat(loaded.state().get(0).keySet()).containsExactlyInAnyOrder(concat("step", buffers));
        assertThat(loaded.state().get(0).get("step").item()).isEqualTo(3f);
        optB.loadStateDict(loaded);
        for (int k = 4; k <= 6; k++) step(b, optB, k);
        assertThat(b.toFloatArray()).as(optA.getClass().getSimpleName()).containsExactly(a.toFloatArray());
        for (String name : buffers) {
            assertThat(optB.stateDict().state().get(0).get(name).toFloatArray()).as(name)
                    .containsExactly(optA.stateDict().state().get(0).get(name).toFloatArray());
        }
    }

    private static String[] concat(String first, String... rest) {
        String[] all = new String[rest.length + 1];
        all[0] = first;
        System.arraycopy(rest, 0, all, 1, rest.length);
        return all;
    }
}
