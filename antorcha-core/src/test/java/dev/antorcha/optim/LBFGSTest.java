package dev.antorcha.optim;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.antorcha.Antorcha;
import dev.antorcha.nn.Parameter;
import dev.antorcha.tensor.DType;
import dev.antorcha.tensor.Tensor;
import java.util.List;
import java.util.function.Function;
import org.junit.jupiter.api.Test;

/**
 * LBFGS in float64 against torch 1.13's {@code torch.optim.LBFGS} on the same problems (numbers printed
 * with Python's repr by torch on this machine's build), against hand-computed steps, and its line search
 * against the strong Wolfe conditions it promises.
 */
class LBFGSTest {

    /** Rosenbrock's function, minimum 0 at (1, 1). */
    private static Tensor rosenbrock(Tensor x) {
        Tensor a = x.select(0, 0), b = x.select(0, 1);
        return a.neg().add(1).pow(2).add(b.sub(a.pow(2)).pow(2).mul(100));
    }

    private static final Tensor A = Antorcha.tensor(new double[] {3, 1, 1, 2}, 2, 2);
    private static final Tensor B = Antorcha.tensor(new double[] {1, 1});

    /** {@code 0.5 x·Ax - b·x}, minimum at {@code A⁻¹b = (0.2, 0.4)}. */
    private static Tensor quadratic(Tensor x) {
        return x.matmul(A.matmul(x)).mul(0.5).sub(B.matmul(x));
    }

    /** Parameter, optimizer, and the number of closure calls so far. */
    private record Run(Parameter x, LBFGS opt, int[] evals, Function<Tensor, Tensor> f) {
        static Run of(double[] x0, LBFGS.Options options, Function<Tensor, Tensor> f) {
            Parameter x = new Parameter(Antorcha.tensor(x0));
            return new Run(x, new LBFGS(List.of(x), options), new int[1], f);
        }

        double step() {
            return opt.step(() -> {
                opt.zeroGrad();
                Tensor l = f.apply(x);
                l.backward();
                evals[0]++;
                return l;
            }).doubleItem();
        }
    }

    private static void close(double[] mine, double tol, double... torch) {
        for (int i = 0; i < torch.length; i++) {
            assertThat(Math.abs(mine[i] - torch[i])).as("element %d: %s vs %s", i, mine[i], torch[i]).isLessThanOrEqualTo(tol);
        }
    }

    @Test
    void rosenbrockWithStrongWolfeReachesTheMinimumAsTorchDoes() {
        Run r = Run.of(new double[] {-1.5, 2}, LBFGS.Options.defaults().lineSearchFn("strong_wolfe"), LBFGSTest::rosenbrock);
        assertThat(r.x().dtype()).isEqualTo(DType.FLOAT64);
        // torch: step returns 12.5 (f at the start), x = (-0.08511855589860293, -0.028757058413769698), 25 evaluations
        assertThat(r.step()).isEqualTo(12.5);
        close(r.x().toDoubleArray(), 1e-12, -0.08511855589860293, -0.028757058413769698);
        assertThat(r.evals()[0]).isEqualTo(25);
        assertThat(r.step()).isCloseTo(1.3070983150500495, org.assertj.core.data.Offset.offset(1e-10));
        close(r.x().toDoubleArray(), 1e-9, 0.9995835472529905, 0.9991550319577943);
        r.step();
        close(r.x().toDoubleArray(), 1e-8, 0.9999979943196398, 0.9999973438921637);
        assertThat(r.evals()[0]).isEqualTo(53);
        close(r.x().toDoubleArray(), 1e-5, 1, 1);
    }

    @Test
    void quadraticConvergesWithAFixedStep() {
        Run r = Run.of(new double[] {4, -3}, LBFGS.Options.defaults(), LBFGSTest::quadratic);
        assertThat(r.step()).isEqualTo(20.0);   // f(x0) = 0.5·x0·A·x0 - b·x0
        close(r.x().toDoubleArray(), 1e-5, 0.2, 0.4);
        // torch: 6 evaluations, x = (0.2000045145046654, 0.39999591489935205), then the second call
        // stops at once (g·d above -tolerance_change) after one evaluation, leaving x where it was
        close(r.x().toDoubleArray(), 1e-12, 0.2000045145046654, 0.39999591489935205);
        assertThat(r.evals()[0]).isEqualTo(6);
        double[] before = r.x().toDoubleArray();
        assertThat(r.step()).isCloseTo(-0.3, org.assertj.core.data.Offset.offset(1e-10));
        assertThat(r.evals()[0]).isEqualTo(7);
        close(r.x().toDoubleArray(), 0, before);
    }

    @Test
    void onlyTheVeryFirstIterationScalesTheStepByTheGradientsL1Norm() {
        Run r = Run.of(new double[] {4, -3}, LBFGS.Options.defaults().maxIter(1), LBFGSTest::quadratic);
        r.step();
        // g0 = A x0 - b = (8, -3), sum|g0| = 11: x1 = x0 - g0 / 11; the last iteration is not re-evaluated
        close(r.x().toDoubleArray(), 1e-15, 4 - 8 / 11., -3 + 3 / 11.);
        assertThat(r.evals()[0]).isEqualTo(1);
        // the second call keeps the first's direction and step as a curvature pair and uses t = lr (torch's numbers)
        assertThat(r.step()).isCloseTo(14.033057851239667, org.assertj.core.data.Offset.offset(1e-12));
        close(r.x().toDoubleArray(), 1e-12, 0.2350672770148443, 0.031793591344151384);
    }

    @Test
    void theLastIterationOfACallIsNotReevaluated() {
        Run r = Run.of(new double[] {4, -3}, LBFGS.Options.defaults().maxIter(3), LBFGSTest::quadratic);
        r.step();
        assertThat(r.evals()[0]).isEqualTo(3);   // 1 at the start + 1 after each iteration but the last
        close(r.x().toDoubleArray(), 1e-12, 0.2350672770148443, 0.031793591344151384);
    }

    @Test
    void float32ParametersStayFloat32() {
        Parameter x = new Parameter(Antorcha.tensor(new float[] {4, -3}));
        Tensor a32 = A.toFloat(), b32 = B.toFloat();
        LBFGS opt = new LBFGS(List.of(x), 1.0);
        opt.step(() -> {
            opt.zeroGrad();
            Tensor l = x.matmul(a32.matmul(x)).mul(0.5).sub(b32.matmul(x));
            l.backward();
            return l;
        });
        assertThat(x.dtype()).isEqualTo(DType.FLOAT32);
        close(x.toDoubleArray(), 1e-4, 0.2, 0.4);
    }

    @Test
    void strongWolfeAcceptsAStepSatisfyingBothConditions() {
        // along d = -g from (-1.5, 2) on Rosenbrock, starting from a step of 1 (far too long)
        Tensor x0 = Antorcha.tensor(new double[] {-1.5, 2});
        Tensor g0 = grad(x0);
        Tensor d = g0.neg();
        double f0 = rosenbrock(x0).doubleItem(), gtd = StrongWolfe.dot(g0, d);
        StrongWolfe.Result r = StrongWolfe.search(t -> {
            Tensor x = x0.add(d, t);
            return new StrongWolfe.Eval(rosenbrock(x).doubleItem(), grad(x));
        }, 1, d.abs().max().doubleItem(), d, f0, g0, gtd, 1e-9);
        Tensor xt = x0.add(d, r.t());
        double ft = rosenbrock(xt).doubleItem();
        assertThat(r.f()).isEqualTo(ft);
        assertThat(ft).as("sufficient decrease").isLessThanOrEqualTo(f0 + 1e-4 * r.t() * gtd);
        assertThat(Math.abs(StrongWolfe.dot(grad(xt), d))).as("curvature").isLessThanOrEqualTo(0.9 * Math.abs(gtd));
        assertThat(r.t()).isLessThan(1).isGreaterThan(0);
        assertThat(r.evals()).isGreaterThan(1);
    }

    private static Tensor grad(Tensor at) {
        Tensor x = at.detach().clone().requiresGrad(true);
        rosenbrock(x).backward();
        return x.grad();
    }

    @Test
    void cubicInterpolationFindsTheMinimumOfACubicFit() {
        // f = (x - 2)²: at 0 f = 4, f' = -4; at 3 f = 1, f' = 2 — the fitted cubic is f itself, minimum 2
        assertThat(StrongWolfe.cubicInterpolate(0, 4, -4, 3, 1, 2, Double.NaN, Double.NaN)).isEqualTo(2.0);
        assertThat(StrongWolfe.cubicInterpolate(3, 1, 2, 0, 4, -4, Double.NaN, Double.NaN)).isEqualTo(2.0);
        // clamped to the bounds given
        assertThat(StrongWolfe.cubicInterpolate(0, 4, -4, 3, 1, 2, 2.5, 30)).isEqualTo(2.5);
        // no real minimum (d1 = 1 + 1 - 3·0.9 = -0.7, d1² < g1·g2 = 1): the middle of the bounds
        assertThat(StrongWolfe.cubicInterpolate(0, 0, 1, 1, 0.9, 1, Double.NaN, Double.NaN)).isEqualTo(0.5);
    }

    @Test
    void defaultsAreTorchs() {
        LBFGS.Options o = LBFGS.Options.defaults();
        assertThat(o.lr()).isEqualTo(1);
        assertThat(o.maxIter()).isEqualTo(20);
        assertThat(o.effectiveMaxEval()).isEqualTo(25);
        assertThat(o.maxIter(7).effectiveMaxEval()).isEqualTo(8);   // max_iter * 5 // 4
        assertThat(o.maxIter(7).maxEval(3).effectiveMaxEval()).isEqualTo(3);
        assertThat(o.toleranceGrad()).isEqualTo(1e-7);
        assertThat(o.toleranceChange()).isEqualTo(1e-9);
        assertThat(o.historySize()).isEqualTo(100);
        assertThat(o.lineSearchFn()).isNull();
    }

    @Test
    void errorsNameWhatIsWrong() {
        Parameter p = new Parameter(Antorcha.zeros(DType.FLOAT64, 2)), q = new Parameter(Antorcha.zeros(DType.FLOAT64, 2));
        assertThatThrownBy(() -> new LBFGS(List.of(ParamGroup.of(List.of(p)), ParamGroup.of(List.of(q))), LBFGS.Options.defaults()))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("LBFGS doesn't support per-parameter options (parameter groups)");
        assertThatThrownBy(() -> LBFGS.Options.defaults().lineSearchFn("backtracking"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("only 'strong_wolfe' is supported").hasMessageContaining("'backtracking'");
        assertThatThrownBy(() -> LBFGS.Options.defaults().lr(-1)).hasMessage("Invalid learning rate: -1.0");
        assertThatThrownBy(() -> LBFGS.Options.defaults().historySize(0)).hasMessageContaining("history_size");
        assertThatThrownBy(() -> new LBFGS(List.of(), 1.0)).hasMessage("optimizer got an empty parameter list");
        LBFGS opt = new LBFGS(List.of(p));
        assertThatThrownBy(opt::step).isInstanceOf(IllegalStateException.class).hasMessageContaining("step(closure)");
        assertThatThrownBy(() -> opt.step(null)).isInstanceOf(NullPointerException.class).hasMessageContaining("closure");
        assertThatThrownBy(() -> opt.step(() -> p.mul(2))).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("one-element").hasMessageContaining("[2]");
        assertThatThrownBy(opt::stateDict).isInstanceOf(UnsupportedOperationException.class);
    }

    @Test
    void returnsAtOnceWhenTheGradientIsAlreadyBelowToleranceGrad() {
        Run r = Run.of(new double[] {0.2, 0.4}, LBFGS.Options.defaults(), LBFGSTest::quadratic);
        r.step();
        assertThat(r.evals()[0]).isEqualTo(1);
        close(r.x().toDoubleArray(), 0, 0.2, 0.4);
    }
}
