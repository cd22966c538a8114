package dev.antorcha.vision.datasets;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A mirror on 127.0.0.1 (ephemeral port) serving the files of a folder, torchvision-style
 * ({@code GET /NAME}), with ways to misbehave per file.
 */
final class LocalMirror implements AutoCloseable {
    enum Fault { NONE, CORRUPT, HALF_THEN_CLOSE, STALL, SLOW, NOT_FOUND, REDIRECT, REDIRECT_LOOP }

    private final Path dir;
    private final HttpServer server;
    private final ExecutorService executor;
    private final Map<String, Fault> faults = new ConcurrentHashMap<>();
    private final Map<String, AtomicInteger> hits = new ConcurrentHashMap<>();
    private volatile Fault defaultFault = Fault.NONE;

    private LocalMirror(Path dir) throws IOException {
        this.dir = dir;
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        executor = Executors.newCachedThreadPool(r -> {
            Thread t = new Thread(r, "local-mirror");
            t.setDaemon(true);
            return t;
        });
        server.setExecutor(executor);
        server.createContext("/", this::handle);
        server.start();
    }

    static LocalMirror serving(Path dir) throws IOException {
        return new LocalMirror(dir);
    }

    /** Makes {@code file} misbehave ({@code null}: every file). */
    LocalMirror fault(String file, Fault fault) {
        if (file == null) defaultFault = fault;
        else faults.put(file, fault);
        return this;
    }

    /** {@code http://127.0.0.1:PORT/}. */
    String url() {
        return "http://127.0.0.1:" + server.getAddress().getPort() + "/";
    }

    int hits(String file) {
        return hits.getOrDefault(file, new AtomicInteger()).get();
    }

    int totalHits() {
        return hits.values().stream().mapToInt(AtomicInteger::get).sum();
    }

    /** A URL where nothing listens: the port of a socket just closed. */
    static String deadUrl() throws IOException {
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return "http://127.0.0.1:" + s.getLocalPort() + "/";
        }
    }

    private void handle(HttpExchange ex) throws IOException {
        try (ex) {
            String name = ex.getRequestURI().getPath().substring(1);
            hits.computeIfAbsent(name, k -> new AtomicInteger()).incrementAndGet();
            Fault fault = faults.getOrDefault(name, defaultFault);
            if (fault == Fault.REDIRECT_LOOP) {   // points back at itself, for ever
                ex.getResponseHeaders().add("Location", "/" + name);
                ex.sendResponseHeaders(301, -1);
                return;
            }
            if (name.startsWith("moved/")) name = name.substring("moved/".length());
            else if (fault == Fault.REDIRECT) {
                ex.getResponseHeaders().add("Location", "/moved/" + name);
                ex.sendResponseHeaders(302, -1);
                return;
            }
            Path file = dir.resolve(name);
            if (fault == Fault.NOT_FOUND || name.contains("/") || !Files.isRegularFile(file)) {
                ex.sendResponseHeaders(404, -1);
                return;
            }
            byte[] body = Files.readAllBytes(file);
            OutputStream out = ex.getResponseBody();
            switch (fault) {
                case CORRUPT -> {
                    body[body.length / 2] ^= 0x55;
                    ex.sendResponseHeaders(200, body.length);
                    out.write(body);
                }
                case HALF_THEN_CLOSE, STALL -> {
                    ex.sendResponseHeaders(200, body.length);
                    out.write(body, 0, body.length / 2);
                    out.flush();
                    if (fault == Fault.STALL) sleepQuietly(10_000);
                    // Closing the exchange short of Content-Length drops the connection.
                }
                case SLOW -> {   // twenty pieces, 100 ms apart
                    ex.sendResponseHeaders(200, body.length);
                    for (int i = 0; i < 20; i++) {
                        int from = body.length * i / 20, to = body.length * (i + 1) / 20;
                        out.write(body, from, to - from);
                        out.flush();
                        sleepQuietly(100);
                    }
                }
                default -> {
                    ex.sendResponseHeaders(200, body.length);
                    out.write(body);
                }
            }
        } catch (IOException e) {
            // "insufficient bytes written": the point of HALF_THEN_CLOSE
        }
    }

    private static void sleepQuietly(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public void close() {
        server.stop(0);
        executor.shutdownNow();
    }
}
