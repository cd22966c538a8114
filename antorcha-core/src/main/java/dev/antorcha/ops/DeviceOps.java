package dev.antorcha.ops;

import static dev.antorcha.autograd.Graph.grads;
import static dev.antorcha.autograd.Graph.inputs;
import static dev.antorcha.autograd.Graph.nothingSaved;

import dev.antorcha.autograd.Graph;
import dev.antorcha.backend.Backend;
import dev.antorcha.backend.Backends;
import dev.antorcha.tensor.Device;
import dev.antorcha.tensor.Tensor;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/** Moving tensors between devices: {@code x.to(device)}, {@code x.cpu()}. */
public final class DeviceOps {
    private DeviceOps() {
    }

    /**
     * {@code x.to(device)}: {@code x} itself on its own device, else a copy made by the target's
     * backend. The elements cross through host memory as raw bytes of {@code x}'s dtype (the one
     * copy every backend has, {@code copyToBytes}/{@code copyFromBytes}), so any two backends
     * can exchange every dtype without knowing each other. Differentiable, as PyTorch's
     * ToCopyBackward0: the gradient goes back to {@code x}'s device.
     *
     * @throws IllegalStateException when no installed backend provides {@code device}
     */
    public static Tensor to(Tensor x, Device device) {
        Args.tensor(x, "to", "input");
        Args.nonNull(device, "to", "device", "a Device");
        Device from = x.device();
        if (device.equals(from)) return x;
        Backend target = Backends.forDevice(device);
        Tensor src = x.isContiguous() ? x : x.contiguousCopy();
        int n = src.numel();
        long bytes = (long) n * x.dtype().itemSize();
        if (bytes > Integer.MAX_VALUE) {
            throw new IllegalArgumentException("to(" + device + "): " + x.dtype().torchName() + " tensor of shape "
                    + x.shape() + " is " + bytes + " bytes, more than one host buffer holds (2 GiB); move it in slices");
        }
        ByteBuffer host = ByteBuffer.allocate((int) bytes).order(ByteOrder.nativeOrder());
        src.backend().copyToBytes(src, src.layout().offset(), n, host);
        host.flip();
        Tensor out = target.empty(x.dtype(), x.layout().shape());
        target.copyFromBytes(host, out, 0, n);
        if (!x.dtype().isFloatingPoint()) return out;
        return Graph.record(out, "ToCopyBackward0", inputs(x), nothingSaved(), (g, needs) -> grads(to(g, from)));
    }
}
