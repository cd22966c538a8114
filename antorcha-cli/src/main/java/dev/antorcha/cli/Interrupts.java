package dev.antorcha.cli;

import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * Lets Ctrl-C (SIGINT) and SIGTERM end a training at the end of an iteration instead of in the
 * middle of one. A shutdown hook, which the JVM starts on either signal, asks the training thread
 * to stop ({@link #requested()}, checked after every iteration) and waits until that thread has
 * written its checkpoint and line ({@link #settled()}); then the JVM exits with its usual status
 * for the signal, 130 or 143.
 *
 * <p>No signal API is needed (sun.misc.Signal would cost an unsuppressible javac warning). A
 * second signal while the hook waits makes the JDK start another thread named like
 * {@code "SIGINT handler"}, which then blocks behind the first shutdown; the hook watches for it
 * and halts at once, so a second Ctrl-C still ends a run that cannot stop cleanly. The
 * checkpoint's files are written under temporary names, so such a halt leaves at most a
 * temporary folder, which the next save removes.
 */
final class Interrupts implements AutoCloseable {
    private static final Map<String, Integer> SIGNALS = Map.of("SIGHUP", 1, "SIGINT", 2, "SIGTERM", 15);

    private final Thread trainer = Thread.currentThread();
    private final Thread hook = new Thread(this::onShutdown, "antorcha-interrupt");
    private final CountDownLatch settled = new CountDownLatch(1);
    private volatile boolean requested;
    private boolean removed;

    private Interrupts() {
    }

    /** Starts listening; the calling thread is the one that trains. */
    static Interrupts install() {
        Interrupts i = new Interrupts();
        Runtime.getRuntime().addShutdownHook(i.hook);
        return i;
    }

    /** Whether the training should stop now (a signal arrived, the JVM is shutting down). */
    boolean requested() {
        return requested;
    }

    /** The training thread is done with its stop: the JVM may exit. */
    void settled() {
        settled.countDown();
    }

    /**
     * Stops listening before the run's outputs are written. Returns false when a shutdown has
     * already begun: then the caller must stop as for {@link #requested()} (and call {@link #settled()}).
     */
    boolean finish() {
        if (removed) return true;
        try {
            Runtime.getRuntime().removeShutdownHook(hook);
            removed = true;
            return !requested;
        } catch (IllegalStateException shuttingDown) {
            requested = true;
            return false;
        }
    }

    /** On any way out (an exception included): never leave the JVM's exit waiting on this run. */
    @Override
    public void close() {
        finish();
        settled();
    }

    private void onShutdown() {
        requested = true;
        Set<Thread> before = signalThreads();
        try {
            while (!settled.await(50, TimeUnit.MILLISECONDS)) {
                if (!trainer.isAlive()) return;
                for (Thread t : signalThreads()) {
                    if (!before.contains(t)) Runtime.getRuntime().halt(128 + SIGNALS.get(t.getName().split(" ")[0]));
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** The JDK's threads that run a signal's handler ("SIGINT handler", ...). */
    private static Set<Thread> signalThreads() {
        Set<Thread> out = new HashSet<>();
        for (Thread t : Thread.getAllStackTraces().keySet()) {
            String[] name = t.getName().split(" ");
            if (name.length == 2 && name[1].equals("handler") && SIGNALS.containsKey(name[0])) out.add(t);
        }
        return out;
    }
}
