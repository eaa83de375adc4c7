package io.tally.sandbox.shopify;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

/** A tiny webhook endpoint for tests: records every delivery and can answer the next ones with an error. */
final class WebhookReceiver implements AutoCloseable {

    record Hit(
            String topic,
            String eventId,
            String webhookId,
            String hmac,
            String shopDomain,
            String apiVersion,
            String triggeredAt,
            String contentType,
            byte[] body,
            int answered) {
        JsonNode json() {
            try {
                return new ObjectMapper().readTree(body);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }

        String text() {
            return new String(body, StandardCharsets.UTF_8);
        }
    }

    private final HttpServer server;
    private final List<Hit> hits = new ArrayList<>();
    private final AtomicInteger failNext = new AtomicInteger();
    private volatile int failStatus = 500;
    private final AtomicInteger slowNext = new AtomicInteger();
    private volatile long slowMillis;

    WebhookReceiver() throws IOException {
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 16);
        server.createContext("/", ex -> {
            try (ex) {
                byte[] body = ex.getRequestBody().readAllBytes();
                if (slowNext.getAndUpdate(n -> Math.max(0, n - 1)) > 0) {
                    try {
                        Thread.sleep(slowMillis);
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                    }
                }
                int status = failNext.getAndUpdate(n -> Math.max(0, n - 1)) > 0 ? failStatus : 200;
                var h = ex.getRequestHeaders();
                synchronized (hits) {
                    hits.add(new Hit(
                            h.getFirst("X-Shopify-Topic"),
                            h.getFirst("X-Shopify-Event-Id"),
                            h.getFirst("X-Shopify-Webhook-Id"),
                            h.getFirst("X-Shopify-Hmac-Sha256"),
                            h.getFirst("X-Shopify-Shop-Domain"),
                            h.getFirst("X-Shopify-API-Version"),
                            h.getFirst("X-Shopify-Triggered-At"),
                            h.getFirst("Content-Type"),
                            body,
                            status));
                }
                ex.sendResponseHeaders(status, -1);
            }
        });
        server.setExecutor(java.util.concurrent.Executors.newCachedThreadPool(r -> {
            Thread t = new Thread(r, "webhook-receiver");
            t.setDaemon(true);
            return t;
        }));
        server.start();
    }

    String url(String path) {
        return "http://127.0.0.1:" + server.getAddress().getPort() + path;
    }

    /** Answer the next n deliveries with status. */
    void failNext(int n, int status) {
        failStatus = status;
        failNext.set(n);
    }

    /** Answer the next n deliveries only after this delay. */
    void slowNext(int n, long millis) {
        slowMillis = millis;
        slowNext.set(n);
    }

    List<Hit> hits() {
        synchronized (hits) {
            return List.copyOf(hits);
        }
    }

    /** Deliveries of a topic that were answered 2xx. */
    List<Hit> accepted(String topic) {
        return hits().stream()
                .filter(h -> h.topic().equals(topic) && h.answered() == 200)
                .toList();
    }

    void clear() {
        synchronized (hits) {
            hits.clear();
        }
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
