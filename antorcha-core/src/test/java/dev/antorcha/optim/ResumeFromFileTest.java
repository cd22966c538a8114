package dev.antorcha.optim;

import static org.assertj.core.api.Assertions.assertThat;

import dev.antorcha.Antorcha;
import dev.antorcha.nn.Parameter;
import dev.antorcha.tensor.Tensor;
import java.nio.file.Path;
import java.util.List;
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
}
