package dev.antorcha.tensor;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.antorcha.Antorcha;
import dev.antorcha.data.Batch;
import dev.antorcha.data.DataLoader;
import dev.antorcha.data.TensorDataset;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** The generator's numbers, and {@code getState}/{@code setState} (PyTorch's {@code get_rng_state}/{@code set_rng_state}). */
class GeneratorStateTest {

    /** The JDK's SplittableRandom is the reference: the generator computes the same SplitMix64 sequence. */
    @Test
    void drawsTheSameNumbersAsTheJdksSplittableRandom() {
        for (long seed : new long[] {0, 1, -7, 0x123456789abcdefL, Long.MIN_VALUE}) {
            Generator g = new Generator(seed);
            SplittableRandom r = new SplittableRandom(seed);
            for (int i = 0; i < 200; i++) assertThat(g.nextFloat()).isEqualTo((float) r.nextDouble());
            // powers of two, small and huge bounds (the last ones reject a draw now and then)
            for (int bound : new int[] {1, 2, 3, 10, 64, 1000, 60_000, 1 << 30, (1 << 30) + 1, Integer.MAX_VALUE}) {
                for (int i = 0; i < 50; i++) assertThat(g.nextInt(bound)).as("bound %d", bound).isEqualTo(r.nextInt(bound));
            }
            int[] perm = g.permutation(100);
            int[] ref = new int[100];
            for (int i = 0; i < 100; i++) ref[i] = i;
            for (int i = 99; i > 0; i--) {
                int j = r.nextInt(i + 1);
                int t = ref[i];
                ref[i] = ref[j];
                ref[j] = t;
            }
            assertThat(perm).containsExactly(ref);
        }
    }

    @Test
    void setStateRepeatsTheDrawsThatFollowedGetState() {
        Generator g = new Generator(42);
        g.permutation(50);
        Tensor state = g.getState();
        float[] expected = new float[33];
        g.fillNormal(expected, 0, 33, 0, 1);
        int[] perm = g.permutation(1000);

        Generator other = new Generator(7);   // another generator, elsewhere in its own sequence
        other.nextFloat();
        other.setState(state);
        float[] again = new float[33];
        other.fillNormal(again, 0, 33, 0, 1);
        assertThat(again).containsExactly(expected);
        assertThat(other.permutation(1000)).containsExactly(perm);
        assertThat(other.initialSeed()).isEqualTo(42);
    }

    @Test
    void getStateIsACopyAndManualSeedStartsOver() {
        Generator g = new Generator(3);
        Tensor state = g.getState();
        assertThat(state.dtype()).isEqualTo(DType.INT64);
        assertThat(state.shape().toArray()).containsExactly(2);
        float first = g.nextFloat();
        assertThat(g.getState().toLongArray()).isNotEqualTo(state.toLongArray());
        assertThat(state.toLongArray()).containsExactly(3, 3);   // seed 3, nothing drawn yet
        g.manualSeed(3);
        assertThat(g.nextFloat()).isEqualTo(first);
    }

    @Test
    void setStateRejectsWhatGetStateDoesNotReturn() {
        Generator g = new Generator(0);
        assertThatThrownBy(() -> g.setState(Antorcha.zeros(2)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("int64 tensor of shape [2]").hasMessageContaining("torch.float32");
        assertThatThrownBy(() -> g.setState(Factory.ofLongs(new long[] {1, 2, 3}, new int[] {3})))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("[3]");
    }

    /** What a resumed training needs: the default generator restored gives the same shuffled epochs. */
    @Test
    void restoringTheDefaultGeneratorRepeatsTheLaterShuffledEpochs() {
        float[] x = new float[20];
        long[] y = new long[20];
        for (int i = 0; i < 20; i++) {
            x[i] = i;
            y[i] = i;
        }
        var data = new TensorDataset(Antorcha.tensor(x, 20, 1), Factory.ofLongs(y, new int[] {20}));
        DataLoader<Batch> loader = DataLoader.builder(data).batchSize(20).shuffle(true).build();
        Antorcha.manualSeed(5);
        loader.iterator().next();                       // epoch 1
        Tensor afterFirstEpoch = Antorcha.getRngState();
        List<long[]> later = new ArrayList<>();
        for (int e = 0; e < 3; e++) later.add(loader.iterator().next().target().toLongArray());

        Antorcha.manualSeed(99);
        Antorcha.setRngState(afterFirstEpoch);
        for (int e = 0; e < 3; e++) assertThat(loader.iterator().next().target().toLongArray()).containsExactly(later.get(e));
        assertThat(later.get(0)).isNotEqualTo(later.get(1));   // the epochs really are shuffled differently
    }
}
