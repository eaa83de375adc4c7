package io.tally.sandbox;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpExchange;
import io.tally.sandbox.GenericChannelLedger.Listing;
import io.tally.sandbox.GenericChannelSimulator.Request;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;

/**
 * The push endpoint (any path): takes {@code {"store","ref","sku","available","version"}}, applies the injected
 * faults, records the request and keeps the level.
 */
final class GenericChannelPushEndpoint {

    private final ObjectMapper mapper;
    private final GenericChannelLedger ledger;
    private final GenericChannelFaults faults;

    GenericChannelPushEndpoint(ObjectMapper mapper, GenericChannelLedger ledger, GenericChannelFaults faults) {
        this.mapper = mapper;
        this.ledger = ledger;
        this.faults = faults;
    }

    void handle(HttpExchange ex) throws IOException {
        try (ex) {
            String body;
            try (InputStream in = ex.getRequestBody()) {
                body = new String(in.readAllBytes(), StandardCharsets.UTF_8);
            }
            String method = ex.getRequestMethod();
            String path = ex.getRequestURI().getPath();

            String store = null;
            String ref = null;
            String sku = null;
            Integer available = null;
            Long version = null;
            boolean parsed = false;
            try {
                JsonNode n = mapper.readTree(body);
                if (n != null && n.isObject()) {
                    store = text(n, "store");
                    ref = text(n, "ref");
                    sku = text(n, "sku");
                    JsonNode a = n.get("available");
                    if (a != null && a.isNumber()) {
                        available = a.intValue();
                    }
                    JsonNode v = n.get("version");
                    if (v != null && v.isNumber()) {
                        version = v.longValue();
                    }
                    parsed = true;
                }
            } catch (IOException e) {
                parsed = false;
            }

            Duration wait;
            boolean timedOut = false;
            int status;
            boolean applied = false;
            synchronized (ledger.lock) {
                wait = faults.delay();
                Duration extra = faults.takeDelayNext();
                if (extra != null) {
                    wait = wait.plus(extra);
                    timedOut = true;
                }
                Listing l = ledger.listing(store, ref);
                if (l != null) {
                    l.attempts++;
                }
                Integer forced = timedOut ? null : faults.takeForcedStatus();
                if (timedOut) {
                    status = -1;
                } else if (forced != null) {
                    status = forced;
                } else if (!"POST".equalsIgnoreCase(method) && !"PUT".equalsIgnoreCase(method)) {
                    status = 405;
                } else if (!parsed || l == null || available == null) {
                    status = 400;
                } else {
                    status = 200;
                    applied = ledger.accept(l, available, version);
                }
                ledger.record(new Request(
                        Instant.now(), method, path, body, store, ref, sku, available, version, status, applied));
            }

            if (!wait.isZero() && !wait.isNegative()) {
                try {
                    Thread.sleep(wait.toMillis());
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return;
                }
            }

            int answer = status == -1 ? 503 : status;
            String response;
            if (answer >= 200 && answer < 300) {
                response = "{\"status\":\"ok\",\"applied\":" + applied + "}";
            } else {
                response = "{\"error\":\"simulated status " + answer + "\"}";
                int ra = faults.retryAfterSeconds();
                if ((answer == 429 || answer == 503) && ra >= 0) {
                    ex.getResponseHeaders().add("Retry-After", Integer.toString(ra));
                }
            }
            byte[] bytes = response.getBytes(StandardCharsets.UTF_8);
            ex.getResponseHeaders().add("Content-Type", "application/json");
            try {
                ex.sendResponseHeaders(answer, bytes.length);
                try (OutputStream out = ex.getResponseBody()) {
                    out.write(bytes);
                }
            } catch (IOException e) {
                // the client went away (e.g. it timed out): nothing to do
            }
        }
    }

    private static String text(JsonNode n, String field) {
        JsonNode v = n.get(field);
        return v == null || v.isNull() ? null : v.asText();
    }
}
