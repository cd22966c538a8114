package dev.antorcha.optim;

import dev.antorcha.Antorcha;
import dev.antorcha.autograd.NoGrad;
import dev.antorcha.ops.Args;
import dev.antorcha.tensor.DType;
import dev.antorcha.tensor.Tensor;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

/**
 * L-BFGS, a port of torch 1.13's {@code torch.optim.LBFGS} (itself after minFunc): each
 * {@link #step(Supplier)} runs up to {@code max_iter} quasi-Newton iterations on the closure's
 * loss, the inverse Hessian approximated from the last {@code history_size} curvature pairs by the
 * two-loop recursion, with a fixed step {@code lr} or torch's strong-Wolfe line search. The
 * parameters are handled as one flat vector (their values and gradients concatenated in order).
 * The curvature pairs, direction, step and counters persist from one call to the next, as in
 * torch, so repeated calls continue one optimisation.
 *
 * <pre>{@code
 * var optimizer = new LBFGS(seq.parameters(), LBFGS.Options.defaults().lr(0.8));
 * Tensor loss = optimizer.step(() -> {
 *     optimizer.zeroGrad();
 *     Tensor l = criterion.forward(seq.forward(x), y);
 *     l.backward();
 *     return l;
 * });
 * }</pre>
 *
 * <p>As in torch there is one parameter group only, and the optimizer needs
 * {@code param_bytes * (history_size + 1)} extra bytes. The scalars torch keeps as 0-d tensors
 * (dot products, {@code ro}, {@code H_diag}, the first step) are taken at the parameters' precision.
 * The closure runs in the caller's grad mode (torch forces grad on inside {@code step}); the
 * parameter updates themselves are not recorded.
 */
public class LBFGS extends Optimizer {

    /**
     * Hyperparameters with torch's defaults: lr 1, max_iter 20, max_eval {@code max_iter * 5 / 4}
     * (when null), tolerance_grad 1e-7, tolerance_change 1e-9, history_size 100, no line search.
     * {@code lineSearchFn} is null or {@code "strong_wolfe"}.
     */
    public record Options(double lr, int maxIter, Integer maxEval, double toleranceGrad, double toleranceChange,
                          int historySize, String lineSearchFn) {
        public Options {
            validate0(new Options0(lr, maxIter, maxEval == null ? maxIter * 5 / 4 : maxEval, toleranceGrad, toleranceChange,
                    historySize).asMap());
            checkLineSearch(lineSearchFn);
        }

        public static Options defaults() {
            return new Options(1, 20, null, 1e-7, 1e-9, 100, null);
        }

        public Options lr(double v) {
            return new Options(v, maxIter, maxEval, toleranceGrad, toleranceChange, historySize, lineSearchFn);
        }

        /** Also rescales {@code max_eval} when it was left at its default. */
        public Options maxIter(int v) {
            return new Options(lr, v, maxEval, toleranceGrad, toleranceChange, historySize, lineSearchFn);
        }

        public Options maxEval(Integer v) {
            return new Options(lr, maxIter, v, toleranceGrad, toleranceChange, historySize, lineSearchFn);
        }

        public Options toleranceGrad(double v) {
            return new Options(lr, maxIter, maxEval, v, toleranceChange, historySize, lineSearchFn);
        }

        public Options toleranceChange(double v) {
            return new Options(lr, maxIter, maxEval, toleranceGrad, v, historySize, lineSearchFn);
        }

        public Options historySize(int v) {
            return new Options(lr, maxIter, maxEval, toleranceGrad, toleranceChange, v, lineSearchFn);
        }

        public Options lineSearchFn(String v) {
            return new Options(lr, maxIter, maxEval, toleranceGrad, toleranceChange, historySize, v);
        }

        /** {@code max_eval} as torch resolves it: the given value, or {@code max_iter * 5 // 4}. */
        public int effectiveMaxEval() {
            return maxEval != null ? maxEval : maxIter * 5 / 4;
        }

        Map<String, Double> asMap() {
            return new Options0(lr, maxIter, effectiveMaxEval(), toleranceGrad, toleranceChange, historySize).asMap();
        }
    }

    /** The numeric options as the group map holds them. */
    private record Options0(double lr, int maxIter, int maxEval, double toleranceGrad, double toleranceChange, int historySize) {
        Map<String, Double> asMap() {
            Map<String, Double> m = new LinkedHashMap<>();
            m.put("lr", lr);
            m.put("max_iter", (double) maxIter);
            m.put("max_eval", (double) maxEval);
            m.put("tolerance_grad", toleranceGrad);
            m.put("tolerance_change", toleranceChange);
            m.put("history_size", (double) historySize);
            return m;
        }
    }

    private static void checkLineSearch(String fn) {
        if (fn != null && !fn.equals("strong_wolfe")) {
            throw new IllegalArgumentException("only 'strong_wolfe' is supported (line_search_fn was '" + fn
                    + "'); pass null for a fixed step of lr");
        }
    }

    private static void validate0(Map<String, Double> o) {
        check(o.get("lr") >= 0, "Invalid learning rate: " + o.get("lr"));
        for (String k : List.of("max_iter", "max_eval", "history_size")) {
            double v = o.get(k);
            check(v == Math.rint(v) && v >= 0 && v <= Integer.MAX_VALUE, "Invalid " + k + " value: " + v + " (a whole number >= 0)");
        }
        check(o.get("history_size") >= 1, "Invalid history_size value: " + o.get("history_size")
                + " (L-BFGS keeps at least one curvature pair)");
    }

    /** The state torch keeps under {@code state[params[0]]}. */
    private int funcEvals, nIterTotal;
    private Tensor d, prevFlatGrad;
    private double t, hDiag = 1, prevLoss;
    private List<Tensor> oldDirs, oldStps;
    private List<Double> ro;

    private final String lineSearchFn;
    private final List<Tensor> params;

    public LBFGS(Iterable<? extends Tensor> params) {
        this(params, Options.defaults());
    }

    public LBFGS(Iterable<? extends Tensor> params, double lr) {
        this(params, Options.defaults().lr(lr));
    }

    public LBFGS(Iterable<? extends Tensor> params, Options options) {
        this(single(params, "LBFGS"), options);
    }

    /** torch's form with parameter groups, of which LBFGS accepts exactly one. */
    public LBFGS(List<ParamGroup> groups, Options defaults) {
        super(oneGroup(groups), Args.nonNull(defaults, "LBFGS", "defaults", "an LBFGS.Options").asMap());
        this.lineSearchFn = defaults.lineSearchFn();
        this.params = groups.get(0).params();
    }

    private static List<ParamGroup> oneGroup(List<ParamGroup> groups) {
        Args.nonNull(groups, "LBFGS", "groups", "a List of ParamGroups");
        if (groups.size() > 1) throw new IllegalArgumentException("LBFGS doesn't support per-parameter options (parameter groups)");
        return groups;
    }

    @Override
    protected void validate(Map<String, Double> options) {
        validate0(options);
    }

    /** LBFGS re-evaluates the model several times per step: use {@link #step(Supplier)}. */
    @Override
    public void step() {
        throw new IllegalStateException("LBFGS.step() needs a closure that clears the gradients, reevaluates the model, "
                + "calls backward and returns the loss: call step(closure)");
    }

    /** The L-BFGS state is not the per-parameter buffers {@link OptimizerState} holds. */
    @Override
    public OptimizerState stateDict() {
        throw new UnsupportedOperationException("LBFGS.stateDict(): its state (curvature pairs over all parameters) "
                + "has no per-parameter form in OptimizerState; saving an LBFGS run is not supported, start a new optimizer");
    }

    @Override
    public void loadStateDict(OptimizerState saved) {
        throw new UnsupportedOperationException("LBFGS.loadStateDict(): saving and restoring an LBFGS run is not supported; "
                + "start a new optimizer");
    }

    /**
     * Runs up to {@code max_iter} iterations; {@code closure} clears the gradients, computes the
     * loss, calls {@code backward} and returns the loss. Returns the closure's first value (the
     * loss before this step), as torch does.
     */
    public Tensor step(Supplier<Tensor> closure) {
        Args.nonNull(closure, "LBFGS.step", "closure", "a closure returning the loss");
        ParamGroup group = paramGroups().get(0);
        double lr = group.get("lr");
        int maxIter = (int) group.get("max_iter"), maxEval = (int) group.get("max_eval");
        double toleranceGrad = group.get("tolerance_grad"), toleranceChange = group.get("tolerance_change");
        int historySize = (int) group.get("history_size");

        // evaluate initial f(x) and df/dx
        Tensor origLoss = evaluate(closure);
        double loss = origLoss.doubleItem();
        int currentEvals = 1;
        funcEvals++;

        Tensor flatGrad = gatherFlatGrad();
        boolean optCond = absMax(flatGrad) <= toleranceGrad;
        // optimal condition
        if (optCond) return origLoss;

        int nIter = 0;
        // optimize for a max of max_iter iterations
        while (nIter < maxIter) {
            nIter++;
            nIterTotal++;
            try (NoGrad _ = Antorcha.noGrad()) {
                // compute gradient descent direction
                if (nIterTotal == 1) {
                    d = flatGrad.neg();
                    oldDirs = new ArrayList<>();
                    oldStps = new ArrayList<>();
                    ro = new ArrayList<>();
                    hDiag = 1;
                } else {
                    d = direction(flatGrad, historySize);
                }
                prevFlatGrad = flatGrad.clone();
                prevLoss = loss;
            }

            // compute step length: reset initial guess for step size
            if (nIterTotal == 1) {
                double inv = round(1. / flatGrad.abs().sum().doubleItem());
                t = inv < 1. ? round(inv * lr) : lr;
            } else {
                t = lr;
            }
            // directional derivative
            double gtd = StrongWolfe.dot(flatGrad, d);
            // directional derivative is below tolerance
            if (gtd > -toleranceChange) break;

            int lsFuncEvals = 0;
            if (lineSearchFn != null) {
                List<Tensor> xInit = cloneParams();
                StrongWolfe.Result r = StrongWolfe.search(s -> directionalEvaluate(closure, xInit, s, d), t, absMax(d), d, loss,
                        flatGrad, gtd, toleranceChange);
                loss = r.f();
                flatGrad = r.g();
                t = r.t();
                lsFuncEvals = r.evals();
                addGrad(t, d);
                optCond = absMax(flatGrad) <= toleranceGrad;
            } else {
                // no line search, simply move with fixed-step
                addGrad(t, d);
                if (nIter != maxIter) {
                    // re-evaluate the function only if not in the last iteration: in a stochastic
                    // setting there is no use re-evaluating it here
                    loss = evaluate(closure).doubleItem();
                    flatGrad = gatherFlatGrad();
                    optCond = absMax(flatGrad) <= toleranceGrad;
                    lsFuncEvals = 1;
                }
            }
            // update func eval
            currentEvals += lsFuncEvals;
            funcEvals += lsFuncEvals;

            // check conditions
            if (nIter == maxIter) break;
            if (currentEvals >= maxEval) break;
            // optimal condition
            if (optCond) break;
            // lack of progress
            if (absMax(d.mul(t)) <= toleranceChange) break;
            if (Math.abs(loss - prevLoss) < toleranceChange) break;
        }
        return origLoss;
    }

    /**
     * Stores the newest curvature pair (when {@code y·s > 1e-10}) and returns the L-BFGS direction
     * {@code -H g} by the two-loop recursion with the initial Hessian {@code H_diag = y·s / y·y}.
     */
    private Tensor direction(Tensor flatGrad, int historySize) {
        Tensor y = flatGrad.sub(prevFlatGrad);
        Tensor s = d.mul(t);
        double ys = StrongWolfe.dot(y, s);
        if (ys > 1e-10) {
            // updating memory: shift history by one (limited-memory)
            if (oldDirs.size() == historySize) {
                oldDirs.removeFirst();
                oldStps.removeFirst();
                ro.removeFirst();
            }
            oldDirs.add(y);
            oldStps.add(s);
            ro.add(round(1. / ys));
            // update scale of initial Hessian approximation
            hDiag = round(ys / StrongWolfe.dot(y, y));
        }
        int numOld = oldDirs.size();
        double[] al = new double[numOld];
        // iteration in L-BFGS loop collapsed to use just one buffer
        Tensor q = flatGrad.neg();
        for (int i = numOld - 1; i >= 0; i--) {
            al[i] = round(StrongWolfe.dot(oldStps.get(i), q) * ro.get(i));
            q.add_(oldDirs.get(i), -al[i]);
        }
        // multiply by initial Hessian; r is the final direction
        Tensor r = q.mul(hDiag);
        for (int i = 0; i < numOld; i++) {
            double beI = round(StrongWolfe.dot(oldDirs.get(i), r) * ro.get(i));
            r.add_(oldStps.get(i), round(al[i] - beI));
        }
        return r;
    }

    /** The closure's loss; its gradients are then in the parameters' {@code grad}. */
    private static Tensor evaluate(Supplier<Tensor> closure) {
        Tensor loss = closure.get();
        if (loss == null) throw new IllegalArgumentException("LBFGS.step(): the closure returned null instead of the loss");
        if (loss.numel() != 1) {
            throw new IllegalArgumentException("LBFGS.step(): the closure must return the loss as a one-element tensor, got shape "
                    + loss.shape());
        }
        return loss;
    }

    /** torch's {@code _directional_evaluate}: loss and flat gradient at {@code x + t d}, then back to {@code x}. */
    private StrongWolfe.Eval directionalEvaluate(Supplier<Tensor> closure, List<Tensor> x, double step, Tensor dir) {
        addGrad(step, dir);
        double loss = evaluate(closure).doubleItem();
        Tensor flatGrad = gatherFlatGrad();
        try (NoGrad _ = Antorcha.noGrad()) {
            for (int i = 0; i < params.size(); i++) params.get(i).copy_(x.get(i));
        }
        return new StrongWolfe.Eval(loss, flatGrad);
    }

    /** The gradients of all parameters as one new flat vector, zeros for a parameter without one. */
    private Tensor gatherFlatGrad() {
        try (NoGrad _ = Antorcha.noGrad()) {
            Tensor[] views = new Tensor[params.size()];
            for (int i = 0; i < views.length; i++) {
                Tensor p = params.get(i), g = p.grad();
                views[i] = g == null ? dev.antorcha.tensor.Factory.fullOn(p, 0, p.dtype(), p.numel()) : g.reshape(-1);
            }
            return Antorcha.cat(views, 0);
        }
    }

    /** {@code p += step * update[slice of p]} for every parameter, outside autograd. */
    private void addGrad(double step, Tensor update) {
        try (NoGrad _ = Antorcha.noGrad()) {
            int offset = 0;
            for (Tensor p : params) {
                int n = p.numel();
                p.add_(update.slice(0, offset, offset + n).view(p.shape().toArray()), step);
                offset += n;
            }
        }
    }

    private List<Tensor> cloneParams() {
        try (NoGrad _ = Antorcha.noGrad()) {
            List<Tensor> copies = new ArrayList<>(params.size());
            for (Tensor p : params) copies.add(p.detach().clone());
            return copies;
        }
    }

    private static double absMax(Tensor t) {
        try (NoGrad _ = Antorcha.noGrad()) {
            return t.abs().max().doubleItem();
        }
    }

    /** A value torch holds as a 0-d tensor of the parameters' dtype: rounded to float32 when they are. */
    private double round(double v) {
        return params.get(0).dtype() == DType.FLOAT32 ? (float) v : v;
    }
}
