package dev.antorcha.cli;

import dev.antorcha.Antorcha;
import dev.antorcha.tensor.Tensor;

/**
 * Run by {@link ModulePathTest} in a child JVM whose module path holds antorcha-core: prints the
 * module the API came from, whether that module reads the Vector API, and a small product, so
 * that both kernel paths are exercised as a modular application loads them.
 */
final class ModulePathProbe {
    private ModulePathProbe() {
    }

    public static void main(String[] args) {
        Module core = Antorcha.class.getModule();
        boolean readsVector = ModuleLayer.boot().findModule("jdk.incubator.vector").map(core::canRead).orElse(false);
        Tensor x = Antorcha.tensor(new float[] {1, 2, 3, 4}, 2, 2);
        System.out.println(core.getName() + " vector=" + readsVector + " sum=" + x.matmul(x).sum().item());
    }
}
