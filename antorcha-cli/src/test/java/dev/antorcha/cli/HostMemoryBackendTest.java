package dev.antorcha.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.antorcha.Antorcha;
import dev.antorcha.backend.Backend;
import dev.antorcha.backend.BackendProvider;
import dev.antorcha.backend.Storage;
import dev.antorcha.nn.Linear;
import dev.antorcha.nn.Module;
import dev.antorcha.tensor.DType;
import dev.antorcha.tensor.Device;
import dev.antorcha.tensor.Layout;
import dev.antorcha.tensor.Tensor;
import java.lang.reflect.Proxy;
import java.nio.ByteBuffer;
import org.junit.jupiter.api.Test;

/**
 * Moving tensors and modules between devices, against a stand-in backend for {@code cuda:0}
 * (registered in this module's test {@code META-INF/services}, as {@link PluggedBackendTest}'s):
 * its memory is a host byte buffer and its only kernels are the byte copies, so every value seen
 * back on the CPU went through its memory, and any op it would have to run fails loudly.
 */
class HostMemoryBackendTest {
    static final Device FAKE = Device.cuda();

    /** Memory of the stand-in: raw elements in a heap byte buffer. */
    static final class HostStorage extends Storage {
        final ByteBuffer bytes;
        final Backend backend;

        HostStorage(int size, Backend backend) {
            this.bytes = ByteBuffer.allocate(size);
            this.backend = backend;
        }

        @Override
        public Device device() {
            return FAKE;
        }

        @Override
        public Backend backend() {
            return backend;
        }

        @Override
        public int capacity() {
            return bytes.capacity();
        }
    }

    public static final class Provider implements BackendProvider {
        @Override
        public Backend backendFor(Device device) {
            if (!device.equals(FAKE)) return null;
            Backend[] self = new Backend[1];
            self[0] = (Backend) Proxy.newProxyInstance(Backend.class.getClassLoader(), new Class<?>[] {Backend.class},
                    (proxy, method, args) -> switch (method.getName()) {
                        case "device" -> FAKE;
                        case "describeKernels" -> "byte copies only, a test stand-in";
                        case "toString" -> "host-memory stand-in for " + FAKE;
                        case "hashCode" -> System.identityHashCode(proxy);
                        case "equals" -> proxy == args[0];
                        case "empty" -> {
                            DType dtype = (DType) args[0];
                            int[] shape = (int[]) args[1];
                            int n = 1;
                            for (int s : shape) n *= s;
                            yield Tensor.fromStorage(new HostStorage(n * dtype.itemSize(), self[0]),
                                    Layout.contiguous(shape), dtype);
                        }
                        case "copyToBytes" -> {   // (Tensor t, int pos, int n, ByteBuffer dst)
                            Tensor t = (Tensor) args[0];
                            int w = t.dtype().itemSize();
                            ((ByteBuffer) args[3]).put(((HostStorage) t.storage()).bytes.slice((int) args[1] * w, (int) args[2] * w));
                            yield null;
                        }
                        case "copyFromBytes" -> {   // (ByteBuffer src, Tensor t, int pos, int n)
                            Tensor t = (Tensor) args[1];
                            int w = t.dtype().itemSize();
                            ByteBuffer src = (ByteBuffer) args[0];
                            ((HostStorage) t.storage()).bytes.put((int) args[2] * w, src, src.position(), (int) args[3] * w);
                            src.position(src.position() + (int) args[3] * w);
                            yield null;
                        }
                        default -> throw new UnsupportedOperationException(method.getName() + " on the stand-in backend");
                    });
            return self[0];
        }
    }

    @Test
    void toMovesThroughTheTargetBackendAndBackExactly() {
        long big = (1L << 53) + 1;
        Tensor longs = Antorcha.tensor(new long[] {big, -7, 0});
        Tensor moved = longs.to(FAKE);
        assertThat(moved.device()).isEqualTo(FAKE);
        assertThat(moved.storage()).isInstanceOf(HostStorage.class);
        assertThat(moved.dtype()).isEqualTo(DType.INT64);
        assertThat(moved.to(FAKE)).as("same device: the tensor itself").isSameAs(moved);
        Tensor back = moved.cpu();
        assertThat(back.device()).isEqualTo(Device.CPU);
        assertThat(back.toLongArray()).containsExactly(big, -7, 0);
        assertThat(longs.cpu()).isSameAs(longs);

        Tensor doubles = Antorcha.tensor(new float[] {1, 2, 3, 4, 5, 6}).reshape(2, 3).toDouble().add(0.1).t();
        Tensor d = doubles.to(FAKE);
        assertThat(d.shape()).isEqualTo(doubles.shape());
        // the transposed view moves in row-major order: [[1.1, 4.1], [2.1, 5.1], [3.1, 6.1]]
        assertThat(d.cpu().toDoubleArray()).containsExactly(1 + 0.1, 4 + 0.1, 2 + 0.1, 5 + 0.1, 3 + 0.1, 6 + 0.1);
        Tensor mask = Antorcha.tensor(new float[] {0, 3, -1}).gt(0);
        assertThat(mask.to(FAKE).cpu().toFloatArray()).containsExactly(0f, 1f, 0f);
        assertThat(mask.to(FAKE).cpu().dtype()).isEqualTo(DType.BOOL);
    }

    @Test
    void anOpOnTwoDevicesFailsWithPyTorchsMessage() {
        Tensor cpu = Antorcha.tensor(new float[] {1, 2});
        Tensor fake = cpu.to(FAKE);
        assertThatThrownBy(() -> cpu.add(fake)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("Expected all tensors to be on the same device, but found at least two devices, "
                        + "cpu and cuda:0!");
        assertThatThrownBy(() -> fake.mul(cpu)).hasMessageContaining("found at least two devices, cuda:0 and cpu!");
        assertThatThrownBy(() -> cpu.reshape(1, 2).matmul(fake.reshape(2, 1))).hasMessageContaining("cpu and cuda:0!");
        assertThatThrownBy(() -> cpu.gather(0, Antorcha.tensor(new long[] {1}).to(FAKE)))
                .hasMessageContaining("cpu and cuda:0!");
        assertThatThrownBy(() -> cpu.add_(fake)).hasMessageContaining("cpu and cuda:0!");
        Linear layer = new Linear(2, 1);
        assertThatThrownBy(() -> layer.forward(fake.reshape(1, 2))).hasMessageContaining("cuda:0 and cpu!");
    }

    @Test
    void copyIntoACpuTensorCrossesDevicesAsInPyTorch() {
        Tensor src = Antorcha.tensor(new long[] {(1L << 53) + 1, -2}).to(FAKE);
        Tensor dst = Antorcha.zeros(2).toDouble().to(DType.INT64);
        assertThat(dst.copy_(src)).isSameAs(dst);
        assertThat(dst.device()).isEqualTo(Device.CPU);
        assertThat(dst.toLongArray()).containsExactly((1L << 53) + 1, -2);
        Tensor wide = Antorcha.zeros(3, 2).to(DType.INT64);
        wide.copy_(src);   // broadcast over the rows after the move
        assertThat(wide.toLongArray()).containsExactly((1L << 53) + 1, -2, (1L << 53) + 1, -2, (1L << 53) + 1, -2);
    }

    @Test
    void gradientsFlowBackAcrossTheMove() {
        Tensor x = Antorcha.tensor(new float[] {1, 2, 3}).requiresGrad(true);
        Tensor y = x.mul(x).to(FAKE).cpu();   // d/dx sum(x²) = 2x, through two moves
        y.sum().backward();
        assertThat(x.grad().device()).isEqualTo(Device.CPU);
        assertThat(x.grad().toFloatArray()).containsExactly(2f, 4f, 6f);
    }

    /** A module with a child and an int64 buffer, as BatchNorm's num_batches_tracked. */
    static final class Net extends Module {
        final Linear fc = registerModule("fc", new Linear(3, 2));
        final Tensor steps = registerBuffer("steps", Antorcha.tensor(new long[] {(1L << 40) + 3}));

        @Override
        public Tensor forward(Tensor input) {
            return fc.forward(input);
        }
    }

    @Test
    void moduleToMovesParametersAndBuffersInPlace() {
        Net net = new Net();
        Tensor w = net.fc.weight, b = net.fc.bias;
        float[] wBefore = w.toFloatArray(), bBefore = b.toFloatArray();
        Tensor x = Antorcha.tensor(new float[] {1, -2, 0.5f}).reshape(1, 3);
        float[] yBefore = net.forward(x).toFloatArray();
        net.forward(x).sum().backward();
        float[] gradBefore = w.grad().toFloatArray();

        assertThat(net.to(FAKE)).isSameAs(net);
        assertThat(net.fc.weight).as("the same Parameter object").isSameAs(w);
        assertThat(net.parameters()).allSatisfy(p -> assertThat(p.device()).isEqualTo(FAKE));
        assertThat(net.steps.device()).isEqualTo(FAKE);
        assertThat(w.requiresGrad()).isTrue();
        assertThat(w.grad().device()).as("the gradient moves with its parameter").isEqualTo(FAKE);

        net.to(Device.CPU);
        assertThat(w.toFloatArray()).containsExactly(wBefore);
        assertThat(b.toFloatArray()).containsExactly(bBefore);
        assertThat(w.grad().toFloatArray()).containsExactly(gradBefore);
        assertThat(net.steps.toLongArray()).containsExactly((1L << 40) + 3);
        assertThat(net.forward(x).toFloatArray()).containsExactly(yBefore);
    }

    @Test
    void aDeviceWithoutBackendIsNamed() {
        Device none = new Device(Device.Type.CUDA, 7);
        assertThatThrownBy(() -> Antorcha.zeros(2).to(none)).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("cannot use cuda:7: ");   // the CUDA module says why (no driver, no such device)
        Net net = new Net();
        assertThatThrownBy(() -> net.to(none)).hasMessageContaining("cuda:7");
        assertThat(net.parameters()).as("nothing moved").allSatisfy(p -> assertThat(p.device()).isEqualTo(Device.CPU));
    }
}
