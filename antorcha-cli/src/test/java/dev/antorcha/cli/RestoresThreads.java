package dev.antorcha.cli;

import dev.antorcha.Antorcha;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * For test classes whose runs pass {@code --threads}: the CPU thread count is global to the JVM,
 * so it is put back as it was once the class is done, for the test classes that follow.
 */
final class RestoresThreads implements BeforeAllCallback, AfterAllCallback {
    private static final ExtensionContext.Namespace NS = ExtensionContext.Namespace.create(RestoresThreads.class);

    @Override
    public void beforeAll(ExtensionContext context) {
        context.getStore(NS).put("threads", Antorcha.getNumThreads());
    }

    @Override
    public void afterAll(ExtensionContext context) {
        Antorcha.setNumThreads(context.getStore(NS).get("threads", Integer.class));
    }
}
