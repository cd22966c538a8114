package dev.antorcha.parity;

import java.util.Arrays;
import java.util.Locale;

/**
 * The comparison rule of {@code PARITY_FORMAT.md}: per element
 * {@code |mine - ref| <= 1e-6 + 1e-5 * |ref| + 4 * f32_err}; for {@code strided_sample} references the sample
 * is compared at its flat indices and, in addition, sum, abs_sum and sq_sum of all of {@code mine} (in double)
 * must satisfy {@code |sum - ref.sum| <= 1e-4 * ref.abs_sum + 1e-6},
 * {@code |abs_sum - ref.abs_sum| <= 1e-4 * ref.abs_sum + 1e-6} and
 * {@code |sq_sum - ref.sq_sum| <= 1e-4 * ref.sq_sum + 1e-9}. int64 tensors compare exactly.
 */
public final class Tolerance {

    /** Absolute term of the per-element tolerance. */
    public static final double ABS_TOL = 1e-6;
    /** Relative term (times {@code |ref|}) of the per-element tolerance. */
    public static final double REL_TOL = 1e-5;
    /** Factor applied to {@code f32_err}. */
    public static final double F32_ERR_FACTOR = 4;
    /** Relative tolerance of the sampled tensors' sums. */
    public static final double STATS_REL_TOL = 1e-4;

    private Tolerance() {}

    /**
     * Outcome of one comparison.
     *
     * @param ok         whether every check passed
     * @param name       the compared tensor
     * @param message    a one-line description of the outcome, prefixed with {@code name + ": "}
     * @param maxAbsErr  max over the compared elements of {@code |mine - ref|} (NaN if {@code mine} has a NaN
     *                   there; 0 when the shapes differ)
     * @param worstRatio max over the compared elements of {@code |mine - ref| / tol} (infinite for a NaN
     *                   or a shape mismatch); the stats checks of sampled tensors are not included
     */
    public record Result(boolean ok, String name, String message, double maxAbsErr, double worstRatio) {}

    /** The per-element tolerance {@code 1e-6 + 1e-5 * |ref| + 4 * f32Err}. */
    public static double tolerance(double ref, double f32Err) {
        return ABS_TOL + REL_TOL * Math.abs(ref) + F32_ERR_FACTOR * f32Err;
    }

    /**
     * Compares a float32 result with a reference tensor.
     *
     * @param name      the name used in the result and message
     * @param mine      the full row-major content of the Java result
     * @param mineShape its shape
     * @param ref       the reference (float32, any layout)
     * @param f32Err    torch's float32 error for this output ({@link ParityCase#f32Err(String)})
     */
    public static Result compare(String name, float[] mine, int[] mineShape, RefTensor ref, double f32Err) {
        if (!RefTensor.FLOAT32.equals(ref.dtype())) {
            return fail(name, "reference has dtype " + ref.dtype() + ", use compareLongs", 0, Double.POSITIVE_INFINITY);
        }
        Result shapeProblem = checkShape(name, mine.length, mineShape, ref);
        if (shapeProblem != null) return shapeProblem;
        if (!(f32Err >= 0) || Double.isInfinite(f32Err)) {
            throw new IllegalArgumentException(name + ": f32Err must be a finite number >= 0, got " + f32Err);
        }
        float[] rv = ref.values();
        long start = ref.sampleStart(), stride = ref.sampleStride();
        double maxAbs = 0, worst = 0;
        int worstJ = -1, failures = 0;
        for (int j = 0; j < rv.length; j++) {
            int idx = (int) (start + j * stride);
            float m = mine[idx];
            if (Float.isNaN(m)) {
                return fail(name, "mine is NaN at index " + idx + " " + multi(idx, mineShape) + " (ref " + rv[j] + ")",
                        Double.NaN, Double.POSITIVE_INFINITY);
            }
            double diff = Math.abs((double) m - (double) rv[j]);
            double ratio = diff / tolerance(rv[j], f32Err);
            if (!(ratio <= 1)) failures++;
            maxAbs = Math.max(maxAbs, diff);
            if (ratio > worst || worstJ < 0) {
                worst = ratio;
                worstJ = j;
            }
        }
        String what = ref.isSampled() ? rv.length + " sampled of " + mine.length + " elements" : rv.length + " elements";
        if (failures > 0) {
            int idx = (int) (start + worstJ * stride);
            double diff = Math.abs((double) mine[idx] - (double) rv[worstJ]);
            String msg = String.format(Locale.ROOT,
                    "%s %.1e at index %d %s (mine %s, ref %s), tol %.1e, ratio %.3g; %d of %s out of tolerance",
                    diff < maxAbs ? "worst |err|" : "max |err|", diff, idx, multi(idx, mineShape), mine[idx], rv[worstJ], tolerance(rv[worstJ], f32Err), worst,
                    failures, what);
            if (diff < maxAbs) msg += String.format(Locale.ROOT, "; max |err| %.1e elsewhere", maxAbs);
            return fail(name, msg, maxAbs, worst);
        }
        if (ref.isSampled()) {
            String stats = checkStats(mine, ref.stats());
            if (stats != null) return fail(name, stats, maxAbs, worst);
        }
        return new Result(true, name, name + String.format(Locale.ROOT, ": ok, max |err| %.2e, worst ratio %.3g over %s%s",
                maxAbs, worst, what, ref.isSampled() ? " + stats" : ""), maxAbs, worst);
    }

    /**
     * Compares an int64 result with an int64 reference exactly. {@code maxAbsErr} is the largest
     * {@code |mine - ref|}; {@code worstRatio} is 0 on success and infinite on a mismatch.
     */
    public static Result compareLongs(String name, long[] mine, int[] mineShape, RefTensor ref) {
        if (!RefTensor.INT64.equals(ref.dtype())) {
            return fail(name, "reference has dtype " + ref.dtype() + ", use compare", 0, Double.POSITIVE_INFINITY);
        }
        Result shapeProblem = checkShape(name, mine.length, mineShape, ref);
        if (shapeProblem != null) return shapeProblem;
        long[] rv = ref.longValues();
        int first = -1, failures = 0;
        double maxAbs = 0;
        for (int i = 0; i < rv.length; i++) {
            if (mine[i] != rv[i]) {
                failures++;
                if (first < 0) first = i;
                maxAbs = Math.max(maxAbs, Math.abs((double) mine[i] - (double) rv[i]));
            }
        }
        if (failures > 0) {
            return fail(name, "mismatch at index " + first + " " + multi(first, mineShape) + " (mine " + mine[first]
                    + ", ref " + rv[first] + "); " + failures + " of " + rv.length + " elements differ",
                    maxAbs, Double.POSITIVE_INFINITY);
        }
        return new Result(true, name, name + ": ok, " + rv.length + " elements equal", 0, 0);
    }

    // ---------------------------------------------------------------- helpers

    private static Result checkShape(String name, int mineLength, int[] mineShape, RefTensor ref) {
        if (!Arrays.equals(mineShape, ref.shape())) {
            return fail(name, "shape " + Arrays.toString(mineShape) + " != expected " + Arrays.toString(ref.shape()),
                    0, Double.POSITIVE_INFINITY);
        }
        long numel = 1;
        for (int d : mineShape) numel *= d;
        if (mineLength != numel) {
            return fail(name, "mine has " + mineLength + " values but its shape " + Arrays.toString(mineShape)
                    + " has " + numel + " elements", 0, Double.POSITIVE_INFINITY);
        }
        return null;
    }

    /** Null if the stats of {@code mine} agree with {@code ref}, else the reason. */
    private static String checkStats(float[] mine, RefTensor.Stats ref) {
        double sum = 0, absSum = 0, sqSum = 0;
        for (int i = 0; i < mine.length; i++) {
            double v = mine[i];
            if (Double.isNaN(v)) return "mine is NaN at index " + i + " (outside the sample)";
            sum += v;
            absSum += Math.abs(v);
            sqSum += v * v;
        }
        double absTol = STATS_REL_TOL * ref.absSum() + 1e-6;
        if (!(Math.abs(sum - ref.sum()) <= absTol)) {
            return String.format(Locale.ROOT, "sum %.9g vs ref %.9g: |diff| %.2e exceeds 1e-4*abs_sum + 1e-6 = %.2e",
                    sum, ref.sum(), Math.abs(sum - ref.sum()), absTol);
        }
        if (!(Math.abs(absSum - ref.absSum()) <= absTol)) {
            return String.format(Locale.ROOT, "abs_sum %.9g vs ref %.9g: |diff| %.2e exceeds 1e-4*abs_sum + 1e-6 = %.2e",
                    absSum, ref.absSum(), Math.abs(absSum - ref.absSum()), absTol);
        }
        double sqTol = STATS_REL_TOL * ref.sqSum() + 1e-9;
        if (!(Math.abs(sqSum - ref.sqSum()) <= sqTol)) {
            return String.format(Locale.ROOT, "sq_sum %.9g vs ref %.9g: |diff| %.2e exceeds 1e-4*sq_sum + 1e-9 = %.2e",
                    sqSum, ref.sqSum(), Math.abs(sqSum - ref.sqSum()), sqTol);
        }
        return null;
    }

    private static Result fail(String name, String msg, double maxAbs, double worst) {
        return new Result(false, name, name + ": " + msg, maxAbs, worst);
    }

    /** The multi-index of flat index {@code idx}, e.g. {@code [3, 2]}. */
    private static String multi(int idx, int[] shape) {
        int[] ix = new int[shape.length];
        for (int d = shape.length - 1; d >= 0; d--) {
            if (shape[d] == 0) return "[]";
            ix[d] = idx % shape[d];
            idx /= shape[d];
        }
        return Arrays.toString(ix);
    }
}
