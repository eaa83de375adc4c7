package io.tally.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.OptionalLong;

/** The few calls of the hub's admin/events API (design.md §5 C1) that the benchmark needs. */
final class HubClient {

    /** Status and body of one POST /api/events. */
    record PostResult(int status, String body) {
        /** 202 = stored now; 200 = the hub had already stored this id (a duplicate): both are acknowledgements. */
        boolean acknowledged() {
            return status == 202 || status == 200;
        }
    }

    private static final Duration REQUEST_TIMEOUT = Duration.ofSeconds(30);
    private static final int IDEMPOTENT_ATTEMPTS = 3;

    private final HttpClient http;
    private final URI baseUrl;
    private final String authorization;
    private final ObjectMapper json = new ObjectMapper();

    HubClient(URI baseUrl, String token) {
        this.baseUrl = baseUrl;
        this.authorization = "Bearer " + token;
        // HTTP/1.1 explicitly: the default (HTTP/2) would first try an h2c upgrade on every new connection.
        this.http = HttpClient.newBuilder()
                .version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(Duration.ofSeconds(5))
                .build();
    }

    ObjectMapper json() {
        return json;
    }

    /** Fails with a readable message when the hub is down, the token is wrong, or the store is unknown. */
    void checkReady(String store) throws IOException, InterruptedException {
        HttpResponse<String> response;
        try {
            response = send(get("/api/listings?store=" + encode(store)));
        } catch (IOException e) {
            throw new IOException(
                    "hub not reachable at " + baseUrl + " (" + e + "); start it first, see bench/README.md", e);
        }
        if (response.statusCode() == 401 || response.statusCode() == 403) {
            throw new IOException("hub refused the admin token (HTTP " + response.statusCode()
                    + "); pass --token or set TALLY_ADMIN_TOKEN to the hub's tally.admin-token");
        }
        if (response.statusCode() != 200) {
            throw new IOException("GET /api/listings?store=" + store + " answered HTTP " + response.statusCode() + ": "
                    + response.body());
        }
    }

    /** PUT /api/listings/{store}/{ref}: a master listing whose channel shows {@code level} units. */
    void declareMasterListing(String store, String ref, String sku, long level)
            throws IOException, InterruptedException {
        ObjectNode body =
                json.createObjectNode().put("sku", sku).put("master", true).put("level", level);
        HttpResponse<String> response = sendIdempotent(request("/api/listings/" + encode(store) + "/" + encode(ref))
                .header("Content-Type", "application/json")
                .PUT(HttpRequest.BodyPublishers.ofString(json.writeValueAsString(body)))
                .build());
        if (response.statusCode() != 200) {
            throw new IOException("declaring listing " + store + "/" + ref + " answered HTTP "
                    + response.statusCode() + ": " + response.body()
                    + (response.statusCode() == 400 || response.statusCode() == 404
                            ? " (is store '" + store + "' configured with channel http? see bench/README.md)"
                            : ""));
        }
    }

    /** POST /api/catalog/listings: a listings CSV file imported all or nothing; the hub's JSON answer. */
    JsonNode importListings(String csv, boolean dryRun) throws IOException, InterruptedException {
        HttpResponse<String> response = send(request("/api/catalog/listings" + (dryRun ? "?dryRun=true" : ""))
                .timeout(Duration.ofMinutes(10))
                .header("Content-Type", "text/csv")
                .POST(HttpRequest.BodyPublishers.ofString(csv, StandardCharsets.UTF_8))
                .build());
        if (response.statusCode() != 200) {
            throw new IOException("POST /api/catalog/listings answered HTTP " + response.statusCode() + ": "
                    + response.body().substring(0, Math.min(2_000, response.body().length())));
        }
        return json.readTree(response.body());
    }

    /** One GET as the benchmark times it: status, body size, the Link to the next page, milliseconds. */
    record Timed(int status, long bytes, String nextLink, double millis) {}

    Timed timedGet(String pathAndQuery) throws IOException, InterruptedException {
        long start = System.nanoTime();
        HttpResponse<byte[]> response = http.send(
                request(pathAndQuery).timeout(Duration.ofMinutes(10)).GET().build(),
                HttpResponse.BodyHandlers.ofByteArray());
        double millis = (System.nanoTime() - start) / 1e6;
        String link = response.headers().firstValue("Link").orElse(null);
        String next = null;
        if (link != null && link.startsWith("<") && link.indexOf('>') > 0) {
            URI uri = URI.create(link.substring(1, link.indexOf('>')));
            next = uri.getRawPath() + (uri.getRawQuery() == null ? "" : "?" + uri.getRawQuery());
        }
        return new Timed(response.statusCode(), response.body().length, next, millis);
    }

    /** GET /api/items/{key} → onHand; empty when the hub does not know the item (404). */
    OptionalLong onHand(String itemKey) throws IOException, InterruptedException {
        HttpResponse<String> response = sendIdempotent(get("/api/items/" + encode(itemKey)));
        if (response.statusCode() == 404) {
            return OptionalLong.empty();
        }
        if (response.statusCode() != 200) {
            throw new IOException(
                    "GET /api/items/" + itemKey + " answered HTTP " + response.statusCode() + ": " + response.body());
        }
        JsonNode onHand = json.readTree(response.body()).get("onHand");
        if (onHand == null || !onHand.canConvertToLong()) {
            throw new IOException("GET /api/items/" + itemKey + " has no numeric onHand: " + response.body());
        }
        return OptionalLong.of(onHand.asLong());
    }

    /** GET /api/dead-letters: pushes the hub gave up on (design.md §5 C1), as returned. */
    JsonNode deadLetters() throws IOException, InterruptedException {
        HttpResponse<String> response = sendIdempotent(get("/api/dead-letters"));
        if (response.statusCode() != 200) {
            throw new IOException(
                    "GET /api/dead-letters answered HTTP " + response.statusCode() + ": " + response.body());
        }
        return json.readTree(response.body());
    }

    /** POST /api/ledger/pause or /resume: events keep being accepted while the ledger is paused. */
    void ledger(String action) throws IOException, InterruptedException {
        HttpResponse<String> response = send(request("/api/ledger/" + action)
                .POST(HttpRequest.BodyPublishers.noBody())
                .build());
        if (response.statusCode() != 200) {
            throw new IOException(
                    "POST /api/ledger/" + action + " answered HTTP " + response.statusCode() + ": " + response.body());
        }
    }

    /** A sender's own connection for POST /api/events (see {@link EventConnection} for why not this client). */
    EventConnection openEventConnection(URI hub) {
        return new EventConnection(hub, authorization.substring("Bearer ".length()));
    }

    private HttpRequest get(String pathAndQuery) {
        return request(pathAndQuery).GET().build();
    }

    private HttpRequest.Builder request(String pathAndQuery) {
        return HttpRequest.newBuilder(URI.create(baseUrl + pathAndQuery))
                .timeout(REQUEST_TIMEOUT)
                .header("Authorization", authorization)
                .header("Accept", "application/json");
    }

    /**
     * Setup and polling requests are idempotent, so a dropped connection (a server closing a kept-alive
     * connection just as it is reused) is retried rather than ending the run. Events are never retried:
     * a failed event counts as failed.
     */
    private HttpResponse<String> sendIdempotent(HttpRequest request) throws IOException, InterruptedException {
        for (int attempt = 1; ; attempt++) {
            try {
                return send(request);
            } catch (IOException e) {
                if (attempt == IDEMPOTENT_ATTEMPTS) {
                    throw e;
                }
                Thread.sleep(100L * attempt);
            }
        }
    }

    private HttpResponse<String> send(HttpRequest request) throws IOException, InterruptedException {
        return http.send(request, HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
    }

    private static String encode(String pathSegment) {
        // URLEncoder is for forms (space → '+'); the benchmark's keys never contain spaces, so this is exact.
        return URLEncoder.encode(pathSegment, StandardCharsets.UTF_8);
    }
}
