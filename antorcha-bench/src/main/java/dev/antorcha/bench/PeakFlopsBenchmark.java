package dev.antorcha.bench;

import java.util.concurrent.TimeUnit;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorSpecies;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The machine's FP32 FMA throughput as the JVM can reach it: twelve independent accumulator
 * chains of {@code FloatVector.fma} in registers (enough to hide the FMA latency on two FMA
 * ports). Score is in FMA instructions per µs; GFLOP/s = score × lanes × 2 / 1000.
 * Run with {@code -t 1} for one core and {@code -t 2} for both.
 *
 * <pre>
 * java -jar antorcha-bench/target/benchmarks.jar PeakFlopsBenchmark -t 1
 * </pre>
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = {"--add-modules", "jdk.incubator.vector"})
public class PeakFlopsBenchmark {
    private static final VectorSpecies<Float> S = FloatVector.SPECIES_PREFERRED;
    private static final int STEPS = 10_000;
    private static final int CHAINS = 12;

    public float x = 1.0000001f;
    public float y = 0.9999999f;

    /** Floats per vector: multiply the score by lanes × 2 for FLOP. */
    public static int lanes() {
        return S.length();
    }

    @Benchmark
    @OperationsPerInvocation(STEPS * CHAINS)
    public float fma() {
        FloatVector a = FloatVector.broadcast(S, x), b = FloatVector.broadcast(S, y);
        FloatVector c0 = a, c1 = b, c2 = a, c3 = b, c4 = a, c5 = b, c6 = a, c7 = b, c8 = a, c9 = b, c10 = a, c11 = b;
        for (int i = 0; i < STEPS; i++) {
            c0 = c0.fma(a, b);
            c1 = c1.fma(a, b);
            c2 = c2.fma(a, b);
            c3 = c3.fma(a, b);
            c4 = c4.fma(a, b);
            c5 = c5.fma(a, b);
            c6 = c6.fma(a, b);
            c7 = c7.fma(a, b);
            c8 = c8.fma(a, b);
            c9 = c9.fma(a, b);
            c10 = c10.fma(a, b);
            c11 = c11.fma(a, b);
        }
        return c0.add(c1).add(c2).add(c3).add(c4).add(c5).add(c6).add(c7).add(c8).add(c9).add(c10).add(c11)
                .reduceLanes(jdk.incubator.vector.VectorOperators.ADD);
    }
}
