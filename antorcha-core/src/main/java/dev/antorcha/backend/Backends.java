package dev.antorcha.backend;

import dev.antorcha.tensor.Device;
import java.util.Map;
import java.util.ServiceLoader;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Finds the backend of a device through {@link BackendProvider}s that {@link ServiceLoader}
 * lists. The core names no implementation: even the CPU backend is registered as a service
 * (in the core's module descriptor and in {@code META-INF/services} for the class path), so a
 * GPU backend plugs in the same way.
 */
public final class Backends {
    private static final Map<Device, Backend> FOUND = new ConcurrentHashMap<>();

    private Backends() {
    }

    /** Found once, on first use: factories ask for it on every tensor they make. */
    private static final class Cpu {
        static final Backend BACKEND = load(Device.CPU);
    }

    public static Backend cpu() {
        return Cpu.BACKEND;
    }

    /** The backend for {@code device}; a clear error when none is installed. */
    public static Backend forDevice(Device device) {
        if (device.type() == Device.Type.CPU) return Cpu.BACKEND;
        return FOUND.computeIfAbsent(device, Backends::load);
    }

    /** How many devices of {@code type} the installed providers serve (the CPU: 1). */
    public static int deviceCount(Device.Type type) {
        if (type == Device.Type.CPU) return 1;
        int n = 0;
        for (BackendProvider p : providers()) n = Math.max(n, p.deviceCount(type));
        return n;
    }

    /**
     * Why {@code device} cannot be used: the first reason a provider gives (a missing library, no such
     * device), else that no provider deals in its type; null for the CPU.
     */
    public static String unavailableReason(Device device) {
        if (device.type() == Device.Type.CPU) return null;
        for (BackendProvider p : providers()) {
            String why = p.unavailableReason(device);
            if (why != null) return why;
        }
        return "no " + device.type() + " backend is installed: this build of Antorcha runs on the CPU only (its "
                + device.type().toString().toLowerCase(java.util.Locale.ROOT) + " module is not on the class or module path)";
    }

    private static java.util.List<BackendProvider> providers() {
        java.util.List<BackendProvider> out = new java.util.ArrayList<>();
        var it = ServiceLoader.load(BackendProvider.class, Backends.class.getClassLoader()).iterator();
        while (true) {
            try {
                if (!it.hasNext()) break;
                out.add(it.next());
            } catch (java.util.ServiceConfigurationError e) {
                if (e.getMessage() == null || !e.getMessage().contains("not a subtype")) throw e;
            }
        }
        return out;
    }

    private static Backend load(Device device) {
        // The core's own class loader: providers in named modules defined to it (module-info's
        // provides) and on its class path (META-INF/services). Then the core's module layer, for
        // a backend module in a layer of its own; then the context loader, where an application
        // server or plug-in host may keep a backend.
        Backend b = find(ServiceLoader.load(BackendProvider.class, Backends.class.getClassLoader()), device);
        Module core = Backends.class.getModule();
        if (b == null && core.getLayer() != null) b = find(ServiceLoader.load(core.getLayer(), BackendProvider.class), device);
        ClassLoader context = Thread.currentThread().getContextClassLoader();
        if (b == null && context != null && context != Backends.class.getClassLoader()) {
            b = find(ServiceLoader.load(BackendProvider.class, context), device);
        }
        if (b != null) return b;
        for (BackendProvider p : providers()) {
            String why = p.unavailableReason(device);
            if (why != null) throw new IllegalStateException("cannot use " + device + ": " + why);
        }
        throw new IllegalStateException("no " + device.type() + " backend available for device '" + device
                + "': this build of Antorcha runs on the CPU only (use Device.CPU)");
    }

    private static Backend find(ServiceLoader<BackendProvider> providers, Device device) {
        var it = providers.iterator();
        while (true) {
            BackendProvider p;
            try {
                if (!it.hasNext()) return null;
                p = it.next();
            } catch (java.util.ServiceConfigurationError e) {
                // A provider built against another copy of the core (e.g. one on the class path
                // while this one runs in a module layer) is not a provider for this copy.
                if (e.getMessage() != null && e.getMessage().contains("not a subtype")) continue;
                throw e;
            }
            Backend b = p.backendFor(device);
            if (b != null) return b;
        }
    }
}
