package io.tally.sandbox;

import com.sun.net.httpserver.HttpHandler;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;

/**
 * The HTTP side every channel simulator shares: a JDK server bound to loopback only, on daemon threads named after
 * the simulator, so a test or the sandbox never keeps the JVM alive and nothing is reachable from outside.
 */
public final class LoopbackHttpServer {

    private final HttpServer server;
    private final ExecutorService executor;

    private LoopbackHttpServer(HttpServer server, ExecutorService executor) {
        this.server = server;
        this.executor = executor;
    }

    /** Starts a server whose requests run on a cached thread pool. */
    public static LoopbackHttpServer start(String name, int port, Map<String, HttpHandler> contexts) {
        return start(name, port, contexts, Executors::newCachedThreadPool);
    }

    /**
     * @param port     0 for a free port
     * @param contexts path prefix → handler (the longest matching prefix wins)
     * @param pool     makes the executor requests run on, from a factory of named daemon threads (a simulator that
     *                 also schedules work of its own passes a scheduled pool and reuses it through {@link #executor()})
     */
    public static LoopbackHttpServer start(
            String name,
            int port,
            Map<String, HttpHandler> contexts,
            Function<ThreadFactory, ? extends ExecutorService> pool) {
        HttpServer server;
        try {
            server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 64);
        } catch (IOException e) {
            throw new IllegalStateException("cannot start " + name + " on port " + port, e);
        }
        AtomicInteger threadNo = new AtomicInteger();
        ExecutorService executor = pool.apply(r -> {
            Thread t = new Thread(r, name + "-" + threadNo.incrementAndGet());
            t.setDaemon(true);
            return t;
        });
        server.setExecutor(executor);
        contexts.forEach(server::createContext);
        server.start();
        return new LoopbackHttpServer(server, executor);
    }

    public ExecutorService executor() {
        return executor;
    }

    public int port() {
        return server.getAddress().getPort();
    }

    public void stop() {
        server.stop(0);
        executor.shutdownNow();
        try {
            executor.awaitTermination(2, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
