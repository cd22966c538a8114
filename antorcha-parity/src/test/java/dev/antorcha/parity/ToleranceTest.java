package dev.antorcha.parity;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.util.Arrays;
import java.util.Locale;
import org.junit.jupiter.api.Test;

/** Tests for {@link Tolerance}, with hand-computed boundaries. */
class ToleranceTest {

    static RefTensor full(String name, int[] shape, float... data) {
        var sb = new StringBuilder();
        for (float f : data) sb.append(sb.isEmpty() ? "" : ",").append((double) f);
        return RefTensorTest.tensor(name, "{\"shape\":" + Arrays.toString(shape)
                + ",\"dtype\":\"float32\",\"layout\":\"full\",\"data\":[" + sb + "]}");
    }

    /** A float value {@code k} ulps above {@code x}. */
    static float ulpsAbove(float x, int k) {
        return Float.intBitsToFloat(Float.floatToIntBits(x) + k);
    }

    @Test
    void toleranceFormula() {
        assertThat(Tolerance.tolerance(0, 0)).isEqualTo(1e-6);
        assertThat(Tolerance.tolerance(-2, 0)).isCloseTo(1e-6 + 2e-5, within(1e-18));
        assertThat(Tolerance.tolerance(1, 1e-3)).isCloseTo(1e-6 + 1e-5 + 4e-3, within(1e-18));
    }

    @Test
    void relativeBoundaryAtOne() {
        // ref 1, f32Err 0: tol = 1e-6 + 1e-5 = 1.1e-5; one float ulp at 1 is 2^-23 = 1.19e-7,
        // so 92 ulps (1.0967e-5) pass and 93 ulps (1.1087e-5) fail.
        var ref = full("y", new int[] {2}, 1f, -3f);
        var pass = Tolerance.compare("y", new float[] {ulpsAbove(1f, 92), -3f}, new int[] {2}, ref, 0);
        assertThat(pass.ok()).isTrue();
        assertThat(pass.name()).isEqualTo("y");
        assertThat(pass.maxAbsErr()).isEqualTo(92 * 0x1p-23);
        assertThat(pass.worstRatio()).isCloseTo(92 * 0x1p-23 / 1.1e-5, within(1e-12)).isLessThan(1);
        assertThat(pass.message()).startsWith("y: ok");

        var fail = Tolerance.compare("y", new float[] {ulpsAbove(1f, 93), -3f}, new int[] {2}, ref, 0);
        assertThat(fail.ok()).isFalse();
        assertThat(fail.maxAbsErr()).isEqualTo(93 * 0x1p-23);
        assertThat(fail.worstRatio()).isCloseTo(93 * 0x1p-23 / 1.1e-5, within(1e-12)).isGreaterThan(1);
        assertThat(fail.message()).isEqualTo(String.format(Locale.ROOT,
                "y: max |err| 1.1e-05 at index 0 [0] (mine %s, ref 1.0), tol 1.1e-05, ratio 1.01; "
                        + "1 of 2 elements out of tolerance", ulpsAbove(1f, 93)));
    }

    @Test
    void f32ErrWidensTheTolerance() {
        // ref 0, f32Err 1e-3: tol = 1e-6 + 4e-3 = 4.001e-3.
        var ref = full("dx", new int[] {1, 3}, 0f, 0f, 0f);
        float[] ok = {0.004f, -0.004f, 0.0040009f};
        assertThat(Tolerance.compare("dx", ok, new int[] {1, 3}, ref, 1e-3).ok()).isTrue();
        assertThat(Tolerance.compare("dx", ok, new int[] {1, 3}, ref, 0).ok()).isFalse();
        float[] bad = {0f, -0.0040011f, 0f};
        var r = Tolerance.compare("dx", bad, new int[] {1, 3}, ref, 1e-3);
        assertThat(r.ok()).isFalse();
        assertThat(r.message()).startsWith("dx: max |err| 4.0e-03 at index 1 [0, 1] (mine -0.0040011, ref 0.0)");
        assertThatThrownBy(() -> Tolerance.compare("dx", ok, new int[] {1, 3}, ref, -1))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void reportsWorstRatioElementAndCount() {
        // index 0: |err| 64 ulps = 4.88e-4 against tol 1e-6 + 1e-5*100 = 1.001e-3 (ratio 0.49, passes);
        // index 3: |err| 1e-4 against tol ~1e-6 (ratio ~100, fails) -> the reported element.
        var ref = full("y", new int[] {2, 2}, 100f, 0f, 0f, 0f);
        float[] mine = {ulpsAbove(100f, 64), 0f, 0f, 1e-4f};
        var r = Tolerance.compare("y", mine, new int[] {2, 2}, ref, 0);
        assertThat(r.ok()).isFalse();
        assertThat(r.maxAbsErr()).isEqualTo(64 * 0x1p-17);
        assertThat(r.worstRatio()).isCloseTo(1e-4f / 1e-6, within(1e-6));
        assertThat(r.message()).startsWith("y: worst |err| 1.0e-04 at index 3 [1, 1] (mine 1.0E-4, ref 0.0)")
                .contains("1 of 4 elements out of tolerance").contains("max |err| 4.9e-04 elsewhere");
    }

    @Test
    void shapeMismatch() {
        var ref = full("y", new int[] {3, 2}, 1, 2, 3, 4, 5, 6);
        var r = Tolerance.compare("y", new float[] {1, 2, 3, 4, 5, 6}, new int[] {2, 3}, ref, 0);
        assertThat(r.ok()).isFalse();
        assertThat(r.message()).isEqualTo("y: shape [2, 3] != expected [3, 2]");
        assertThat(r.worstRatio()).isInfinite();
        var len = Tolerance.compare("y", new float[] {1, 2, 3}, new int[] {3, 2}, ref, 0);
        assertThat(len.ok()).isFalse();
        assertThat(len.message()).contains("mine has 3 values");
    }

    @Test
    void nanFails() {
        var ref = full("y", new int[] {3}, 1, 2, 3);
        var r = Tolerance.compare("y", new float[] {1, Float.NaN, 3}, new int[] {3}, ref, 1);
        assertThat(r.ok()).isFalse();
        assertThat(r.message()).isEqualTo("y: mine is NaN at index 1 [1] (ref 2.0)");
        assertThat(r.maxAbsErr()).isNaN();
        assertThat(r.worstRatio()).isInfinite();
        var inf = Tolerance.compare("y", new float[] {1, Float.POSITIVE_INFINITY, 3}, new int[] {3}, ref, 1);
        assertThat(inf.ok()).isFalse();
    }

    @Test
    void scalarAndEmpty() {
        var loss = full("loss", new int[] {}, 2.3025851f);
        assertThat(Tolerance.compare("loss", new float[] {2.3025851f}, new int[] {}, loss, 0).ok()).isTrue();
        var empty = full("e", new int[] {0, 3});
        var r = Tolerance.compare("e", new float[0], new int[] {0, 3}, empty, 0);
        assertThat(r.ok()).isTrue();
        assertThat(r.worstRatio()).isZero();
    }

    // ---------------------------------------------------------------- strided_sample

    /** The truth: 10 elements, sample start 1 stride 3 -> flat indices 1, 4, 7. */
    static final float[] TRUTH = {2f, 0.5f, -2f, 1f, -0.25f, 3f, -1f, 1.5f, 4f, -4f};

    static RefTensor sampled() {
        double sum = 0, abs = 0, sq = 0;
        for (float v : TRUTH) {
            sum += v;
            abs += Math.abs(v);
            sq += (double) v * v;
        }
        // sum 4.75, abs_sum 19.25, sq_sum 53.5625
        String json = String.format(Locale.ROOT, """
                {"shape":[2,5],"dtype":"float32","layout":"strided_sample","sample_start":1,"sample_stride":3,
                 "data":[0.5,-0.25,1.5],
                 "stats":{"sum":%s,"abs_sum":%s,"sq_sum":%s,"min":-4.0,"max":4.0}}""", sum, abs, sq);
        return RefTensorTest.tensor("dW", json);
    }

    @Test
    void sampledPasses() {
        var r = Tolerance.compare("dW", TRUTH.clone(), new int[] {2, 5}, sampled(), 0);
        assertThat(r.ok()).as(r.message()).isTrue();
        assertThat(r.maxAbsErr()).isZero();
        assertThat(r.message()).contains("3 sampled of 10 elements + stats");
    }

    @Test
    void sampledComparesAtStridedIndices() {
        float[] mine = TRUTH.clone();
        mine[4] = -0.26f; // the 2nd sample
        var r = Tolerance.compare("dW", mine, new int[] {2, 5}, sampled(), 0);
        assertThat(r.ok()).isFalse();
        assertThat(r.message()).startsWith("dW: max |err| 1.0e-02 at index 4 [0, 4] (mine -0.26, ref -0.25)")
                .contains("1 of 3 sampled of 10 elements out of tolerance");
    }

    @Test
    void statsCatchErrorsOutsideTheSample() {
        // sum: tol = 1e-4 * 19.25 + 1e-6 = 1.926e-3; moving index 3 (value 1, not sampled) by 1.9e-3
        // passes, by 2e-3 fails (sq_sum moves by ~4e-3, within its tol 1e-4 * 53.5625 = 5.36e-3).
        float[] mine = TRUTH.clone();
        mine[3] = 1.0019f;
        assertThat(Tolerance.compare("dW", mine, new int[] {2, 5}, sampled(), 0).ok()).isTrue();
        mine[3] = 1.002f;
        var r = Tolerance.compare("dW", mine, new int[] {2, 5}, sampled(), 0);
        assertThat(r.ok()).isFalse();
        assertThat(r.message()).startsWith("dW: sum 4.75").contains("vs ref 4.75000000: |diff| 2.00e-03")
                .contains("exceeds 1e-4*abs_sum + 1e-6 = 1.93e-03");
        assertThat(r.maxAbsErr()).isZero();

        // abs_sum: indices 0 and 2 (2, -2) -> (1, -1): sum unchanged, abs_sum drops by 2.
        float[] abs = TRUTH.clone();
        abs[0] = 1f;
        abs[2] = -1f;
        assertThat(Tolerance.compare("dW", abs, new int[] {2, 5}, sampled(), 0).message())
                .startsWith("dW: abs_sum 17.2500000 vs ref 19.2500000");

        // sq_sum: (4, -4) at 8, 9 -> (3, -3) and (2, -2) at 0, 2 -> (3, -3) keeps sum and abs_sum
        // but changes sq_sum by -7 - 7 + 5 + 5 = -4.
        float[] sq = TRUTH.clone();
        sq[8] = 3f;
        sq[9] = -3f;
        sq[0] = 3f;
        sq[2] = -3f;
        var s = Tolerance.compare("dW", sq, new int[] {2, 5}, sampled(), 0);
        assertThat(s.ok()).isFalse();
        assertThat(s.message()).startsWith("dW: sq_sum 49.5625000 vs ref 53.5625000").contains("1e-4*sq_sum + 1e-9");
    }

    @Test
    void nanOutsideTheSampleFails() {
        float[] mine = TRUTH.clone();
        mine[9] = Float.NaN;
        var r = Tolerance.compare("dW", mine, new int[] {2, 5}, sampled(), 0);
        assertThat(r.ok()).isFalse();
        assertThat(r.message()).isEqualTo("dW: mine is NaN at index 9 (outside the sample)");
    }

    // ---------------------------------------------------------------- int64

    @Test
    void longsCompareExactly() {
        var ref = RefTensorTest.tensor("t", "{\"shape\":[4],\"dtype\":\"int64\",\"layout\":\"full\",\"data\":[8,3,4,7]}");
        var ok = Tolerance.compareLongs("t", new long[] {8, 3, 4, 7}, new int[] {4}, ref);
        assertThat(ok.ok()).isTrue();
        assertThat(ok.worstRatio()).isZero();
        var bad = Tolerance.compareLongs("t", new long[] {8, 3, 5, 9}, new int[] {4}, ref);
        assertThat(bad.ok()).isFalse();
        assertThat(bad.message()).isEqualTo("t: mismatch at index 2 [2] (mine 5, ref 4); 2 of 4 elements differ");
        assertThat(bad.maxAbsErr()).isEqualTo(2);
        assertThat(Tolerance.compareLongs("t", new long[] {8, 3, 4}, new int[] {3}, ref).message())
                .isEqualTo("t: shape [3] != expected [4]");
        assertThat(Tolerance.compare("t", new float[4], new int[] {4}, ref, 0).ok()).isFalse();
        assertThat(Tolerance.compareLongs("y", new long[1], new int[] {1}, full("y", new int[] {1}, 1f)).ok()).isFalse();
    }
}
