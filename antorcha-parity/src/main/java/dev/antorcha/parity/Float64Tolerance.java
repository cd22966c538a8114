package dev.antorcha.parity;

import java.util.Arrays;
import java.util.Locale;

/**
 * The comparison rule of the float64 sets ({@code PARITY_FORMAT_F64.md}):
 * {@code |actual - expected| <= atol + rtol·|expected|} per element (every element of a {@code full}
 * tensor, the sampled ones of a {@code strided_sample}), and for a sample also the whole tensor's
 * sum, absolute sum and sum of squares against the file's exactly rounded {@code stats}, and its
 * min and max by the element rule. With {@code rtol} 1e-10 a float32 computation anywhere in the
 * chain fails (it is off by about 1e-7 relative).
 *
 * @param rtol relative tolerance (1e-10 in the published sets)
 * @param atol absolute tolerance (1e-12)
 */
public record Float64Tolerance(double rtol, double atol) {

    /** The allowed {@code |actual - expected|} for {@code expected}. */
    public double of(double expected) {
        return atol + rtol * Math.abs(expected);
    }

    /**
     * Compares a float64 result (its full row-major content) with a float64 reference; the
     * result's {@code worstRatio} is the largest {@code |diff| / tolerance} over the compared elements.
     */
    public Tolerance.Result compare(String name, double[] mine, int[] mineShape, RefTensor ref) {
        if (!RefTensor.FLOAT64.equals(ref.dtype())) {
            return fail(name, "reference has dtype " + ref.dtype() + ", not float64", 0, Double.POSITIVE_INFINITY);
        }
        if (!Arrays.equals(mineShape, ref.shape()) || mine.length != ref.numel()) {
            return fail(name, "shape " + Arrays.toString(mineShape) + " differs from the reference's "
                    + Arrays.toString(ref.shape()), 0, Double.POSITIVE_INFINITY);
        }
        double[] rv = ref.doubles();
        double maxAbs = 0, worst = 0;
        int worstJ = 0, failures = 0;
        for (int j = 0; j < rv.length; j++) {
            int idx = ref.sampleStart() + j * ref.sampleStride();
            double diff = Math.abs(mine[idx] - rv[j]);
            double ratio = diff / of(rv[j]);
            if (Double.isNaN(ratio)) ratio = Double.POSITIVE_INFINITY;
            if (!(ratio <= 1)) failures++;
            maxAbs = Math.max(maxAbs, diff);
            if (ratio > worst) {
                worst = ratio;
                worstJ = j;
            }
        }
        String what = ref.isSampled() ? rv.length + " sampled of " + mine.length + " elements" : rv.length + " elements";
        if (failures > 0) {
            int idx = ref.sampleStart() + worstJ * ref.sampleStride();
            return fail(name, String.format(Locale.ROOT,
                    "|err| %.3e at index %d (mine %s, ref %s) exceeds atol + rtol·|ref| = %.3e (ratio %.3g); %d of %s out of tolerance",
                    Math.abs(mine[idx] - rv[worstJ]), idx, mine[idx], rv[worstJ], of(rv[worstJ]), worst, failures, what),
                    maxAbs, worst);
        }
        if (ref.isSampled()) {
            String stats = checkStats(mine, ref.stats());
            if (stats != null) return fail(name, stats, maxAbs, Double.POSITIVE_INFINITY);
        }
        return new Tolerance.Result(true, name, name + String.format(Locale.ROOT,
                ": ok, max |err| %.2e, worst ratio %.3g over %s%s", maxAbs, worst, what, ref.isSampled() ? " + stats" : ""),
                maxAbs, worst);
    }

    /** Null when the whole tensor's sums, min and max agree with the stats, else the reason. */
    private String checkStats(double[] mine, RefTensor.Stats ref) {
        double sum = 0, absSum = 0, sqSum = 0, min = Double.POSITIVE_INFINITY, max = Double.NEGATIVE_INFINITY;
        for (double v : mine) {
            sum += v;
            absSum += Math.abs(v);
            sqSum += v * v;
            min = Math.min(min, v);
            max = Math.max(max, v);
        }
        double sumTol = atol + rtol * ref.absSum();
        if (!(Math.abs(sum - ref.sum()) <= sumTol)) return statFailure("sum", sum, ref.sum(), sumTol);
        if (!(Math.abs(absSum - ref.absSum()) <= sumTol)) return statFailure("abs_sum", absSum, ref.absSum(), sumTol);
        double sqTol = atol + rtol * ref.sqSum();
        if (!(Math.abs(sqSum - ref.sqSum()) <= sqTol)) return statFailure("sq_sum", sqSum, ref.sqSum(), sqTol);
        if (!(Math.abs(min - ref.min()) <= of(ref.min()))) return statFailure("min", min, ref.min(), of(ref.min()));
        if (!(Math.abs(max - ref.max()) <= of(ref.max()))) return statFailure("max", max, ref.max(), of(ref.max()));
        return null;
    }

    private static String statFailure(String stat, double mine, double ref, double tol) {
        return String.format(Locale.ROOT, "%s %.17g vs ref %.17g: |diff| %.3e exceeds %.3e", stat, mine, ref,
                Math.abs(mine - ref), tol);
    }

    private static Tolerance.Result fail(String name, String msg, double maxAbs, double worst) {
        return new Tolerance.Result(false, name, name + ": " + msg, maxAbs, worst);
    }
}
