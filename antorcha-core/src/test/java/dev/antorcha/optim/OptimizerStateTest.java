package dev.antorcha.optim;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.antorcha.Antorcha;
import dev.antorcha.nn.Parameter;
import dev.antorcha.tensor.Tensor;
import java.util.List;
import java.util.function.Function;
import org.junit.jupiter.api.Test;

/**
 * Resuming from an optimizer's state dict: five steps in one go must equal three steps, a save,
 * and two more steps in a fresh optimizer over fresh parameters holding the three-step values,
 * bit for bit (the reference is the uninterrupted run itself).
 */
class OptimizerStateTest {
    private static final Tensor X = Antorcha.tensor(new float[] {0.5f, -1.5f, 2.0f, 1.0f, 0.25f, -0.75f}, 3, 2);

    /** Two parameters, a weight [2, 3] and a bias [2]. */
    private static List<Parameter> params(float[] w, float[] b) {
        return List.of(new Parameter(Antorcha.tensor(w, 2, 3)), new Parameter(Antorcha.tensor(b, 2)));
    }

    /** One step of a small least-squares problem, gradients by autograd. */
    private static void step(List<Parameter> ps, Optimizer o, int k) {
        Tensor y = ps.get(0).matmul(X.mul(k + 1)).add(ps.get(1).unsqueeze(1));     // [2, 2]
        o.zeroGrad();
        y.sub(1).pow(2).sum().backward();
        o.step();
    }

    private static void assertResumesBitwise(Function<List<Parameter>, Optimizer> make) {
        List<Parameter> a = params(new float[] {0.1f, -0.2f, 0.3f, 0.4f, -0.5f, 0.6f}, new float[] {0.05f, -0.05f});
        Optimizer optA = make.apply(a);
        for (int k = 0; k < 3; k++) step(a, optA, k);
        OptimizerState saved = optA.stateDict();
        float[] w3 = a.get(0).toFloatArray(), b3 = a.get(1).toFloatArray();
        for (int k = 3; k < 5; k++) step(a, optA, k);

        List<Parameter> b = params(w3, b3);
        Optimizer optB = make.apply(b);
        optB.loadStateDict(saved);
        for (int k = 3; k < 5; k++) step(b, optB, k);
        assertThat(b.get(0).toFloatArray()).containsExactly(a.get(0).toFloatArray());
        assertThat(b.get(1).toFloatArray()).containsExactly(a.get(1).toFloatArray());

        // Without the state the same two steps end elsewhere: the test would notice a lost buffer.
        List<Parameter> c = params(w3, b3);
        Optimizer optC = make.apply(c);
        for (int k = 3; k < 5; k++) step(c, optC, k);
        assertThat(c.get(0).toFloatArray()).isNotEqualTo(a.get(0).toFloatArray());
    }

    @Test
    void adamResumesBitwise() {
        assertResumesBitwise(ps -> new Adam(ps, 0.01));
        assertResumesBitwise(ps -> new Adam(ps, new Adam.Options(0.01, 0.9, 0.99, 1e-8, 0.1, true)));
        assertResumesBitwise(ps -> new AdamW(ps, 0.01));
    }

    @Test
    void sgdWithMomentumResumesBitwise() {
        assertResumesBitwise(ps -> new SGD(ps, new SGD.Options(0.01, 0.9, 0, 0.01, true)));
    }

    @Test
    void adadeltaRmspropAndAdagradResumeBitwise() {
        assertResumesBitwise(ps -> new Adadelta(ps, new Adadelta.Options(1.0, 0.9, 1e-6, 0.01)));
        assertResumesBitwise(ps -> new RMSprop(ps, new RMSprop.Options(0.01, 0.99, 1e-8, 0.01, 0.9, true)));
        assertResumesBitwise(ps -> new Adagrad(ps, new Adagrad.Options(0.1, 0.01, 0.01, 0.1, 1e-10)));
    }

    @Test
    void stateDictHoldsCopiesOfTheBuffersAndTheGroupsHyperparameters() {
        List<Parameter> ps = params(new float[6], new float[2]);
        Adam adam = new Adam(ps, 0.01);
        step(ps, adam, 0);
        OptimizerState s = adam.stateDict();
        assertThat(s.paramGroups()).hasSize(1);
        assertThat(s.paramGroups().get(0)).containsEntry("lr", 0.01).containsEntry("beta2", 0.999);
        assertThat(s.state().keySet()).containsExactly(0, 1);
        assertThat(s.state().get(0).keySet()).contains("step", "exp_avg", "exp_avg_sq");
        float[] m = s.state().get(0).get("exp_avg").toFloatArray();
        step(ps, adam, 1);
        assertThat(s.state().get(0).get("exp_avg").toFloatArray()).as("a snapshot, not the live buffer").containsExactly(m);
        assertThat(s.state().get(0).get("step").item()).isEqualTo(1f);
        // Loading restores the saved hyperparameters as well.
        Adam other = new Adam(params(new float[6], new float[2]), 0.5);
        other.loadStateDict(s);
        assertThat(other.paramGroups().get(0).lr()).isEqualTo(0.01);
    }

    @Test
    void loadingIntoAMismatchedOptimizerFailsClearly() {
        List<Parameter> ps = params(new float[6], new float[2]);
        Adam adam = new Adam(ps, 0.01);
        step(ps, adam, 0);
        OptimizerState saved = adam.stateDict();
        // Parameters in another order: shapes no longer match.
        Adam swapped = new Adam(List.of(ps.get(1), ps.get(0)), 0.01);
        assertThatThrownBy(() -> swapped.loadStateDict(saved)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("[2, 3]").hasMessageContaining("[2]");
        // Fewer parameters than the saved state has.
        Adam fewer = new Adam(List.of(ps.get(0)), 0.01);
        assertThatThrownBy(() -> fewer.loadStateDict(saved)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageMatching("(?s).*(state for parameter 1|doesn't match the size).*");
        // Another number of groups.
        Adam twoGroups = new Adam(List.of(ParamGroup.of(List.of(ps.get(0))), ParamGroup.of(List.of(ps.get(1)))), new Adam.Options(0.01));
        assertThatThrownBy(() -> twoGroups.loadStateDict(saved)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("parameter groups");
        // Nothing was loaded by the failed attempts.
        assertThat(swapped.stateDict().state()).isEmpty();
    }

    @Test
    void loadingIntoAGroupOfAnotherSizeFails() {
        // torch: "loaded state dict contains a parameter group that doesn't match the size of optimizer's group"
        List<Parameter> ps = params(new float[6], new float[2]);
        Adam adam = new Adam(ps, 0.01);
        step(ps, adam, 0);
        OptimizerState saved = adam.stateDict();
        Adam more = new Adam(List.of(ps.get(0), ps.get(1), new Parameter(Antorcha.zeros(4))), 0.01);
        assertThatThrownBy(() -> more.loadStateDict(saved)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("doesn't match the size");
    }
}
