package dev.antorcha.tensor;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import dev.antorcha.Antorcha;
import org.junit.jupiter.api.Test;

/** Tensor accessors, devices and factories. */
class TensorApiTest {

    @Test
    void accessorsDescribeTheTensor() {
        Tensor x = Antorcha.tensor(new float[] {1f, 2f, 3f, 4f, 5f, 6f}, 2, 3);
        assertThat(x.shape()).isEqualTo(Shape.of(2, 3));
        assertThat(x.shape().toArray()).containsExactly(2, 3);
        assertThat(x.numel()).isEqualTo(6);
        assertThat(x.dim()).isEqualTo(2);
        assertThat(x.size(-1)).isEqualTo(3);
        assertThat(x.dtype()).isEqualTo(DType.FLOAT32);
        assertThat(x.device()).isEqualTo(Device.CPU);
        assertThat(x.isLeaf()).isTrue();
        assertThat(x.requiresGrad()).isFalse();
        assertThat(x.toFloatArray()).containsExactly(1f, 2f, 3f, 4f, 5f, 6f);
        assertThat(x.t().toFloatArray()).containsExactly(1f, 4f, 2f, 5f, 3f, 6f);
        assertThat(x.toLongArray()).containsExactly(1L, 2L, 3L, 4L, 5L, 6L);
    }

    @Test
    void toFloatArrayIsACopy() {
        Tensor x = Antorcha.ones(3);
        float[] a = x.toFloatArray();
        a[0] = 42f;
        assertThat(x.toFloatArray()).containsExactly(1f, 1f, 1f);
        Tensor src = Antorcha.tensor(new float[] {1f, 2f});
        float[] data = {5f, 6f};
        Tensor wrapped = Antorcha.tensor(data, 2);
        data[0] = 0f;
        assertThat(wrapped.toFloatArray()).as("factories copy the array").containsExactly(5f, 6f);
        assertThat(src.shape()).isEqualTo(Shape.of(2));
    }

    @Test
    void itemReadsOneElementThroughTheLayout() {
        assertThat(Antorcha.scalar(2.5).item()).isEqualTo(2.5f);
        assertThat(Antorcha.scalar(2.5).dim()).isZero();
        Tensor x = Antorcha.arange(0, 12, 1).view(3, 4);
        assertThat(x.select(0, 2).select(0, 1).item()).isEqualTo(9f);   // offset 9 in storage
        assertThat(x.narrow(1, 3, 1).narrow(0, 1, 1).item()).isEqualTo(7f);
        Tensor l = Antorcha.tensor(new long[] {10, 20, 30}, 3);
        assertThat(l.select(0, 2).longItem()).isEqualTo(30L);
        assertThat(l.select(0, 1).item()).isEqualTo(20f);
        assertThat(Antorcha.ones(1, 1, 1).item()).isEqualTo(1f);
    }

    @Test
    void dtypesAndConversions() {
        Tensor l = Antorcha.tensor(new long[] {-3, 0, 7}, 3);
        assertThat(l.dtype()).isEqualTo(DType.INT64);
        assertThat(l.toFloatArray()).containsExactly(-3f, 0f, 7f);
        Tensor mask = Antorcha.tensor(new float[] {-1f, 0f, 2f}, 3).gt(0);
        assertThat(mask.dtype()).isEqualTo(DType.BOOL);
        assertThat(mask.toFloatArray()).containsExactly(0f, 0f, 1f);
        assertThat(mask.to(DType.INT64).toLongArray()).containsExactly(0L, 0L, 1L);
        Tensor f = Antorcha.tensor(new float[] {2.7f, -2.7f}, 2);
        assertThat(f.to(DType.INT64).toLongArray()).containsExactly(2L, -2L);
        assertThat(f.to(DType.BOOL).toFloatArray()).containsExactly(1f, 1f);
        assertThat(f.to(DType.FLOAT32)).isSameAs(f);
        assertThat(DType.promote(DType.INT64, DType.FLOAT32)).isEqualTo(DType.FLOAT32);
        assertThat(DType.promote(DType.BOOL, DType.INT64)).isEqualTo(DType.INT64);
        assertThat(DType.INT64.torchName()).isEqualTo("torch.int64");
    }

    @Test
    void deviceParsing() {
        assertThat(Device.of("cuda:0")).isEqualTo(Device.cuda());
        assertThat(Device.of("cuda:0").type()).isEqualTo(Device.Type.CUDA);
        assertThat(Device.of(" CUDA:3 ").index()).isEqualTo(3);
        assertThat(Device.of("cuda")).isEqualTo(new Device(Device.Type.CUDA, 0));
        assertThat(Device.of("cpu")).isSameAs(Device.CPU);
        assertThat(Device.of("cuda:2")).hasToString("cuda:2");
        assertThat(Device.CPU).hasToString("cpu");
        assertThat(new Device(Device.Type.CPU, 5)).isEqualTo(Device.CPU);
        assertThatThrownBy(() -> Device.of("tpu")).isExactlyInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("'tpu'");
        assertThatThrownBy(() -> Device.of("cuda:x")).isExactlyInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("cuda:x");
        assertThatThrownBy(() -> Device.of("cuda:-1")).isExactlyInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("-1");
    }

    @Test
    void toCudaSaysNoBackendIsAvailable() {
        Tensor x = Antorcha.zeros(2);
        assertThat(x.to(Device.CPU)).isSameAs(x);
        assertThat(x.cpu()).isSameAs(x);
        assertThatThrownBy(() -> x.to(Device.cuda()))
                .isExactlyInstanceOf(IllegalStateException.class)
                .hasMessageContaining("no CUDA backend available")
                .hasMessageContaining("cuda:0");
        assertThatThrownBy(() -> x.to(Device.of("cuda:1")))
                .hasMessageContaining("no CUDA backend available").hasMessageContaining("cuda:1");
    }

    @Test
    void constantFactories() {
        assertThat(Antorcha.zeros(2, 3).toFloatArray()).containsOnly(0f).hasSize(6);
        assertThat(Antorcha.ones(4).toFloatArray()).containsExactly(1f, 1f, 1f, 1f);
        assertThat(Antorcha.full(-2.5, 2, 2).toFloatArray()).containsExactly(-2.5f, -2.5f, -2.5f, -2.5f);
        assertThat(Antorcha.zeros(DType.INT64, 3).toLongArray()).containsExactly(0L, 0L, 0L);
        assertThat(Antorcha.ones(DType.INT64, 2).dtype()).isEqualTo(DType.INT64);
        assertThat(Antorcha.zeros(0, 5).numel()).isZero();
        assertThat(Antorcha.scalar(3).shape().rank()).isZero();
        assertThat(Antorcha.eye(3).toFloatArray()).containsExactly(1f, 0f, 0f, 0f, 1f, 0f, 0f, 0f, 1f);
        assertThat(Antorcha.eye(2, 3).toFloatArray()).containsExactly(1f, 0f, 0f, 0f, 1f, 0f);
        assertThat(Antorcha.eye(3, 2).toFloatArray()).containsExactly(1f, 0f, 0f, 1f, 0f, 0f);
        assertThat(Antorcha.tensor(new float[][] {{1f, 2f}, {3f, 4f}, {5f, 6f}}).shape()).isEqualTo(Shape.of(3, 2));
    }

    @Test
    void arangeFactories() {
        Tensor i = Antorcha.arange(5);
        assertThat(i.dtype()).isEqualTo(DType.INT64);
        assertThat(i.toLongArray()).containsExactly(0L, 1L, 2L, 3L, 4L);
        assertThat(Antorcha.arange(0).numel()).isZero();
        Tensor f = Antorcha.arange(1, 2, 0.25);
        assertThat(f.dtype()).isEqualTo(DType.FLOAT32);
        assertThat(f.toFloatArray()).containsExactly(1f, 1.25f, 1.5f, 1.75f);
        assertThat(Antorcha.arange(3, 0, -1).toFloatArray()).containsExactly(3f, 2f, 1f);
        assertThat(Antorcha.arange(0, 1, 0.3).toFloatArray()).containsExactly(new float[] {0f, 0.3f, 0.6f, 0.9f},
                within(1e-6f));
        assertThatThrownBy(() -> Antorcha.arange(0, 1, 0)).isExactlyInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> Antorcha.arange(1, 0, 1)).isExactlyInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> Antorcha.arange(-1)).isExactlyInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void randIsUniformInUnitInterval() {
        Antorcha.manualSeed(1);
        float[] v = Antorcha.rand(100_000).toFloatArray();
        double sum = 0;
        int below = 0;
        for (float f : v) {
            assertThat(f).isGreaterThanOrEqualTo(0f).isLessThan(1f);
            sum += f;
            if (f < 0.25f) below++;
        }
        assertThat(sum / v.length).isCloseTo(0.5, within(0.005));   // σ of the mean ≈ 0.0009
        assertThat(below / (double) v.length).isCloseTo(0.25, within(0.01));
    }

    @Test
    void randnIsStandardNormal() {
        Antorcha.manualSeed(2);
        float[] v = Antorcha.randn(100_001).toFloatArray();          // odd: the last Box–Muller half
        double sum = 0, sq = 0;
        int within1 = 0;
        for (float f : v) {
            sum += f;
            sq += (double) f * f;
            if (Math.abs(f) < 1) within1++;
        }
        double mean = sum / v.length, std = Math.sqrt(sq / v.length - mean * mean);
        assertThat(mean).isCloseTo(0, within(0.01));
        assertThat(std).isCloseTo(1, within(0.01));
        assertThat(within1 / (double) v.length).isCloseTo(0.6827, within(0.01));
        assertThat(v[v.length - 1]).isNotZero();
    }

    @Test
    void seedingIsReproducible() {
        Antorcha.manualSeed(42);
        float[] a = Antorcha.randn(17).toFloatArray(), b = Antorcha.rand(5).toFloatArray();
        Antorcha.manualSeed(42);
        assertThat(Antorcha.randn(17).toFloatArray()).containsExactly(a);
        assertThat(Antorcha.rand(5).toFloatArray()).containsExactly(b);
        Antorcha.manualSeed(43);
        assertThat(Antorcha.randn(17).toFloatArray()).isNotEqualTo(a);
        Generator g1 = new Generator(9), g2 = new Generator(9);
        assertThat(Antorcha.rand(g1, 3, 3).toFloatArray()).containsExactly(Antorcha.rand(g2, 3, 3).toFloatArray());
    }

    @Test
    void likeFactoriesCopyShapeAndDtype() {
        Tensor x = Antorcha.ones(2, 3).t();
        Tensor z = Antorcha.zerosLike(x);
        assertThat(z.shape()).isEqualTo(Shape.of(3, 2));
        assertThat(z.isContiguous()).isTrue();
        assertThat(z.toFloatArray()).containsOnly(0f);
        assertThat(z.storage()).isNotSameAs(x.storage());
        Tensor l = Antorcha.onesLike(Antorcha.arange(4));
        assertThat(l.dtype()).isEqualTo(DType.INT64);
        assertThat(l.toLongArray()).containsExactly(1L, 1L, 1L, 1L);
        assertThat(Antorcha.fullLike(x, 7).toFloatArray()).containsOnly(7f).hasSize(6);
    }

    @Test
    void factoryShapeErrors() {
        assertThatThrownBy(() -> Antorcha.tensor(new float[] {1f, 2f, 3f}, 2, 2))
                .isExactlyInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("[2, 2]").hasMessageContaining("4").hasMessageContaining("3");
        assertThatThrownBy(() -> Antorcha.tensor(new long[] {1, 2}, 3))
                .isExactlyInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> Antorcha.tensor(new float[][] {{1f, 2f}, {3f}}))
                .isExactlyInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("expected sequence of length 2");
        assertThatThrownBy(() -> Antorcha.zeros(2, -1))
                .isExactlyInstanceOf(IllegalArgumentException.class).hasMessageContaining("-1");
        assertThatThrownBy(() -> Antorcha.eye(-2)).isExactlyInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> Antorcha.zeros(100_000, 100_000))
                .isExactlyInstanceOf(IllegalArgumentException.class).hasMessageContaining("10000000000");
    }

    @Test
    void oneElementArrayWithoutShapeIsOneDimensionalAndEmptyShapeIsZeroD() {
        assertThat(Antorcha.tensor(new float[] {5f}).shape()).isEqualTo(Shape.of(1));   // torch.tensor([5.])
        assertThat(Antorcha.tensor(new long[] {5}).shape()).isEqualTo(Shape.of(1));
        assertThat(Antorcha.tensor(new float[] {5f}, new int[0]).dim()).isZero();
        assertThat(Antorcha.tensor(new float[0]).shape()).isEqualTo(Shape.of(0));
        assertThatThrownBy(() -> Antorcha.tensor(new float[] {1f, 2f}, new int[0]))
                .isExactlyInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void setGradChecksShape() {
        Tensor x = Antorcha.zeros(2, 2).requiresGrad(true);
        assertThatThrownBy(() -> x.setGrad(Antorcha.zeros(4)))
                .isExactlyInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("[4]").hasMessageContaining("[2, 2]");
        x.setGrad(Antorcha.ones(2, 2));
        assertThat(x.grad().toFloatArray()).containsOnly(1f);
    }

    @Test
    void toStringLooksLikeTorch() {
        assertThat(Antorcha.tensor(new float[] {1f, 2.5f}, 2)).hasToString("tensor([1.0000, 2.5000])");   // torch 1.13
    }
}
