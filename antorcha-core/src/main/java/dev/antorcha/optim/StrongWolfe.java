package dev.antorcha.optim;

import dev.antorcha.tensor.Tensor;

/**
 * The line search of {@link LBFGS} with {@code line_search_fn="strong_wolfe"}, a port of torch 1.13's
 * {@code _strong_wolfe} and {@code _cubic_interpolate} (themselves ported from Lua torch's
 * {@code lswolfe.lua} and {@code polyinterp.lua}): bracket a step satisfying the strong Wolfe
 * conditions, then zoom into the bracket by safeguarded cubic interpolation. Kept statement for
 * statement as torch writes it, so the accepted step is torch's.
 */
final class StrongWolfe {
    private StrongWolfe() {
    }

    /** One evaluation of the objective along the search direction: loss and flat gradient. */
    record Eval(double f, Tensor g) {
    }

    /** The objective at {@code x + t d}; the parameters are left at {@code x} afterwards. */
    @FunctionalInterface
    interface Objective {
        Eval at(double t);
    }

    /** What the search accepted: loss, flat gradient and step there, and how many evaluations it took. */
    record Result(double f, Tensor g, double t, int evals) {
    }

    /**
     * The minimiser of the cubic through {@code (x1, f1)} and {@code (x2, f2)} with slopes
     * {@code g1}, {@code g2}, clamped to {@code [lo, hi]}; the middle of that interval when the
     * cubic has no minimum. {@code lo}/{@code hi} default to the two points (pass NaN).
     */
    static double cubicInterpolate(double x1, double f1, double g1, double x2, double f2, double g2, double lo, double hi) {
        double xminBound = lo, xmaxBound = hi;
        if (Double.isNaN(lo)) {
            xminBound = x1 <= x2 ? x1 : x2;
            xmaxBound = x1 <= x2 ? x2 : x1;
        }
        double d1 = g1 + g2 - 3 * (f1 - f2) / (x1 - x2);
        double d2Square = d1 * d1 - g1 * g2;
        if (d2Square >= 0) {
            double d2 = Math.sqrt(d2Square);
            double minPos = x1 <= x2
                    ? x2 - (x2 - x1) * ((g2 + d2 - d1) / (g2 - g1 + 2 * d2))
                    : x1 - (x1 - x2) * ((g1 + d2 - d1) / (g1 - g2 + 2 * d2));
            return pyMin(pyMax(minPos, xminBound), xmaxBound);
        }
        return (xminBound + xmaxBound) / 2.;
    }

    /** Python's {@code max(a, b)}: {@code a} unless {@code b > a} (so a NaN {@code a} survives, as in torch). */
    private static double pyMax(double a, double b) {
        return b > a ? b : a;
    }

    /** Python's {@code min(a, b)}: {@code a} unless {@code b < a}. */
    private static double pyMin(double a, double b) {
        return b < a ? b : a;
    }

    /**
     * torch's {@code _strong_wolfe(obj_func, x, t, d, f, g, gtd)} with its defaults c1 = 1e-4,
     * c2 = 0.9, max_ls = 25; {@code dNorm} is {@code max|d|}.
     */
    static Result search(Objective obj, double t, double dNorm, Tensor d, double f, Tensor g, double gtd,
                         double toleranceChange) {
        return search(obj, t, dNorm, d, f, g, gtd, 1e-4, 0.9, toleranceChange, 25);
    }

    static Result search(Objective obj, double t, double dNorm, Tensor d, double f, Tensor g, double gtd,
                         double c1, double c2, double toleranceChange, int maxLs) {
        Eval e = obj.at(t);
        double fNew = e.f();
        Tensor gNew = e.g();
        int lsFuncEvals = 1;
        double gtdNew = dot(gNew, d);

        // bracket an interval containing a point satisfying the Wolfe criteria
        double tPrev = 0, fPrev = f, gtdPrev = gtd;
        Tensor gPrev = g;
        boolean done = false;
        int lsIter = 0;
        double[] bracket = null, bracketF = null, bracketGtd = null;
        Tensor[] bracketG = null;
        while (lsIter < maxLs) {
            if (fNew > (f + c1 * t * gtd) || (lsIter > 1 && fNew >= fPrev)) {
                bracket = new double[] {tPrev, t};
                bracketF = new double[] {fPrev, fNew};
                bracketG = new Tensor[] {gPrev, gNew};
                bracketGtd = new double[] {gtdPrev, gtdNew};
                break;
            }
            if (Math.abs(gtdNew) <= -c2 * gtd) {
                bracket = new double[] {t};
                bracketF = new double[] {fNew};
                bracketG = new Tensor[] {gNew};
                done = true;
                break;
            }
            if (gtdNew >= 0) {
                bracket = new double[] {tPrev, t};
                bracketF = new double[] {fPrev, fNew};
                bracketG = new Tensor[] {gPrev, gNew};
                bracketGtd = new double[] {gtdPrev, gtdNew};
                break;
            }
            // interpolate
            double minStep = t + 0.01 * (t - tPrev);
            double maxStep = t * 10;
            double tmp = t;
            t = cubicInterpolate(tPrev, fPrev, gtdPrev, t, fNew, gtdNew, minStep, maxStep);
            // next step
            tPrev = tmp;
            fPrev = fNew;
            gPrev = gNew;
            gtdPrev = gtdNew;
            e = obj.at(t);
            fNew = e.f();
            gNew = e.g();
            lsFuncEvals++;
            gtdNew = dot(gNew, d);
            lsIter++;
        }
        // reached max number of iterations?
        if (lsIter == maxLs) {
            bracket = new double[] {0, t};
            bracketF = new double[] {f, fNew};
            bracketG = new Tensor[] {g, gNew};
        }

        // zoom phase: we now have a point satisfying the criteria, or a bracket around it; refine
        // the bracket until we find the exact point satisfying the criteria
        boolean insufProgress = false;
        int lowPos = bracketF[0] <= bracketF[bracketF.length - 1] ? 0 : 1;
        int highPos = 1 - lowPos;
        while (!done && lsIter < maxLs) {
            // line-search bracket is so small
            if (Math.abs(bracket[1] - bracket[0]) * dNorm < toleranceChange) break;

            // compute new trial value
            t = cubicInterpolate(bracket[0], bracketF[0], bracketGtd[0], bracket[1], bracketF[1], bracketGtd[1],
                    Double.NaN, Double.NaN);

            // test that we are making sufficient progress: if t is so close to a boundary that we
            // made insufficient progress in the last step too, or t is at a boundary, move it to
            // 0.1 * len(bracket) away from the nearest boundary point
            double hi = Math.max(bracket[0], bracket[1]), lo = Math.min(bracket[0], bracket[1]);
            double eps = 0.1 * (hi - lo);
            if (Math.min(hi - t, t - lo) < eps) {
                // interpolation close to boundary
                if (insufProgress || t >= hi || t <= lo) {
                    // evaluate at 0.1 away from boundary
                    t = Math.abs(t - hi) < Math.abs(t - lo) ? hi - eps : lo + eps;
                    insufProgress = false;
                } else {
                    insufProgress = true;
                }
            } else {
                insufProgress = false;
            }

            // evaluate new point
            e = obj.at(t);
            fNew = e.f();
            gNew = e.g();
            lsFuncEvals++;
            gtdNew = dot(gNew, d);
            lsIter++;

            if (fNew > (f + c1 * t * gtd) || fNew >= bracketF[lowPos]) {
                // Armijo condition not satisfied or not lower than lowest point
                bracket[highPos] = t;
                bracketF[highPos] = fNew;
                bracketG[highPos] = gNew;
                bracketGtd[highPos] = gtdNew;
                lowPos = bracketF[0] <= bracketF[1] ? 0 : 1;
                highPos = 1 - lowPos;
            } else {
                if (Math.abs(gtdNew) <= -c2 * gtd) {
                    // Wolfe conditions satisfied
                    done = true;
                } else if (gtdNew * (bracket[highPos] - bracket[lowPos]) >= 0) {
                    // old high becomes new low
                    bracket[highPos] = bracket[lowPos];
                    bracketF[highPos] = bracketF[lowPos];
                    bracketG[highPos] = bracketG[lowPos];
                    bracketGtd[highPos] = bracketGtd[lowPos];
                }
                // new point becomes new low
                bracket[lowPos] = t;
                bracketF[lowPos] = fNew;
                bracketG[lowPos] = gNew;
                bracketGtd[lowPos] = gtdNew;
            }
        }
        return new Result(bracketF[lowPos], bracketG[lowPos], bracket[lowPos], lsFuncEvals);
    }

    /** {@code a.dot(b)} of two flat tensors, as the 0-d tensor's value (rounded to their dtype, as torch's). */
    static double dot(Tensor a, Tensor b) {
        return a.matmul(b).doubleItem();
    }
}
