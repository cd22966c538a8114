package dev.antorcha.data;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.antorcha.Antorcha;
import dev.antorcha.tensor.DType;
import dev.antorcha.tensor.Tensor;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The default collate: stacking, target kinds, and the errors. */
class CollateTest {
    private final Collate<Example<Tensor, ?>, Batch> collate = Collate.defaultCollate();

    private static Tensor image(float v) {
        return Antorcha.full(v, 1, 2, 2);
    }

    @Test
    void stacksImagesAndLongLabels() {
        Batch b = collate.collate(List.of(new Example<>(image(1), 7L), new Example<>(image(2), 3L)));
        assertThat(b.input().shape().toArray()).containsExactly(2, 1, 2, 2);
        assertThat(b.input().dtype()).isEqualTo(DType.FLOAT32);
        assertThat(b.input().toFloatArray()).containsExactly(1, 1, 1, 1, 2, 2, 2, 2);
        assertThat(b.target().dtype()).isEqualTo(DType.INT64);
        assertThat(b.target().shape().toArray()).containsExactly(2);
        assertThat(b.target().toLongArray()).containsExactly(7, 3);
        assertThat(b.size()).isEqualTo(2);
    }

    @Test
    void integerFloatDoubleAndTensorTargets() {
        assertThat(collate.collate(List.of(new Example<>(image(0), 1), new Example<>(image(0), 2L))).target()
                .toLongArray()).containsExactly(1, 2);
        Tensor f = collate.collate(List.of(new Example<>(image(0), 0.5), new Example<>(image(0), 1.5f))).target();
        assertThat(f.dtype()).isEqualTo(DType.FLOAT32);
        assertThat(f.toFloatArray()).containsExactly(0.5f, 1.5f);
        Tensor t = collate.collate(List.of(new Example<>(image(0), Antorcha.tensor(new float[] {1, 2})),
                new Example<>(image(0), Antorcha.tensor(new float[] {3, 4})))).target();
        assertThat(t.shape().toArray()).containsExactly(2, 2);
        assertThat(t.toFloatArray()).containsExactly(1, 2, 3, 4);
        Batch unlabeled = collate.collate(List.of(new Example<>(image(0), null)));
        assertThat(unlabeled.target()).isNull();
    }

    @Test
    void stacksUint8ImagesKeepingTheirDtype() {
        Tensor a = Antorcha.tensor(new long[] {0, 255, 7, 128}, 1, 2, 2).to(DType.UINT8);
        Tensor b = Antorcha.tensor(new long[] {1, 2, 3, 254}, 1, 2, 2).to(DType.UINT8);
        Batch batch = collate.collate(List.of(new Example<>(a, 0L), new Example<>(b, 1L)));
        assertThat(batch.input().dtype()).isEqualTo(DType.UINT8);
        assertThat(batch.input().shape().toArray()).containsExactly(2, 1, 2, 2);
        assertThat(batch.input().toLongArray()).containsExactly(0, 255, 7, 128, 1, 2, 3, 254);
    }

    @Test
    void copiesNonContiguousInputs() {
        Tensor m = Antorcha.tensor(new float[] {1, 2, 3, 4, 5, 6}, 2, 3).t();   // [3, 2] strided view
        Batch b = collate.collate(List.of(new Example<>(m, 0L), new Example<>(m.contiguous(), 1L)));
        assertThat(b.input().toFloatArray()).containsExactly(1, 4, 2, 5, 3, 6, 1, 4, 2, 5, 3, 6);
    }

    @Test
    void shapeMismatchNamesTheSample() {
        assertThatThrownBy(() -> collate.collate(List.of(new Example<>(image(0), 1L), new Example<>(image(0), 1L),
                new Example<>(Antorcha.zeros(1, 2, 3), 1L))))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("sample 2").hasMessageContaining("[1, 2, 3]").hasMessageContaining("[1, 2, 2]");
    }

    @Test
    void mixedOrUnsupportedTargetsAndNonExamplesAreRejected() {
        assertThatThrownBy(() -> collate.collate(List.of(new Example<>(image(0), 1L), new Example<>(image(0), 1.0))))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("sample 1");
        assertThatThrownBy(() -> collate.collate(List.of(new Example<>(image(0), "cat"))))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("java.lang.String");
        Collate<Object, Batch> any = Collate.defaultCollate();
        assertThatThrownBy(() -> any.collate(List.of(new Example<>(image(0), 1L), "not an example")))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("sample 1").hasMessageContaining("Example<Tensor, ?>");
        assertThatThrownBy(() -> collate.collate(List.of()))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("empty");
    }
}
