package dev.antorcha.cli;

import dev.antorcha.backend.Backend;
import dev.antorcha.backend.BackendProvider;
import dev.antorcha.backend.Backends;
import dev.antorcha.backend.Storage;
import dev.antorcha.tensor.Device;
import dev.antorcha.tensor.Layout;
import dev.antorcha.tensor.Tensor;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Proxy;

/**
 * A second device for tests, {@code cuda:11}, whose memory is the CPU backend's and whose every
 * kernel is the CPU backend's, run on the same memory (registered in this module's test
 * {@code META-INF/services}). Its tensors are not CPU tensors: an op that makes a tensor on the CPU
 * where it should follow its operands' device, or mixes the two, fails as it would with a GPU,
 * while the numbers stay the CPU's bit for bit. So ops, autograd, optimizers and the parity cases
 * can be checked to stay on a device without one.
 */
public final class MirrorDevice implements BackendProvider {
    static final Device DEVICE = new Device(Device.Type.CUDA, 11);
    static final Backend BACKEND = (Backend) Proxy.newProxyInstance(Backend.class.getClassLoader(),
            new Class<?>[] {Backend.class}, MirrorDevice::invoke);

    @Override
    public Backend backendFor(Device device) {
        return device.equals(DEVICE) ? BACKEND : null;
    }

    /** The mirror's memory: a contiguous CPU tensor over all of it. */
    static final class MirrorStorage extends Storage {
        final Tensor whole;

        MirrorStorage(Tensor whole) {
            this.whole = whole;
        }

        @Override
        public Device device() {
            return DEVICE;
        }

        @Override
        public Backend backend() {
            return BACKEND;
        }

        @Override
        public int capacity() {
            return whole.storage().capacity();
        }
    }

    private static Object invoke(Object proxy, Method m, Object[] args) throws Throwable {
        switch (m.getName()) {
            case "device":
                return DEVICE;
            case "toString":
                return "mirror of the CPU backend on " + DEVICE;
            case "hashCode":
                return System.identityHashCode(proxy);
            case "equals":
                return proxy == args[0];
            default:
                break;
        }
        Object[] a = args == null ? new Object[0] : args.clone();
        for (int i = 0; i < a.length; i++) a[i] = unwrap(a[i]);
        Object r;
        try {
            r = m.invoke(Backends.cpu(), a);
        } catch (InvocationTargetException e) {
            throw e.getCause();
        }
        return r instanceof Tensor t ? wrap(t) : r;
    }

    /** A mirror tensor as the CPU view of the same memory; a CPU tensor is refused as a GPU would refuse it. */
    private static Object unwrap(Object o) {
        if (o instanceof Tensor t) {
            if (t.storage() instanceof MirrorStorage s) return s.whole.viewOf(t.layout());
            throw new IllegalStateException("a " + t.device() + " tensor of shape " + t.shape() + " reached " + DEVICE
                    + "'s kernels");
        }
        if (o instanceof Tensor[] ts) {
            Tensor[] out = new Tensor[ts.length];
            for (int i = 0; i < ts.length; i++) out[i] = (Tensor) unwrap(ts[i]);
            return out;
        }
        return o;
    }

    /** A fresh CPU tensor (what empty, uninitialized and adopt return) as a mirror tensor. */
    private static Tensor wrap(Tensor cpu) {
        Tensor whole = cpu.viewOf(Layout.contiguous(cpu.storage().capacity()));
        return Tensor.fromStorage(new MirrorStorage(whole), cpu.layout(), cpu.dtype());
    }
}
