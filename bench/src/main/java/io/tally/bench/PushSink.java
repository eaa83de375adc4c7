package io.tally.bench;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.InputStream;
import java.net.BindException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Stands in for the bench store's channel (design.md §5 C2): the hub pushes new levels of the
 * benchmark's listings to the store's push-url, and this answers every push 200 at once, so pushes
 * never fail, pile up as retries or turn into dead letters while the benchmark runs.
 */
final class PushSink implements AutoCloseable {

    private final HttpServer server;
    private final ExecutorService workers;
    private final AtomicLong pushesReceived = new AtomicLong();

    private PushSink(HttpServer server, ExecutorService workers) {
        this.server = server;
        this.workers = workers;
    }

    static PushSink start(int port) throws IOException {
        HttpServer server;
        try {
            server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 0);
        } catch (BindException e) {
            throw new IOException(
                    "push sink cannot listen on 127.0.0.1:" + port + " (" + e.getMessage()
                            + "); pass --sink-port=<free port> and the same port in the hub's push-url, or --no-sink",
                    e);
        }
        ExecutorService workers = Executors.newFixedThreadPool(4, daemonThreads("push-sink"));
        PushSink sink = new PushSink(server, workers);
        server.createContext("/", sink::answer);
        server.setExecutor(workers);
        server.start();
        return sink;
    }

    int port() {
        return server.getAddress().getPort();
    }

    long pushesReceived() {
        return pushesReceived.get();
    }

    private void answer(HttpExchange exchange) throws IOException {
        try (exchange;
                InputStream body = exchange.getRequestBody()) {
            body.readAllBytes();
            if ("POST".equals(exchange.getRequestMethod())) {
                pushesReceived.incrementAndGet();
            }
            exchange.sendResponseHeaders(200, -1);
        }
    }

    @Override
    public void close() {
        server.stop(0);
        workers.shutdownNow();
    }

    static java.util.concurrent.ThreadFactory daemonThreads(String namePrefix) {
        AtomicLong counter = new AtomicLong();
        return runnable -> {
            Thread thread = new Thread(runnable, namePrefix + "-" + counter.incrementAndGet());
            thread.setDaemon(true);
            return thread;
        };
    }
}
