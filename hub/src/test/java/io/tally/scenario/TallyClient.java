package io.tally.scenario;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** Minimal client for Tally's admin and events API (contract C1), built on java.net.http. */
final class TallyClient {

    static final ObjectMapper JSON = new ObjectMapper();

    /** A response: status, content type, raw body and the body parsed as JSON (null if not JSON). */
    record Resp(int status, String contentType, String body, JsonNode json, String link) {

        /** The path and query of the {@code Link: <...>; rel="next"} header, or null on the last page. */
        String next() {
            if (link == null) {
                return null;
            }
            java.util.regex.Matcher m = java.util.regex.Pattern.compile("<([^>]*)>\\s*;\\s*rel=\"next\"")
                    .matcher(link);
            if (!m.find()) {
                return null;
            }
            URI u = URI.create(m.group(1));
            return u.getRawPath() + (u.getRawQuery() == null ? "" : "?" + u.getRawQuery());
        }

        @Override
        public String toString() {
            return status + " " + contentType + " " + (body.length() > 500 ? body.substring(0, 500) + "..." : body);
        }
    }

    private final HttpClient http;
    private final String base;
    private final String token;

    TallyClient(String base, String token) {
        this.base = base;
        this.token = token;
        this.http = HttpClient.newBuilder()
                .version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(Duration.ofSeconds(5))
                .build();
    }

    String base() {
        return base;
    }

    // ------------------------------------------------------------------ raw

    Resp send(String method, String path, Object body, String bearer) {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(base + path))
                .timeout(Duration.ofSeconds(30))
                .header("Accept", "application/json, application/problem+json");
        if (bearer != null) {
            b.header("Authorization", "Bearer " + bearer);
        }
        if (body == null) {
            b.method(method, HttpRequest.BodyPublishers.noBody());
        } else {
            b.header("Content-Type", "application/json");
            b.method(method, HttpRequest.BodyPublishers.ofString(toJson(body), StandardCharsets.UTF_8));
        }
        try {
            HttpResponse<String> r = http.send(b.build(), HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
            String ct = r.headers().firstValue("Content-Type").orElse("");
            return new Resp(
                    r.statusCode(),
                    ct,
                    r.body(),
                    parse(r.body()),
                    r.headers().firstValue("Link").orElse(null));
        } catch (IOException e) {
            throw new UncheckedIOException(method + " " + path, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    Resp send(String method, String path, Object body) {
        return send(method, path, body, token);
    }

    /** POSTs a CSV file (a catalog import). */
    Resp postCsv(String path, String csv) {
        return postCsv(path, csv.getBytes(StandardCharsets.UTF_8));
    }

    Resp postCsv(String path, byte[] csv) {
        HttpRequest request = HttpRequest.newBuilder(URI.create(base + path))
                .timeout(Duration.ofSeconds(120))
                .header("Authorization", "Bearer " + token)
                .header("Content-Type", "text/csv")
                .POST(HttpRequest.BodyPublishers.ofByteArray(csv))
                .build();
        return exchange(request);
    }

    /** GETs a text answer as it is (a CSV export). */
    Resp getText(String path) {
        return exchange(HttpRequest.newBuilder(URI.create(base + path))
                .timeout(Duration.ofSeconds(120))
                .header("Authorization", "Bearer " + token)
                .GET()
                .build());
    }

    private Resp exchange(HttpRequest request) {
        try {
            HttpResponse<String> r = http.send(request, HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
            String ct = r.headers().firstValue("Content-Type").orElse("");
            return new Resp(
                    r.statusCode(),
                    ct,
                    r.body(),
                    ct.contains("json") ? parse(r.body()) : null,
                    r.headers().firstValue("Link").orElse(null));
        } catch (IOException e) {
            throw new UncheckedIOException(request.method() + " " + request.uri(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    Resp get(String path) {
        return send("GET", path, null);
    }

    Resp post(String path, Object body) {
        return send("POST", path, body);
    }

    Resp put(String path, Object body) {
        return send("PUT", path, body);
    }

    static String toJson(Object body) {
        if (body instanceof String s) {
            return s;
        }
        if (body instanceof Ev e) {
            body = e.map();
        }
        if (body instanceof List<?> l) {
            List<Object> out = new ArrayList<>();
            for (Object o : l) {
                out.add(o instanceof Ev e ? e.map() : o);
            }
            body = out;
        }
        try {
            return JSON.writeValueAsString(body);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static JsonNode parse(String s) {
        if (s == null || s.isBlank()) {
            return null;
        }
        try {
            return JSON.readTree(s);
        } catch (IOException e) {
            return null;
        }
    }

    static String enc(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8).replace("+", "%20");
    }

    // ------------------------------------------------------------------ API helpers

    Resp postEvent(Object eventOrList) {
        return post("/api/events", eventOrList);
    }

    /** POST one event and require 202 accepted. Returns the event id. */
    String accepted(Ev e) {
        Resp r = postEvent(e);
        assertThat(r.status()).as("POST /api/events %s -> %s", e.map(), r).isEqualTo(202);
        assertThat(r.json().path("status").asText()).as("%s", r).isEqualTo("accepted");
        return e.id();
    }

    /** PUT /api/listings/{store}/{ref}; requires 200. */
    JsonNode declare(String store, String ref, Map<String, ?> fields) {
        Resp r = put("/api/listings/" + enc(store) + "/" + enc(ref), fields);
        assertThat(r.status())
                .as("PUT listing %s/%s %s -> %s", store, ref, fields, r)
                .isEqualTo(200);
        return r.json();
    }

    /** GET /api/items/{key}, or null on 404. */
    JsonNode item(String key) {
        Resp r = get("/api/items/" + enc(key));
        if (r.status() == 404) {
            return null;
        }
        assertThat(r.status()).as("GET item %s -> %s", key, r).isEqualTo(200);
        return r.json();
    }

    Long onHand(String key) {
        JsonNode i = item(key);
        return i == null ? null : i.path("onHand").asLong();
    }

    JsonNode ledger(String key) {
        Resp r = get("/api/items/" + enc(key) + "/ledger?limit=100000");
        assertThat(r.status()).as("GET ledger %s -> %s", key, r).isEqualTo(200);
        assertThat(r.json().isArray()).as("ledger is an array: %s", r).isTrue();
        return r.json();
    }

    long ledgerSum(String key) {
        long sum = 0;
        for (JsonNode e : ledger(key)) {
            sum += e.path("delta").asLong();
        }
        return sum;
    }

    /** Sum of the deltas of one kind of ledger entry (sale, cancel, adjustment, …) for an item. */
    long ledgerSum(String key, String kind) {
        long sum = 0;
        for (JsonNode e : ledger(key)) {
            if (kind.equals(e.path("kind").asText())) {
                sum += e.path("delta").asLong();
            }
        }
        return sum;
    }

    /** Every listing of a store: all pages of GET /api/listings, following Link. */
    ArrayNode listings(String store) {
        return all("/api/listings?store=" + enc(store) + "&limit=1000");
    }

    /** Every row of a paginated list endpoint, following {@code Link: rel="next"} until it is absent. */
    ArrayNode all(String path) {
        ArrayNode rows = JSON.createArrayNode();
        for (String p = path; p != null; ) {
            Resp r = get(p);
            assertThat(r.status()).as("GET %s -> %s", p, r).isEqualTo(200);
            rows.addAll((ArrayNode) r.json());
            p = r.next();
        }
        return rows;
    }

    /** One listing of a store, or null. */
    JsonNode listing(String store, String ref) {
        for (JsonNode l : listings(store)) {
            if (ref.equals(l.path("ref").asText())) {
                return l;
            }
        }
        return null;
    }

    ArrayNode events(String status) {
        Resp r = get("/api/events?status=" + enc(status) + "&limit=100000");
        assertThat(r.status()).as("GET events %s -> %s", status, r).isEqualTo(200);
        return (ArrayNode) r.json();
    }

    boolean hasEvent(String status, String id) {
        for (JsonNode e : events(status)) {
            if (id.equals(e.path("id").asText())) {
                return true;
            }
        }
        return false;
    }

    ArrayNode deadLetters() {
        Resp r = get("/api/dead-letters");
        assertThat(r.status()).as("GET dead-letters -> %s", r).isEqualTo(200);
        return (ArrayNode) r.json();
    }
}
