package io.tally.channel.walmart;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.tally.push.RejectedPushException;
import io.tally.push.RetryablePushException;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;

/**
 * Walmart access tokens: {@code POST /v3/token} with the store's client id and secret (HTTP Basic,
 * {@code grant_type=client_credentials}). A token lives 15 minutes; it is cached per store and renewed
 * {@code token-refresh-margin-ms} before it expires, so calls never carry one that is about to lapse.
 */
@Component
public class WalmartTokens {

    private static final Logger log = LoggerFactory.getLogger(WalmartTokens.class);
    private static final Pattern XML_TOKEN = Pattern.compile("<accessToken>([^<]+)</accessToken>");
    private static final Pattern XML_EXPIRES = Pattern.compile("<expiresIn>(\\d+)</expiresIn>");

    private record Cached(String token, long renewAt, long expiresAt) {}

    private final WalmartStores stores;
    private final WalmartHttp http;
    private final ObjectMapper objectMapper;
    private final MeterRegistry meters;
    private final long marginMs;
    private final Map<String, Cached> cache = new ConcurrentHashMap<>();
    private final Map<String, Object> locks = new ConcurrentHashMap<>();

    public WalmartTokens(
            WalmartStores stores,
            WalmartHttp http,
            ObjectMapper objectMapper,
            MeterRegistry meters,
            WalmartProperties properties) {
        this.stores = stores;
        this.http = http;
        this.objectMapper = objectMapper;
        this.meters = meters;
        this.marginMs = properties.tokenRefreshMarginMs();
    }

    /** A token valid for a while yet: the cached one, or a new one. */
    public String token(String store) {
        Cached cached = cache.get(store);
        if (cached != null && System.currentTimeMillis() < cached.renewAt()) {
            return cached.token();
        }
        synchronized (locks.computeIfAbsent(store, s -> new Object())) {
            cached = cache.get(store);
            if (cached != null && System.currentTimeMillis() < cached.renewAt()) {
                return cached.token();
            }
            Cached fresh = fetch(store);
            cache.put(store, fresh);
            return fresh.token();
        }
    }

    /** Walmart refused this token (revoked, or the clocks disagree): the next call fetches a new one. */
    public void invalidate(String store, String token) {
        cache.computeIfPresent(store, (s, c) -> c.token().equals(token) ? null : c);
    }

    private Cached fetch(String store) {
        String basic = Base64.getEncoder()
                .encodeToString(
                        (stores.clientId(store) + ":" + stores.clientSecret(store)).getBytes(StandardCharsets.UTF_8));
        HttpRequest request = HttpRequest.newBuilder(URI.create(stores.apiBase(store) + "/v3/token"))
                .timeout(http.timeout())
                .header("Authorization", "Basic " + basic)
                .header("Content-Type", "application/x-www-form-urlencoded")
                .header("Accept", "application/json")
                .header(WalmartHttp.SERVICE_NAME, http.serviceName())
                .header(WalmartHttp.CORRELATION_ID, WalmartHttp.correlationId())
                .POST(HttpRequest.BodyPublishers.ofString("grant_type=client_credentials"))
                .build();
        long requestedAt = System.currentTimeMillis();
        HttpResponse<String> response;
        try {
            response = http.client().send(request, HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            count(store, "io_error");
            throw new RetryablePushException("Walmart token API of store " + store + " unreachable: " + e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new RetryablePushException("interrupted while fetching a Walmart token");
        }
        int status = response.statusCode();
        if (status == 401 || status == 403) {
            count(store, "unauthorized");
            throw new RejectedPushException("Walmart refused the client id/secret of store " + store + " (HTTP "
                    + status + "): check tally.stores." + store + ".credentials.client-id and client-secret");
        }
        if (status == 429 || status >= 500) {
            count(store, status == 429 ? "rate_limited" : "server_error");
            throw new RetryablePushException("Walmart token API of store " + store + " answered HTTP " + status);
        }
        if (status != 200) {
            count(store, "refused");
            throw new RejectedPushException("Walmart token API of store " + store + " answered HTTP " + status + ": "
                    + WalmartHttp.abbreviate(response.body()));
        }
        String token;
        long expiresInSeconds;
        String body = response.body() == null ? "" : response.body().trim();
        if (body.startsWith("<")) {
            // Walmart answers XML (OAuthTokenDTO) unless JSON was asked for; accept either.
            Matcher t = XML_TOKEN.matcher(body);
            Matcher e = XML_EXPIRES.matcher(body);
            token = t.find() ? t.group(1) : null;
            expiresInSeconds = e.find() ? Long.parseLong(e.group(1)) : 900;
        } else {
            JsonNode json;
            try {
                json = objectMapper.readTree(body);
            } catch (IOException e) {
                json = null;
            }
            token = json == null ? null : json.path("access_token").asText(null);
            expiresInSeconds = json == null ? 900 : json.path("expires_in").asLong(900);
        }
        if (token == null || token.isBlank()) {
            count(store, "refused");
            throw new RejectedPushException("Walmart token API of store " + store + " answered without a token: "
                    + WalmartHttp.abbreviate(body));
        }
        long lifetime = expiresInSeconds * 1000;
        // A margin as long as the token's life would renew on every call: then renew at half-life instead.
        long margin = Math.min(marginMs, lifetime / 2);
        count(store, "issued");
        log.debug("Walmart store {}: new access token, valid {} s", store, expiresInSeconds);
        return new Cached(token, requestedAt + lifetime - margin, requestedAt + lifetime);
    }

    private void count(String store, String result) {
        Counter.builder("tally.walmart.tokens")
                .description("Walmart access-token requests, by answer")
                .tags("store", store, "result", result)
                .register(meters)
                .increment();
    }
}
