package dev.antorcha.tensor;

import java.util.Locale;

/**
 * Where a tensor's storage lives. Only {@link #CPU} has a backend in this release; a CUDA
 * backend can be added later as a module found by {@link java.util.ServiceLoader} without
 * changing this API.
 *
 * <pre>{@code
 * Tensor x = Antorcha.zeros(2, 3).to(Device.CPU);
 * Device d = Device.of("cuda:0");   // parses; x.to(d) says that no CUDA backend is available
 * }</pre>
 */
public record Device(Type type, int index) {

    /** Device kinds, named as in PyTorch. */
    public enum Type { CPU, CUDA }

    public static final Device CPU = new Device(Type.CPU, -1);

    public Device {
        if (type == null) throw new IllegalArgumentException("device type must not be null");
        if (type == Type.CPU && index != -1) index = -1;
        if (type == Type.CUDA && index < 0) {
            throw new IllegalArgumentException("CUDA device index must be >= 0, got " + index);
        }
    }

    /** The first CUDA device, {@code cuda:0}. */
    public static Device cuda() {
        return new Device(Type.CUDA, 0);
    }

    /** Parses PyTorch's device strings: {@code "cpu"}, {@code "cuda"}, {@code "cuda:1"}. */
    public static Device of(String name) {
        if (name == null) throw new IllegalArgumentException("device name must not be null (expected cpu, cuda or cuda:N)");
        String s = name.trim().toLowerCase(Locale.ROOT);
        if (s.equals("cpu")) return CPU;
        if (s.equals("cuda")) return cuda();
        if (s.startsWith("cuda:")) {
            try {
                return new Device(Type.CUDA, Integer.parseInt(s.substring(5)));
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("Invalid device string: '" + name + "'");
            }
        }
        throw new IllegalArgumentException(
                "Invalid device string: '" + name + "' (expected cpu, cuda or cuda:N)");
    }

    @Override
    public String toString() {
        return type == Type.CPU ? "cpu" : "cuda:" + index;
    }
}
