package dev.antorcha.vision.transforms;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.antorcha.tensor.Tensor;
import org.junit.jupiter.api.Test;

class ComposeTest {
    private static final Image GRAY = Image.of(2, 1, 1, new byte[] {0, (byte) 255});

    @Test
    void composesTypedSteps() {
        Compose<Image, Tensor> t = Compose.of(new ToTensor(), new Normalize(0.5f, 0.5f));
        assertThat(t.apply(GRAY).toFloatArray()).containsExactly(-1f, 1f);
        Compose<Image, int[]> shape = t.andThen(new Lambda<>(x -> x.shape().toArray()));
        assertThat(shape.apply(GRAY)).containsExactly(1, 1, 2);
        assertThat(shape.transforms()).hasSize(3);
        Compose<Image, Integer> four = Compose.of(new ToTensor(), new Normalize(0f, 1f),
                new Lambda<Tensor, Tensor>(Tensor::flatten), new Lambda<Tensor, Integer>(Tensor::numel));
        assertThat(four.apply(GRAY)).isEqualTo(2);
    }

    @Test
    void flattensNestedComposesAndPrintsLikeTorchvision() {
        Compose<Image, Tensor> inner = Compose.of(new ToTensor());
        Compose<Image, Tensor> outer = Compose.of(inner, new Normalize(new float[] {0.1307f}, new float[] {0.3081f}));
        assertThat(outer.transforms()).hasSize(2);
        assertThat(outer).hasToString("""
                Compose(
                    ToTensor()
                    Normalize(mean=[0.1307], std=[0.3081])
                )""");
        assertThat(new Lambda<>(x -> x)).hasToString("Lambda()");
    }

    @Test
    void transformAndThenAndIdentity() {
        Transform<String, Integer> len = String::length;
        Transform<String, Integer> twice = len.andThen(n -> n * 2);
        assertThat(twice.apply("abc")).isEqualTo(6);
        assertThat(Transform.<String>identity().apply("x")).isEqualTo("x");
        assertThatThrownBy(() -> Compose.of(null)).isInstanceOf(NullPointerException.class)
                .hasMessageContaining("null");
    }
}
