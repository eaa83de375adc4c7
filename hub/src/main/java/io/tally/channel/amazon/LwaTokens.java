package io.tally.channel.amazon;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.tally.push.RejectedPushException;
import io.tally.push.RetryablePushException;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;

/**
 * Login with Amazon access tokens, one cached per store: exchanged from the seller's refresh token, renewed before
 * they expire ({@code tally.amazon.token-refresh-margin-ms}, at most half the lifetime), and at once when SP-API
 * refuses one. Thread-safe; concurrent callers of one store share a single refresh.
 */
@Component
public class LwaTokens {

    private static final Logger log = LoggerFactory.getLogger(LwaTokens.class);

    private record Token(String value, Instant renewAt, Instant expiresAt) {}

    private final AmazonStores stores;
    private final AmazonProperties properties;
    private final ObjectMapper objectMapper;
    private final MeterRegistry meters;
    private final HttpClient http;
    private final Clock clock = Clock.systemUTC();
    private final Map<String, Token> tokens = new ConcurrentHashMap<>();
    private final Map<String, Object> locks = new ConcurrentHashMap<>();

    public LwaTokens(
            AmazonStores stores, AmazonProperties properties, ObjectMapper objectMapper, MeterRegistry meters) {
        this.stores = stores;
        this.properties = properties;
        this.objectMapper = objectMapper;
        this.meters = meters;
        this.http = HttpClient.newBuilder()
                .connectTimeout(Duration.ofMillis(properties.timeoutMs()))
                .version(HttpClient.Version.HTTP_1_1)
                .build();
    }

    /** A token valid for a while yet (fetched or renewed if needed). */
    public String accessToken(String store) {
        Token token = tokens.get(store);
        if (token != null && clock.instant().isBefore(token.renewAt())) {
            return token.value();
        }
        synchronized (locks.computeIfAbsent(store, s -> new Object())) {
            token = tokens.get(store);
            if (token != null && clock.instant().isBefore(token.renewAt())) {
                return token.value();
            }
            Token fresh = fetch(store);
            tokens.put(store, fresh);
            return fresh.value();
        }
    }

    /** SP-API refused this token (expired early, revoked): the next call fetches a new one. */
    public void invalidate(String store, String token) {
        tokens.computeIfPresent(store, (s, t) -> t.value().equals(token) ? null : t);
    }

    private Token fetch(String store) {
        Map<String, String> form = new LinkedHashMap<>();
        form.put("grant_type", "refresh_token");
        form.put("refresh_token", stores.required(store, AmazonStores.REFRESH_TOKEN));
        form.put("client_id", stores.required(store, AmazonStores.CLIENT_ID));
        form.put("client_secret", stores.required(store, AmazonStores.CLIENT_SECRET));
        String body = form.entrySet().stream()
                .map(e -> e.getKey() + "=" + URLEncoder.encode(e.getValue(), StandardCharsets.UTF_8))
                .collect(Collectors.joining("&"));
        HttpResponse<String> response;
        Instant asked = clock.instant();
        try {
            response = http.send(
                    HttpRequest.newBuilder(URI.create(stores.lwaTokenUrl(store)))
                            .timeout(Duration.ofMillis(properties.timeoutMs()))
                            .header("Content-Type", "application/x-www-form-urlencoded;charset=UTF-8")
                            .header("Accept", "application/json")
                            .POST(HttpRequest.BodyPublishers.ofString(body))
                            .build(),
                    HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            count(store, "io_error");
            throw new RetryablePushException("Login with Amazon unreachable for store " + store + ": " + e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new RetryablePushException("interrupted while asking Login with Amazon for a token");
        }
        int status = response.statusCode();
        JsonNode json = parse(response.body());
        if (status == 429 || status >= 500) {
            count(store, "unavailable");
            throw new RetryablePushException("Login with Amazon answered HTTP " + status + " for store " + store);
        }
        String access = json == null ? null : json.path("access_token").asText(null);
        if (status != 200 || access == null || access.isBlank()) {
            count(store, "refused");
            String error = json == null
                    ? ""
                    : json.path("error").asText("") + " "
                            + json.path("error_description").asText("");
            throw new RejectedPushException("Login with Amazon refused the credentials of store " + store + " (HTTP "
                    + status + " " + error.trim() + "): check tally.stores." + store
                    + ".credentials.client-id, client-secret and refresh-token");
        }
        long lifetime = json.path("expires_in").asLong(3600);
        long margin = Math.min(properties.tokenRefreshMarginMs(), lifetime * 1000 / 2);
        Instant expires = asked.plusSeconds(lifetime);
        count(store, "issued");
        log.debug("Amazon store {}: new access token, expires in {} s", store, lifetime);
        return new Token(access, expires.minusMillis(margin), expires);
    }

    private JsonNode parse(String body) {
        try {
            return body == null || body.isBlank() ? null : objectMapper.readTree(body);
        } catch (IOException e) {
            return null;
        }
    }

    private void count(String store, String result) {
        Counter.builder("tally.amazon.lwa")
                .description("Login with Amazon token requests, by answer")
                .tags("store", store, "result", result)
                .register(meters)
                .increment();
    }
}
