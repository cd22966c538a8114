package dev.antorcha.optim;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import dev.antorcha.Antorcha;
import dev.antorcha.nn.Parameter;
import dev.antorcha.tensor.Tensor;
import java.util.List;
import java.util.function.Function;
import org.junit.jupiter.api.Test;

/**
 * Optimizers against PyTorch 1.13 trajectories: three steps on a [2, 3] parameter with fixed
 * gradients. Literals printed by Python with torch 1.13 ("%.9g" per element) from:
 * <pre>
 * P0 = torch.tensor([[0.5, -1.0, 2.0], [0.0, 0.25, -3.0]])
 * G = torch.tensor([[[1.0,-2.0,0.5],[0.0,4.0,-0.25]], [[-0.5,1.0,0.5],[2.0,-1.0,0.125]], [[0.25,0.5,-1.0],[-1.0,0.75,0.0]]])
 * def traj(make, G=G):
 *     p = P0.clone().requires_grad_(); o = make([p]); out = []
 *     for k in range(3): p.grad = G[k].clone(); o.step(); out.append(p.detach().clone())
 *     return torch.stack(out)
 * </pre>
 */
class OptimizerTest {
    private static final float[] P0 = {0.5f, -1.0f, 2.0f, 0.0f, 0.25f, -3.0f};
    private static final float[][] G = {{1.0f, -2.0f, 0.5f, 0.0f, 4.0f, -0.25f}, {-0.5f, 1.0f, 0.5f, 2.0f, -1.0f, 0.125f},
            {0.25f, 0.5f, -1.0f, -1.0f, 0.75f, 0.0f}};
    /** Large first gradients, then small ones, so that v shrinks and amsgrad's max matters. */
    private static final float[][] G2 = {{10.0f, -8.0f, 4.0f, 0.5f, 2.0f, -6.0f}, {0.5f, -0.25f, 0.125f, 1.0f, 0.0f, -0.5f},
            {0.125f, 0.25f, -0.0625f, -2.0f, 0.5f, 0.25f}};

    private static Parameter param() {
        return new Parameter(Antorcha.tensor(P0, 2, 3));
    }

    /** The parameter after each of three steps with gradients {@code grads}. */
    private static float[][] trajectory(Function<List<Parameter>, Optimizer> make, float[][] grads) {
        Parameter p = param();
        Optimizer o = make.apply(List.of(p));
        float[][] out = new float[3][];
        for (int k = 0; k < 3; k++) {
            p.setGrad(Antorcha.tensor(grads[k], 2, 3));
            o.step();
            out[k] = p.toFloatArray();
        }
        return out;
    }

    private static void assertTrajectory(float[][] got, double[][] expected) {
        for (int k = 0; k < 3; k++) {
            for (int i = 0; i < 6; i++) {
                assertThat((double) got[k][i]).as("step %d element %d", k + 1, i)
                        .isCloseTo(expected[k][i], within(1e-6 + 2e-6 * Math.abs(expected[k][i])));
            }
        }
    }

    @Test
    void sgdVariantsFollowPyTorch() {
        // traj(lambda ps: torch.optim.SGD(ps, lr=0.1))
        assertTrajectory(trajectory(ps -> new SGD(ps, 0.1), G), new double[][] {
                {0.400000006, -0.800000012, 1.95000005, 0, -0.150000006, -2.9749999},
                {0.450000018, -0.900000036, 1.9000001, -0.200000003, -0.0500000045, -2.98749995},
                {0.425000012, -0.950000048, 2, -0.100000001, -0.125, -2.98749995}});
        // traj(lambda ps: torch.optim.SGD(ps, lr=0.1, momentum=0.9))
        assertTrajectory(trajectory(ps -> new SGD(ps, new SGD.Options(0.1, 0.9, 0, 0, false)), G), new double[][] {
                {0.400000006, -0.800000012, 1.95000005, 0, -0.150000006, -2.9749999},
                {0.360000014, -0.720000029, 1.85500002, -0.200000003, -0.409999996, -2.96499991},
                {0.299000025, -0.698000014, 1.86950004, -0.280000001, -0.718999982, -2.95599985}});
        // traj(lambda ps: torch.optim.SGD(ps, lr=0.1, momentum=0.9, dampening=0.5))
        assertTrajectory(trajectory(ps -> new SGD(ps, new SGD.Options(0.1, 0.9, 0.5, 0, false)), G), new double[][] {
                {0.400000006, -0.800000012, 1.95000005, 0, -0.150000006, -2.9749999},
                {0.335000008, -0.670000017, 1.88, -0.100000001, -0.460000008, -2.95875001},
                {0.263999999, -0.578000009, 1.86699998, -0.140000001, -0.776499987, -2.94412494}});
        // traj(lambda ps: torch.optim.SGD(ps, lr=0.1, momentum=0.9, nesterov=True))
        assertTrajectory(trajectory(ps -> new SGD(ps, new SGD.Options(0.1, 0.9, 0, 0, true)), G), new double[][] {
                {0.310000002, -0.620000005, 1.90499997, 0, -0.50999999, -2.9525001},
                {0.324000001, -0.648000002, 1.76950002, -0.379999995, -0.643999994, -2.95600009},
                {0.244100004, -0.678200006, 1.88255, -0.351999998, -0.997099996, -2.94790006}});
        // traj(lambda ps: torch.optim.SGD(ps, lr=0.1, momentum=0.9, weight_decay=0.01))
        assertTrajectory(trajectory(ps -> new SGD(ps, new SGD.Options(0.1, 0.9, 0, 0.01, false)), G), new double[][] {
                {0.399500012, -0.799000025, 1.94799995, 0, -0.150250018, -2.97199988},
                {0.358650506, -0.717301011, 1.84925199, -0.200000003, -0.410324752, -2.95632792},
                {0.296527326, -0.693054616, 1.85852957, -0.279799998, -0.718981683, -2.93926668}});
    }

    @Test
    void adamAndAdamWFollowPyTorch() {
        // traj(lambda ps: torch.optim.Adam(ps, lr=0.01))
        assertTrajectory(trajectory(ps -> new Adam(ps, 0.01), G), new double[][] {
                {0.49000001, -0.99000001, 1.99000001, 0, 0.239999995, -2.99000001},
                {0.487336636, -0.987336636, 1.98000002, -0.00744136795, 0.235305309, -2.98733664},
                {0.483932346, -0.986722767, 1.98075652, -0.00972777139, 0.230590671, -2.98527789}});
        // traj(lambda ps: torch.optim.Adam(ps, lr=0.01, betas=(0.8, 0.99), eps=1e-6, weight_decay=0.1, amsgrad=True))
        assertTrajectory(trajectory(ps -> new Adam(ps, new Adam.Options(0.01, 0.8, 0.99, 1e-6, 0.1, true)), G), new double[][] {
                {0.49000001, -0.99000001, 1.99000001, 0, 0.24000001, -2.99000001},
                {0.4873209, -0.987317026, 1.98000073, -0.00783707015, 0.235733584, -2.98162031},
                {0.483641893, -0.986635268, 1.97885752, -0.0097371405, 0.231386468, -2.97296929}});
        // traj(lambda ps: torch.optim.AdamW(ps, lr=0.01, weight_decay=0.1))
        assertTrajectory(trajectory(ps -> new AdamW(ps, new Adam.Options(0.01, 0.9, 0.999, 1e-8, 0.1, false)), G), new double[][] {
                {0.489500016, -0.989000022, 1.98800004, 0, 0.239749998, -2.98699999},
                {0.486347139, -0.985347688, 1.97601211, -0.00744136795, 0.234815568, -2.98134971},
                {0.482456505, -0.983748496, 1.9747926, -0.00972033013, 0.229866117, -2.97630954}});
    }

    @Test
    void adamAmsgradKeepsTheLargestSecondMoment() {
        // traj(lambda ps: torch.optim.Adam(ps, lr=0.01, betas=(0.9, 0.9), amsgrad=a), G=G2) for a in (False, True)
        assertTrajectory(trajectory(ps -> new Adam(ps, new Adam.Options(0.01, 0.9, 0.9, 1e-8, 0, false)), G2), new double[][] {
                {0.49000001, -0.99000001, 1.99000001, -0.0100000007, 0.239999995, -2.99000001},
                {0.48274526, -0.98288244, 1.98288238, -0.0195043683, 0.233117521, -2.98250914},
                {0.47689873, -0.977442622, 1.97733474, -0.0176353715, 0.226224035, -2.97684479}});
        Parameter p = param();
        Adam adam = new Adam(List.of(p), new Adam.Options(0.01, 0.9, 0.9, 1e-8, 0, true));
        float[][] got = new float[3][];
        for (int k = 0; k < 3; k++) {
            p.setGrad(Antorcha.tensor(G2[k], 2, 3));
            adam.step();
            got[k] = p.toFloatArray();
        }
        assertTrajectory(got, new double[][] {
                {0.49000001, -0.99000001, 1.99000001, -0.0100000007, 0.239999995, -2.99000001},
                {0.483107984, -0.983244002, 1.98324406, -0.0195043683, 0.233470708, -2.98286605},
                {0.477838308, -0.978342593, 1.97824776, -0.0176353715, 0.227031663, -2.97774315}});
        // o.state[p]['max_exp_avg_sq'] and ['exp_avg_sq'] after the three steps
        var s = adam.stateDict().state().get(0);
        float[] vmax = s.get("max_exp_avg_sq").toFloatArray(), v = s.get("exp_avg_sq").toFloatArray();
        double[] vmaxRef = {10, 6.4000001, 1.60000002, 0.510249972, 0.400000006, 3.60000014};
        double[] vRef = {8.12406158, 5.19587469, 1.29779685, 0.510249972, 0.348999977, 2.94474983};
        for (int i = 0; i < 6; i++) {
            assertThat((double) vmax[i]).isCloseTo(vmaxRef[i], within(1e-5 * vmaxRef[i]));
            assertThat((double) v[i]).isCloseTo(vRef[i], within(1e-5 * vRef[i]));
        }
        assertThat(s.get("step").item()).isEqualTo(3f);
    }

    @Test
    void hyperparametersAreValidatedWithTheBadValueInTheMessage() {
        List<Parameter> ps = List.of(param());
        // torch.optim.SGD([p], lr=-1.0) -> ValueError "Invalid learning rate: -1.0", and so on
        assertThatThrownBy(() -> new SGD(ps, -1.0)).isInstanceOf(IllegalArgumentException.class).hasMessageContaining("Invalid learning rate: -1.0");
        assertThatThrownBy(() -> new SGD.Options(0.1, -0.5, 0, 0, false)).hasMessageContaining("Invalid momentum value: -0.5");
        assertThatThrownBy(() -> new SGD.Options(0.1, 0.9, 0, -0.1, false)).hasMessageContaining("Invalid weight_decay value: -0.1");
        // "Nesterov momentum requires a momentum and zero dampening"
        assertThatThrownBy(() -> new SGD.Options(0.1, 0.9, 0.1, 0, true)).hasMessageContaining("Nesterov momentum requires a momentum and zero dampening");
        assertThatThrownBy(() -> new SGD.Options(0.1, 0, 0, 0, true)).hasMessageContaining("Nesterov");
        assertThatThrownBy(() -> new Adam(ps, -1.0)).hasMessageContaining("Invalid learning rate: -1.0");
        assertThatThrownBy(() -> new Adam.Options(0.1, 1.0, 0.999, 1e-8, 0, false)).hasMessageContaining("Invalid beta parameter at index 0: 1.0");
        assertThatThrownBy(() -> new Adam.Options(0.1, 0.9, 1.5, 1e-8, 0, false)).hasMessageContaining("Invalid beta parameter at index 1: 1.5");
        assertThatThrownBy(() -> new Adam.Options(0.1, -0.1, 0.999, 1e-8, 0, false)).hasMessageContaining("Invalid beta parameter at index 0: -0.1");
        assertThatThrownBy(() -> new Adam.Options(0.1, 0.9, 0.999, -0.5, 0, false)).hasMessageContaining("Invalid epsilon value: -0.5");
        assertThatThrownBy(() -> new Adam.Options(0.1, 0.9, 0.999, 1e-8, -0.1, false)).hasMessageContaining("Invalid weight_decay value: -0.1");
        assertThatThrownBy(() -> new AdamW(ps, new Adam.Options(Double.NaN))).hasMessageContaining("Invalid learning rate: NaN");
        // A group's own bad value is caught too, and so are an empty list and a parameter in two groups.
        assertThatThrownBy(() -> new SGD(List.of(ParamGroup.of(ps).set("lr", -2.0)), new SGD.Options(0.1)))
                .hasMessageContaining("Invalid learning rate: -2.0");
        assertThatThrownBy(() -> new SGD(List.<Parameter>of(), 0.1)).hasMessageContaining("empty parameter list");
        assertThatThrownBy(() -> new SGD(List.of(ParamGroup.of(ps), ParamGroup.of(ps)), new SGD.Options(0.1)))
                .hasMessageContaining("more than one parameter group");
    }

    @Test
    void parameterGroupsUseTheirOwnHyperparameters() {
        Parameter frozen = param(), fast = param(), slow = param();
        SGD sgd = new SGD(List.of(ParamGroup.of(List.of(frozen)).set("lr", 0), ParamGroup.of(List.of(fast)),
                ParamGroup.of(List.of(slow)).set("lr", 0.01).set("momentum", 0.9)), new SGD.Options(0.1));
        assertThat(sgd.paramGroups().get(1).lr()).isEqualTo(0.1);
        assertThat(sgd.paramGroups().get(2).get("momentum")).isEqualTo(0.9);
        for (int k = 0; k < 2; k++) {
            for (Parameter p : List.of(frozen, fast, slow)) p.setGrad(Antorcha.tensor(G[k], 2, 3));
            sgd.step();
        }
        assertThat(frozen.toFloatArray()).as("lr 0 leaves the group unchanged").containsExactly(P0);
        float[] f = fast.toFloatArray(), s = slow.toFloatArray();
        for (int i = 0; i < 6; i++) {
            assertThat(f[i]).isCloseTo(P0[i] - 0.1f * G[0][i] - 0.1f * G[1][i], within(1e-6f));
            // momentum 0.9: buf1 = g1, buf2 = 0.9·g1 + g2
            assertThat(s[i]).isCloseTo(P0[i] - 0.01f * G[0][i] - 0.01f * (0.9f * G[0][i] + G[1][i]), within(1e-6f));
        }
    }

    @Test
    void zeroGradZeroesInPlaceOrDropsTheGradients() {
        Parameter a = param(), b = param();
        SGD sgd = new SGD(List.of(a, b), 0.1);
        a.mul(b).sum().backward();
        Tensor ga = a.grad();
        sgd.zeroGrad();
        assertThat(a.grad()).isSameAs(ga);
        assertThat(ga.toFloatArray()).containsOnly(0f);
        assertThat(b.grad().toFloatArray()).containsOnly(0f);
        sgd.zeroGrad(true);
        assertThat(a.grad()).isNull();
        assertThat(b.grad()).isNull();
        sgd.step();                                        // no gradients: nothing moves
        assertThat(a.toFloatArray()).containsExactly(P0);
    }
}
