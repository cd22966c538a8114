package dev.antorcha.backend.cpu;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.antorcha.Antorcha;
import dev.antorcha.backend.Backend;
import dev.antorcha.backend.Backends;
import dev.antorcha.backend.SgdStep;
import dev.antorcha.tensor.DType;
import dev.antorcha.tensor.Factory;
import dev.antorcha.tensor.Generator;
import dev.antorcha.tensor.Tensor;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import org.junit.jupiter.api.Test;

/**
 * The memory methods of the backend interface on the CPU: host arrays in and out, fills, and the
 * kernels that moved out of ops, optim, data and io. The arrays behind the tensors are the
 * reference, read here (white-box) because this test lives in the backend's package.
 */
class CpuMemoryTest {
    private final Backend cpu = Backends.cpu();

    @Test
    void adoptKeepsTheArrayWithoutACopy() {
        float[] data = {1, 2, 3, 4, 5, 6};
        Tensor t = Factory.adopt(data, 2, 3);
        assertThat(CpuStorage.floats(t)).isSameAs(data);
        assertThat(t.shape().toArray()).containsExactly(2, 3);
        long[] labels = {7, 8};
        assertThat(CpuStorage.longs(Factory.adopt(labels, 2))).isSameAs(labels);
        assertThat(Factory.adopt(labels, 2).dtype()).isEqualTo(DType.INT64);
    }

    @Test
    void adoptRefusesAnArrayOfTheWrongLength() {
        assertThatThrownBy(() -> Factory.adopt(new float[5], 2, 3)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("[2, 3]").hasMessageContaining("needs 6 elements").hasMessageContaining("has 5");
        assertThatThrownBy(() -> Factory.adopt((float[]) null, 2)).isInstanceOf(NullPointerException.class)
                .hasMessageContaining("adopt").hasMessageContaining("data");
        assertThatThrownBy(() -> cpu.adopt(new long[] {1}, 1).backend().adopt(new float[] {1}, DType.INT64, 1))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("torch.int64");
    }

    @Test
    void toArraysAreFreshRowMajorCopiesOfAView() {
        Tensor x = Antorcha.tensor(new float[] {1, 2, 3, 4, 5, 6}, 2, 3);
        float[] tr = x.t().toFloatArray();                         // [[1, 4], [2, 5], [3, 6]]
        assertThat(tr).containsExactly(1, 4, 2, 5, 3, 6);
        assertThat(tr).isNotSameAs(CpuStorage.floats(x));
        assertThat(x.t().toLongArray()).containsExactly(1, 4, 2, 5, 3, 6);
        float[] own = x.toFloatArray();
        own[0] = 99;
        assertThat(CpuStorage.floats(x)[0]).as("the copy is the caller's").isEqualTo(1f);
    }

    @Test
    void hostCopiesMoveElementsAtStoragePositions() {
        Tensor x = Antorcha.zeros(2, 3);
        cpu.copyFromHost(new float[] {9, 8, 7, 6}, 1, x, 2, 3);   // 8, 7, 6 into positions 2, 3, 4
        assertThat(CpuStorage.floats(x)).containsExactly(0, 0, 8, 7, 6, 0);
        float[] back = new float[4];
        cpu.copyToHost(x, 3, back, 1, 2);
        assertThat(back).containsExactly(0, 7, 6, 0);
        Tensor l = Antorcha.tensor(new long[] {1, 2, 3});
        cpu.copyFromHost(new long[] {Long.MAX_VALUE}, 0, l, 1, 1);
        long[] lb = new long[3];
        cpu.copyToHost(l, 0, lb, 0, 3);
        assertThat(lb).containsExactly(1, Long.MAX_VALUE, 3);
        assertThat(l.select(0, 1).longItem()).as("item of an int64 is exact").isEqualTo(Long.MAX_VALUE);
    }

    @Test
    void rawBytesInEachDtypesEncoding() {
        ByteBuffer buf = ByteBuffer.allocate(64).order(ByteOrder.LITTLE_ENDIAN);
        buf.put((byte) 0x55);                                       // writing starts at the position
        cpu.copyToBytes(Antorcha.tensor(new float[] {1.5f, -2f, 3f}), 1, 2, buf);
        cpu.copyToBytes(Antorcha.tensor(new long[] {-1, 1L << 40}), 0, 2, buf);
        Tensor mask = Antorcha.tensor(new float[] {0, 2, 0}).gt(Antorcha.zeros(3));
        cpu.copyToBytes(mask, 0, 3, buf);
        ByteBuffer expected = ByteBuffer.allocate(64).order(ByteOrder.LITTLE_ENDIAN)
                .put((byte) 0x55).putFloat(-2f).putFloat(3f).putLong(-1).putLong(1L << 40).put(new byte[] {0, 1, 0});
        assertThat(buf.position()).isEqualTo(expected.position()).isEqualTo(1 + 8 + 16 + 3);
        assertThat(buf.array()).isEqualTo(expected.array());

        buf.flip().position(1);
        Tensor f = Antorcha.zeros(3), l = Factory.empty(DType.INT64, 2), b = Factory.empty(DType.BOOL, 3);
        cpu.copyFromBytes(buf, f, 1, 2);
        cpu.copyFromBytes(buf, l, 0, 2);
        cpu.copyFromBytes(ByteBuffer.wrap(new byte[] {0, 7, 0}), b, 0, 3);  // any non-zero byte is true
        assertThat(CpuStorage.floats(f)).containsExactly(0f, -2f, 3f);
        assertThat(CpuStorage.longs(l)).containsExactly(-1, 1L << 40);
        assertThat(CpuStorage.bytes(b)).containsExactly(0, 1, 0);
    }

    @Test
    void fillTouchesOnlyTheViewAndRefusesAStridedOne() {
        Tensor x = Antorcha.zeros(3, 2);
        cpu.fill(x.narrow(0, 1, 1), 2.5);
        assertThat(CpuStorage.floats(x)).containsExactly(0, 0, 2.5f, 2.5f, 0, 0);
        Tensor b = Factory.empty(DType.BOOL, 2);
        cpu.fill(b, 3);
        assertThat(CpuStorage.bytes(b)).as("bool true is stored as 1").containsExactly(1, 1);
        Tensor l = Factory.empty(DType.INT64, 2);
        cpu.fill(l, -7);
        assertThat(CpuStorage.longs(l)).containsExactly(-7, -7);
        assertThatThrownBy(() -> cpu.fill(x.t(), 1)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("contiguous").hasMessageContaining("[2, 3]");
    }

    @Test
    void arangeInEachStorage() {
        assertThat(CpuStorage.floats(Antorcha.arange(1, 2, 0.25))).containsExactly(1f, 1.25f, 1.5f, 1.75f);
        Tensor five = Antorcha.arange(5);
        assertThat(five.dtype()).isEqualTo(DType.INT64);
        assertThat(CpuStorage.longs(five)).containsExactly(0, 1, 2, 3, 4);
    }

    @Test
    void randomFillsDrawTheGeneratorsSequence() {
        float[] u = new float[7], n = new float[7];
        new Generator(42).fillUniform(u, 0, 7, -2, 3);
        new Generator(42).fillNormal(n, 0, 7, 1, 0.5);
        Tensor tu = Antorcha.zeros(7), tn = Antorcha.zeros(7);
        cpu.uniform(tu, new Generator(42), -2, 3);
        cpu.normal(tn, new Generator(42), 1, 0.5);
        assertThat(CpuStorage.floats(tu)).containsExactly(u);
        assertThat(CpuStorage.floats(tn)).containsExactly(n);
    }

    @Test
    void stackCopiesStridedAndInt64Parts() {
        Tensor a = Antorcha.tensor(new float[] {1, 2, 3, 4}, 2, 2);
        Tensor out = Factory.empty(DType.FLOAT32, 2, 2, 2);
        cpu.stack(new Tensor[] {a, a.t()}, out);
        assertThat(CpuStorage.floats(out)).containsExactly(1, 2, 3, 4, 1, 3, 2, 4);
        Tensor lo = Factory.empty(DType.INT64, 2, 2);
        cpu.stack(new Tensor[] {Antorcha.tensor(new long[] {5, 6}), Antorcha.tensor(new long[] {7, 8})}, lo);
        assertThat(CpuStorage.longs(lo)).containsExactly(5, 6, 7, 8);
    }

    @Test
    void oneHotKernelChecksItsLabels() {
        Tensor out = Factory.full(0, DType.INT64, 2, 3);
        cpu.oneHot(Antorcha.tensor(new long[] {2, 0}), out);
        assertThat(CpuStorage.longs(out)).containsExactly(0, 0, 1, 1, 0, 0);
        assertThatThrownBy(() -> cpu.oneHot(Antorcha.tensor(new long[] {3}), Factory.full(0, DType.INT64, 1, 3)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("3").hasMessageContaining("[0, 3)");
    }

    @Test
    void sgdStepByHand() {
        // p = 1, g = 0.5, wd = 0.1, lr = 0.1, momentum 0.9, nesterov, first step:
        // d = 0.5 + 0.1·1 = 0.6; buf = 0.6; d = 0.6 + 0.9·0.6 = 1.14; p = 1 - 0.1·1.14 = 0.886
        Tensor p = Antorcha.tensor(new float[] {1f}), g = Antorcha.tensor(new float[] {0.5f});
        Tensor buf = Antorcha.zeros(1);
        cpu.sgd(p, g, buf, new SgdStep(-0.1f, 0.9f, 1f, 0.1f, true, true, true));
        assertThat(CpuStorage.floats(buf)[0]).isEqualTo(0.6f, org.assertj.core.data.Offset.offset(1e-7f));
        assertThat(CpuStorage.floats(p)[0]).isEqualTo(0.886f, org.assertj.core.data.Offset.offset(1e-6f));
        // second step, no nesterov, dampening 0.5: d = 0.5 + 0.1·0.886 = 0.5886;
        // buf = 0.9·0.6 + 0.5·0.5886 = 0.8343; p = 0.886 - 0.1·0.8343 = 0.80257
        cpu.sgd(p, g, buf, new SgdStep(-0.1f, 0.9f, 0.5f, 0.1f, true, false, false));
        assertThat(CpuStorage.floats(buf)[0]).isEqualTo(0.8343f, org.assertj.core.data.Offset.offset(1e-6f));
        assertThat(CpuStorage.floats(p)[0]).isEqualTo(0.80257f, org.assertj.core.data.Offset.offset(1e-6f));
    }
}
