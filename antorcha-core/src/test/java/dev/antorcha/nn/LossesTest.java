package dev.antorcha.nn;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import dev.antorcha.Antorcha;
import dev.antorcha.autograd.GradCheck;
import dev.antorcha.tensor.Tensor;
import java.util.function.BiFunction;
import org.junit.jupiter.api.Test;

/**
 * Losses against PyTorch 1.13. Every literal was printed by Python with torch 1.13
 * ({@code "%.9g" % v} for each element of {@code t.flatten().tolist()}); the Python is quoted above
 * each block, with these shared inputs:
 * <pre>
 * import torch, torch.nn.functional as F
 * X = torch.tensor([[1.5,-0.5,0.25,2.0,-1.0],[0.0,3.0,-2.0,0.5,1.0],[-1.5,0.75,0.0,-0.25,2.5],[2.0,2.0,-3.0,1.25,0.5]])
 * T = torch.tensor([1, 0, 4, 2]); TI = torch.tensor([1, -100, 4, 2])
 * def run(fn, *a, **k): x = X.clone().requires_grad_(); l = fn(x, *a, **k); l.sum().backward(); return l, x.grad
 * </pre>
 */
class LossesTest {
    private static final float[][] X = {{1.5f, -0.5f, 0.25f, 2.0f, -1.0f}, {0.0f, 3.0f, -2.0f, 0.5f, 1.0f},
            {-1.5f, 0.75f, 0.0f, -0.25f, 2.5f}, {2.0f, 2.0f, -3.0f, 1.25f, 0.5f}};
    private static final Tensor T = Antorcha.tensor(new long[] {1, 0, 4, 2});
    private static final Tensor TI = Antorcha.tensor(new long[] {1, -100, 4, 2});

    private static Tensor x() {
        return Antorcha.tensor(X).requiresGrad(true);
    }

    /** |mine − torch| ≤ 1e-6 + 1e-5·|torch| per element (float32 rounding, other summation order). */
    private static void assertClose(Tensor t, double... expected) {
        float[] v = t.toFloatArray();
        assertThat(v).hasSize(expected.length);
        for (int i = 0; i < v.length; i++) {
            assertThat((double) v[i]).as("element %d of %s", i, t.shape()).isCloseTo(expected[i], within(1e-6 + 1e-5 * Math.abs(expected[i])));
        }
    }

    /** Loss and d loss.sum() / d input, as {@code run} in the class comment. */
    private static Tensor[] run(BiFunction<Tensor, Tensor, Tensor> loss, Tensor input, Tensor target) {
        Tensor l = loss.apply(input, target);
        l.sum().backward();
        return new Tensor[] {l, input.grad()};
    }

    private static void assertGradCheck(BiFunction<Tensor, Tensor, Tensor> loss, Tensor input, Tensor target) {
        GradCheck.Result r = GradCheck.check(in -> loss.apply(in[0], target), input.detach().clone());
        assertThat(r.passed()).as(r.message()).isTrue();
    }

    private static CrossEntropyLoss ce(Reduction r, long ignore, double smoothing) {
        return new CrossEntropyLoss(new CrossEntropyLoss.Options(r, ignore, smoothing));
    }

    private static final double[] CE_SUM_GRAD = {0.317193836, -0.957072496, 0.0908775553, 0.522964239, 0.0260368548,
            -0.960918963, 0.784963012, 0.00528903818, 0.0644336939, 0.106233202, 0.013687769, 0.129865944, 0.0613443255,
            0.0477750078, -0.25267303, 0.37006408, 0.37006408, -0.997506499, 0.174805894, 0.0825724602};

    @Test
    void crossEntropyReductions() {
        // run(F.cross_entropy, T, reduction=r) for r in mean, sum, none
        Tensor[] mean = run(new CrossEntropyLoss()::forward, x(), T);
        assertThat(mean[0].dim()).isZero();
        assertClose(mean[0], 3.16892314);
        double[] meanGrad = new double[20];
        for (int i = 0; i < 20; i++) meanGrad[i] = CE_SUM_GRAD[i] / 4;   // mean = sum / N
        assertClose(mean[1], meanGrad);
        Tensor[] sum = run(new CrossEntropyLoss(Reduction.SUM)::forward, x(), T);
        assertClose(sum[0], 12.6756926);
        assertClose(sum[1], CE_SUM_GRAD);
        Tensor[] none = run(new CrossEntropyLoss(Reduction.NONE)::forward, x(), T);
        assertThat(none[0].shape().toArray()).containsExactly(4);
        assertClose(none[0], 3.14824224, 3.2421186, 0.291252524, 5.99407911);
        assertClose(none[1], CE_SUM_GRAD);
        assertGradCheck(new CrossEntropyLoss()::forward, x(), T);
    }

    @Test
    void crossEntropyIgnoreIndexExcludesRowsFromTheMean() {
        // run(F.cross_entropy, TI): loss 3.14452457 = (3.14824224 + 0.291252524 + 5.99407911) / 3
        Tensor[] mean = run(new CrossEntropyLoss()::forward, x(), TI);
        assertClose(mean[0], 3.14452457);
        assertClose(mean[1], 0.105731279, -0.319024175, 0.0302925184, 0.174321413, 0.00867895223, 0, 0, 0, 0, 0,
                0.00456258981, 0.0432886481, 0.0204481091, 0.0159250032, -0.0842243433, 0.123354696, 0.123354696,
                -0.332502186, 0.0582686327, 0.0275241546);
        // F.cross_entropy(X, TI, reduction="none")
        assertClose(new CrossEntropyLoss(Reduction.NONE).forward(Antorcha.tensor(X), TI), 3.14824224, 0, 0.291252524, 5.99407911);
        // F.cross_entropy(X, T, ignore_index=2) and reduction="sum": a valid class index can be the one ignored
        assertClose(ce(Reduction.MEAN, 2, 0).forward(Antorcha.tensor(X), T), 2.22720456);
        assertClose(ce(Reduction.SUM, 2, 0).forward(Antorcha.tensor(X), T), 6.68161345);
        // F.cross_entropy(X, torch.full((4,), -100)).item() -> nan (0 / 0)
        assertThat(new CrossEntropyLoss().forward(Antorcha.tensor(X), Antorcha.tensor(new long[] {-100, -100, -100, -100})).item()).isNaN();
        assertGradCheck(new CrossEntropyLoss()::forward, x(), TI);
    }

    @Test
    void crossEntropyLabelSmoothing() {
        // run(F.cross_entropy, T, label_smoothing=0.1, reduction=r)
        double[] sumGrad = {0.297193795, -0.877072453, 0.0708775446, 0.502964199, 0.00603685202, -0.88091898, 0.764962912,
                -0.0147109618, 0.0444336869, 0.0862331912, -0.00631223153, 0.109865934, 0.0413443223, 0.0277750045,
                -0.172673032, 0.350064069, 0.350064069, -0.917506456, 0.154805884, 0.0625724569};
        Tensor[] mean = run(ce(Reduction.MEAN, -100, 0.1)::forward, x(), T);
        assertClose(mean[0], 3.09892297);
        assertClose(mean[1], java.util.Arrays.stream(sumGrad).map(g -> g / 4).toArray());
        Tensor[] sum = run(ce(Reduction.SUM, -100, 0.1)::forward, x(), T);
        assertClose(sum[0], 12.3956919);
        assertClose(sum[1], sumGrad);
        assertClose(ce(Reduction.NONE, -100, 0.1).forward(Antorcha.tensor(X), T), 3.05324221, 3.19211864, 0.511252522, 5.63907909);
        // F.cross_entropy(X, TI, label_smoothing=0.1) and reduction="none": ignored rows give 0 and are not counted
        assertClose(ce(Reduction.MEAN, -100, 0.1).forward(Antorcha.tensor(X), TI), 3.06785774);
        assertClose(ce(Reduction.NONE, -100, 0.1).forward(Antorcha.tensor(X), TI), 3.05324221, 0, 0.511252522, 5.63907909);
        assertGradCheck(ce(Reduction.MEAN, -100, 0.1)::forward, x(), TI);
        // nn.CrossEntropyLoss(label_smoothing=1.5) -> "label_smoothing must be between 0.0 and 1.0. Got: 1.5"
        assertThatThrownBy(() -> ce(Reduction.MEAN, -100, 1.5)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("label_smoothing must be between 0.0 and 1.0. Got: 1.5");
    }

    @Test
    void crossEntropyOverExtraDimensions() {
        // XK [N=2, C=3, d=4]; TK [2, 4] with one ignored position
        // XK = torch.tensor([[[0.5,-1.0,2.0,0.0],[1.0,0.25,-0.5,1.5],[-2.0,0.75,1.0,0.5]],
        //                    [[1.25,0.0,-1.5,2.5],[0.0,-0.75,0.5,1.0],[3.0,1.0,0.25,-1.0]]])
        // TK = torch.tensor([[0, 2, 1, 1], [2, 0, -100, 1]]); l = F.cross_entropy(XK, TK, reduction=r)
        float[] xk = {0.5f, -1.0f, 2.0f, 0.0f, 1.0f, 0.25f, -0.5f, 1.5f, -2.0f, 0.75f, 1.0f, 0.5f,
                1.25f, 0.0f, -1.5f, 2.5f, 0.0f, -0.75f, 0.5f, 1.0f, 3.0f, 1.0f, 0.25f, -1.0f};
        Tensor tk = Antorcha.tensor(new long[] {0, 2, 1, 1, 2, 0, -100, 1}, 2, 4);
        Tensor[] mean = run(new CrossEntropyLoss()::forward, Antorcha.tensor(xk, 2, 3, 4).requiresGrad(true), tk);
        assertClose(mean[0], 1.1825304);
        assertClose(mean[1], -0.0905439779, 0.0139441574, 0.0985245854, 0.020034913, 0.0862498507, 0.0486698933,
                -0.134769753, -0.0530669019, 0.00429412676, -0.0626140609, 0.0362451673, 0.0330319852, 0.020289015,
                -0.108767644, 0, 0.11398229, 0.00581290014, 0.0161027424, 0, -0.117424265, -0.0261019226, 0.09266489, 0,
                0.0034419666);
        assertClose(new CrossEntropyLoss(Reduction.SUM).forward(Antorcha.tensor(xk, 2, 3, 4), tk), 8.27771282);
        Tensor none = new CrossEntropyLoss(Reduction.NONE).forward(Antorcha.tensor(xk, 2, 3, 4), tk);
        assertThat(none.shape().toArray()).containsExactly(2, 4);
        assertClose(none, 1.00459695, 0.576784492, 2.87153912, 0.46436879, 0.201765493, 1.43285549, 0, 1.72580206);
        // F.cross_entropy(XK, TK, label_smoothing=0.1)
        assertClose(ce(Reduction.MEAN, -100, 0.1).forward(Antorcha.tensor(xk, 2, 3, 4), tk), 1.2194351);
        assertGradCheck(ce(Reduction.MEAN, -100, 0.1)::forward, Antorcha.tensor(xk, 2, 3, 4), tk);
    }

    @Test
    void crossEntropyWithProbabilityTargets() {
        // P = torch.tensor([[0.1,0.2,0.3,0.4,0.0],[1.0,0,0,0,0],[0.25,0.25,0.25,0.25,0],[0,0.5,0,0,0.5]])
        // run(F.cross_entropy, P, reduction=r); F.cross_entropy(X, P, label_smoothing=0.2)
        Tensor p = Antorcha.tensor(new float[][] {{0.1f, 0.2f, 0.3f, 0.4f, 0}, {1, 0, 0, 0, 0}, {0.25f, 0.25f, 0.25f, 0.25f, 0},
                {0, 0.5f, 0, 0, 0.5f}});
        double[] sumGrad = {0.217193842, -0.157072484, -0.209122449, 0.122964233, 0.0260368548, -0.960918963, 0.784963012,
                0.00528903818, 0.0644336939, 0.106233202, -0.236312225, -0.120134056, -0.188655674, -0.202225, 0.74732697,
                0.37006408, -0.12993592, 0.00249347207, 0.174805894, -0.41742754};
        Tensor[] mean = run(new CrossEntropyLoss()::forward, x(), p);
        assertClose(mean[0], 2.43767309);
        assertClose(mean[1], java.util.Arrays.stream(sumGrad).map(g -> g / 4).toArray());
        Tensor[] sum = run(new CrossEntropyLoss(Reduction.SUM)::forward, x(), p);
        assertClose(sum[0], 9.75069237);
        assertClose(sum[1], sumGrad);
        assertClose(new CrossEntropyLoss(Reduction.NONE).forward(Antorcha.tensor(X), p), 1.72324228, 3.2421186, 3.04125261, 1.74407911);
        assertClose(ce(Reduction.MEAN, -100, 0.2).forward(Antorcha.tensor(X), p), 2.443923);
        assertGradCheck(new CrossEntropyLoss()::forward, x(), p);
    }

    @Test
    void crossEntropyRejectsBadTargetsWithClearMessages() {
        CrossEntropyLoss loss = new CrossEntropyLoss();
        // F.cross_entropy(X, torch.tensor([1, 0, 5, 2])) -> IndexError "Target 5 is out of bounds."
        assertThatThrownBy(() -> loss.forward(Antorcha.tensor(X), Antorcha.tensor(new long[] {1, 0, 5, 2})))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("Target 5 is out of bounds");
        assertThatThrownBy(() -> loss.forward(Antorcha.tensor(X), Antorcha.tensor(new long[] {1, -1, 4, 2})))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("Target -1 is out of bounds");
        // F.cross_entropy(X, torch.tensor([1, 0, 4])) -> "Expected input batch_size (4) to match target batch_size (3)."
        assertThatThrownBy(() -> loss.forward(Antorcha.tensor(X), Antorcha.tensor(new long[] {1, 0, 4})))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("Expected input batch_size (4) to match target batch_size (3)");
        // Float targets are probabilities and must have the input's shape: [4, 3] and [4] (labels as floats) are wrong.
        assertThatThrownBy(() -> loss.forward(Antorcha.tensor(X), Antorcha.zeros(4, 3)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("[4, 5]").hasMessageContaining("[4, 3]");
        assertThatThrownBy(() -> loss.forward(Antorcha.tensor(X), Antorcha.tensor(new float[] {1, 0, 4, 2})))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("[4, 5]").hasMessageContaining("[4]");
    }

    @Test
    void nllLoss() {
        // LP = torch.tensor([[-0.5,-1.5,-2.25,-0.75],[-3.0,-0.125,-1.0,-2.0],[-0.25,-0.5,-4.0,-1.25]]); TN = torch.tensor([2,1,0])
        // lp = LP.clone().requires_grad_(); l = F.nll_loss(lp, TN, reduction=r); l.sum().backward()
        float[][] lp = {{-0.5f, -1.5f, -2.25f, -0.75f}, {-3.0f, -0.125f, -1.0f, -2.0f}, {-0.25f, -0.5f, -4.0f, -1.25f}};
        Tensor tn = Antorcha.tensor(new long[] {2, 1, 0});
        Tensor[] mean = run(new NLLLoss()::forward, Antorcha.tensor(lp).requiresGrad(true), tn);
        assertClose(mean[0], 0.875);
        double third = -0.333333343;
        assertClose(mean[1], 0, 0, third, 0, 0, third, 0, 0, third, 0, 0, 0);
        assertClose(new NLLLoss(Reduction.SUM, -100).forward(Antorcha.tensor(lp), tn), 2.625);
        assertClose(new NLLLoss(Reduction.NONE, -100).forward(Antorcha.tensor(lp), tn), 2.25, 0.125, 0.25);
        // F.nll_loss(LP, TN, ignore_index=1) = (2.25 + 0.25) / 2
        assertClose(new NLLLoss(Reduction.MEAN, 1).forward(Antorcha.tensor(lp), tn), 1.25);
        assertGradCheck(new NLLLoss()::forward, Antorcha.tensor(lp), tn);
        assertThatThrownBy(() -> new NLLLoss().forward(Antorcha.tensor(lp), Antorcha.tensor(new float[] {2, 1, 0})))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("int64");
    }

    /** A = [[0.5,-1,2],[3,0,-0.25]], B = [[1,-1,-0.5],[2,0.75,0]]: one zero difference (L1's kink). */
    private static final float[][] A = {{0.5f, -1.0f, 2.0f}, {3.0f, 0.0f, -0.25f}};
    private static final float[][] B = {{1.0f, -1.0f, -0.5f}, {2.0f, 0.75f, 0.0f}};

    @Test
    void mseAndL1() {
        // a, b = A.clone().requires_grad_(), B.clone().requires_grad_(); l = F.mse_loss(a, b, reduction=r); l.sum().backward()
        Tensor a = Antorcha.tensor(A).requiresGrad(true), b = Antorcha.tensor(B).requiresGrad(true);
        Tensor mse = new MSELoss().forward(a, b);
        mse.backward();
        assertClose(mse, 1.35416663);
        assertClose(a.grad(), -0.166666672, 0, 0.833333373, 0.333333343, -0.25, -0.0833333358);
        assertClose(b.grad(), 0.166666672, 0, -0.833333373, -0.333333343, 0.25, 0.0833333358);
        assertClose(new MSELoss(Reduction.SUM).forward(Antorcha.tensor(A), Antorcha.tensor(B)), 8.125);
        assertClose(new MSELoss(Reduction.NONE).forward(Antorcha.tensor(A), Antorcha.tensor(B)), 0.25, 0, 6.25, 1, 0.5625, 0.0625);
        // ... F.l1_loss: torch's gradient at a zero difference is sign(0) = 0
        Tensor a1 = Antorcha.tensor(A).requiresGrad(true), b1 = Antorcha.tensor(B).requiresGrad(true);
        Tensor l1 = new L1Loss(Reduction.SUM).forward(a1, b1);
        l1.backward();
        assertClose(l1, 5);
        assertClose(a1.grad(), -1, 0, 1, 1, -1, -1);
        assertClose(b1.grad(), 1, 0, -1, -1, 1, 1);
        assertClose(new L1Loss().forward(Antorcha.tensor(A), Antorcha.tensor(B)), 0.833333313);
        assertClose(new L1Loss(Reduction.NONE).forward(Antorcha.tensor(A), Antorcha.tensor(B)), 0.5, 0, 2.5, 1, 0.75, 0.25);
        Tensor b2 = Antorcha.tensor(new float[][] {{1.0f, -1.5f, -0.5f}, {2.0f, 0.75f, 0.0f}});   // no ties for gradcheck
        assertGradCheck(new MSELoss()::forward, Antorcha.tensor(A), b2);
        assertGradCheck(new L1Loss()::forward, Antorcha.tensor(A), b2);
    }

    private static final float[] XB = {100, -100, 100, -100, 0, 0, 2.5f, -1.5f, 20, -30};
    private static final float[] YB = {1, 0, 0, 1, 1, 0.3f, 0, 1, 1, 0.25f};

    @Test
    void bceWithLogitsIsStableForLargeLogits() {
        // XB = torch.tensor([100.,-100.,100.,-100.,0.,0.,2.5,-1.5,20.,-30.]); YB = torch.tensor([1.,0.,0.,1.,1.,0.3,0.,1.,1.,0.25])
        // x = XB.clone().requires_grad_(); l = F.binary_cross_entropy_with_logits(x, YB, reduction=r); l.sum().backward()
        Tensor none = new BCEWithLogitsLoss(Reduction.NONE, null).forward(Antorcha.tensor(XB), Antorcha.tensor(YB));
        for (float v : none.toFloatArray()) assertThat(Float.isFinite(v)).isTrue();
        assertClose(none, 0, 0, 100, 100, 0.693147182, 0.693147182, 2.57888985, 1.70141339, 0, 7.5);
        assertClose(new BCEWithLogitsLoss().forward(Antorcha.tensor(XB), Antorcha.tensor(YB)), 21.3166599);
        assertClose(new BCEWithLogitsLoss(Reduction.SUM, null).forward(Antorcha.tensor(XB), Antorcha.tensor(YB)), 213.166595);
        assertGradCheck(new BCEWithLogitsLoss()::forward, Antorcha.tensor(new float[] {3, -2, 0.5f, -0.25f, 1.5f, -4}),
                Antorcha.tensor(new float[] {1, 0, 0.3f, 1, 0, 0.6f}));
    }

    @Test
    void bceWithLogitsGradientIsSigmoidMinusTarget() {
        // same x, YB: x.grad for reduction="sum" (= sigmoid(x) - y, also at x = 0 where it is 0.5 - y)
        Tensor x = Antorcha.tensor(XB).requiresGrad(true);
        new BCEWithLogitsLoss(Reduction.SUM, null).forward(x, Antorcha.tensor(YB)).backward();
        assertClose(x.grad(), 0, 0, 1, -1, -0.5, 0.199999988, 0.924141824, -0.817574501, 0, -0.25);
    }

    @Test
    void bceWithLogitsPosWeight() {
        // pw = torch.tensor([2.0, 0.5]); XB2 = torch.tensor([[1.0,-2.0],[0.5,3.0],[-0.25,0.0]])
        // YB2 = torch.tensor([[1.0,0.0],[0.0,1.0],[1.0,0.5]]); x = XB2.clone().requires_grad_()
        // l = F.binary_cross_entropy_with_logits(x, YB2, pos_weight=pw); l.backward()
        Tensor x = Antorcha.tensor(new float[][] {{1.0f, -2.0f}, {0.5f, 3.0f}, {-0.25f, 0.0f}}).requiresGrad(true);
        Tensor y = Antorcha.tensor(new float[][] {{1, 0}, {0, 1}, {1, 0.5f}});
        Tensor l = new BCEWithLogitsLoss(Reduction.MEAN, Antorcha.tensor(new float[] {2.0f, 0.5f})).forward(x, y);
        l.backward();
        assertClose(l, 0.653926909);
        assertClose(x.grad(), -0.0896471366, 0.0198671538, 0.103743225, -0.00395215536, -0.18739216, 0.020833334);
        // F.binary_cross_entropy_with_logits(torch.zeros(3), torch.zeros(2)) -> "Target size (torch.Size([2])) must be the same as input size (torch.Size([3]))"
        assertThatThrownBy(() -> new BCEWithLogitsLoss().forward(Antorcha.zeros(3), Antorcha.zeros(2)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("Target size ([2]) must be the same as input size ([3])");
    }
}
