package io.tally.channel.amazon;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.tally.channel.ratelimit.ChannelRateLimiter;
import io.tally.channel.ratelimit.Limit;
import io.tally.channel.ratelimit.TokenBucket;
import io.tally.push.RejectedPushException;
import io.tally.push.RetryablePushException;
import io.tally.push.ThrottledPushException;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;

/**
 * Selling Partner API over HTTP ({@code x-amz-access-token}, no SigV4). Each call first takes a token from the
 * seller's client-side bucket for the operation (so Tally stays inside Amazon's usage plan instead of collecting
 * 429s): it starts full at the configured burst, a 429 empties it, and a lower rate reported in
 * {@code x-amzn-RateLimit-Limit} replaces the configured one. A token is reserved when the wait is handed out, so
 * concurrent callers queue behind each other. The answer is mapped onto the push pipeline's two kinds of failure:
 * retryable (429, 5xx, timeouts, LWA outages) and final ({@link AmazonApiException} for other 4xx, refused
 * credentials). A 403 is answered by fetching a fresh access token and trying once more.
 */
@Component
public class SpApiClient {

    private static final Logger log = LoggerFactory.getLogger(SpApiClient.class);

    private final AmazonStores stores;
    private final LwaTokens tokens;
    private final AmazonProperties properties;
    private final ObjectMapper objectMapper;
    private final MeterRegistry meters;
    private final HttpClient http;
    private final ChannelRateLimiter limiter;

    public SpApiClient(
            AmazonStores stores,
            LwaTokens tokens,
            AmazonProperties properties,
            ObjectMapper objectMapper,
            MeterRegistry meters,
            ChannelRateLimiter limiter) {
        this.limiter = limiter;
        this.stores = stores;
        this.tokens = tokens;
        this.properties = properties;
        this.objectMapper = objectMapper;
        this.meters = meters;
        this.http = HttpClient.newBuilder()
                .connectTimeout(Duration.ofMillis(properties.timeoutMs()))
                .version(HttpClient.Version.HTTP_1_1)
                .build();
    }

    /** SP-API refused the request for good (a 4xx other than 429 and 403-after-refresh). */
    public static class AmazonApiException extends RejectedPushException {
        private final int status;
        private final String code;

        public AmazonApiException(String message, int status, String code) {
            super(message);
            this.status = status;
            this.code = code;
        }

        public int status() {
            return status;
        }

        public String code() {
            return code;
        }
    }

    public JsonNode get(String store, String operation, String path, Map<String, String> query) {
        return call(store, operation, "GET", path, query, null);
    }

    public JsonNode patch(String store, String operation, String path, Map<String, String> query, Object body) {
        String json;
        try {
            json = objectMapper.writeValueAsString(body);
        } catch (IOException e) {
            throw new IllegalArgumentException("cannot write the request body", e);
        }
        return call(store, operation, "PATCH", path, query, json);
    }

    /** A GET whose token was taken with {@link #tryReserve}. */
    JsonNode getReserved(String store, String operation, String path, Map<String, String> query) {
        return send(store, operation, "GET", path, query, null, bucket(store, operation), true);
    }

    /** Whether a call of this operation could go within {@code maxWaitMs} (takes the token when it can). */
    boolean tryReserve(String store, String operation, long maxWaitMs) {
        return reserve(bucket(store, operation), maxWaitMs);
    }

    private JsonNode call(
            String store, String operation, String method, String path, Map<String, String> query, String body) {
        TokenBucket bucket = bucket(store, operation);
        if (!reserve(bucket, properties.maxThrottleWaitMs())) {
            count(store, operation, "client_throttled");
            throw new ThrottledPushException("Amazon store " + store + ": " + operation + " is at its rate limit ("
                    + bucket.limit().perSecond() + "/s); retried later");
        }
        return send(store, operation, method, path, query, body, bucket, true);
    }

    private JsonNode send(
            String store,
            String operation,
            String method,
            String path,
            Map<String, String> query,
            String body,
            TokenBucket bucket,
            boolean mayRefreshToken) {
        String token = tokens.accessToken(store);
        String url = stores.apiUrl(store)
                + path
                + (query == null || query.isEmpty()
                        ? ""
                        : "?"
                                + query.entrySet().stream()
                                        .map(e -> enc(e.getKey()) + "=" + enc(e.getValue()))
                                        .collect(Collectors.joining("&")));
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(url))
                .timeout(Duration.ofMillis(properties.timeoutMs()))
                .header("x-amz-access-token", token)
                .header("Accept", "application/json")
                .header("User-Agent", "Tally/1.0 (Language=Java)");
        if (body != null) {
            request.header("Content-Type", "application/json")
                    .method(method, HttpRequest.BodyPublishers.ofString(body));
        } else {
            request.method(method, HttpRequest.BodyPublishers.noBody());
        }
        HttpResponse<String> response;
        try {
            response = http.send(request.build(), HttpResponse.BodyHandlers.ofString());
        } catch (HttpTimeoutException e) {
            count(store, operation, "timeout");
            throw new RetryablePushException("Amazon store " + store + ": " + operation + " timed out");
        } catch (IOException e) {
            count(store, operation, "io_error");
            throw new RetryablePushException("Amazon store " + store + " unreachable (" + operation + "): " + e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new RetryablePushException("interrupted while calling Amazon");
        }
        int status = response.statusCode();
        Double reportedRate =
                rate(response.headers().firstValue("x-amzn-RateLimit-Limit").orElse(null));
        observeRate(bucket, reportedRate);
        JsonNode json = parse(response.body());
        if (status >= 200 && status < 300) {
            count(store, operation, "ok");
            return json == null ? objectMapper.createObjectNode() : json;
        }
        String code = errorCode(json);
        String requestId = response.headers().firstValue("x-amzn-RequestId").orElse("-");
        if (status == 429) {
            bucket.empty(); // whatever Tally counted, Amazon's bucket is empty now
            count(store, operation, "throttled");
            throw new ThrottledPushException("Amazon store " + store + ": " + operation + " answered 429 " + code
                    + " (request " + requestId + ")");
        }
        if (status >= 500) {
            count(store, operation, "server_error");
            throw new RetryablePushException("Amazon store " + store + ": " + operation + " answered HTTP " + status
                    + " " + code + " (request " + requestId + ")");
        }
        if (status == 403 && mayRefreshToken) {
            count(store, operation, "token_refused");
            log.info("Amazon store {}: access token refused ({}); fetching a new one", store, code);
            tokens.invalidate(store, token);
            return send(store, operation, method, path, query, body, bucket, false);
        }
        count(store, operation, "refused");
        throw new AmazonApiException(
                "Amazon store " + store + ": " + operation + " answered HTTP " + status + " "
                        + code + ": " + message(json)
                        + (status == 403 ? " (check the seller's authorisation of the app)" : "")
                        + " (request " + requestId + ")",
                status,
                code);
    }

    /**
     * Amazon's rate with one token of its burst kept in reserve: Amazon's bucket counts calls as they arrive, and a
     * burst that reaches it a little late (or one call overtaking a delayed one) would otherwise meet an empty bucket
     * although Tally's was not (CI under load saw one 429 in AmazonPushScenarioTest).
     */
    private TokenBucket bucket(String store, String operation) {
        AmazonProperties.RateLimit limit = properties.limit(operation);
        return limiter.bucket(
                "amazon/" + store + "/" + operation, Limit.of(limit.rate(), Math.max(1, limit.burst() - 1)));
    }

    /** Takes a token, waiting at most {@code maxWaitMs} for it; false (nothing taken) if it would take longer. */
    private static boolean reserve(TokenBucket bucket, long maxWaitMs) {
        try {
            return bucket.reserve(1, Duration.ofMillis(maxWaitMs));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new RetryablePushException("interrupted while waiting for Amazon's rate limit");
        }
    }

    /** Amazon's usage plan for this seller may be lower than the default: only a lower reported rate is taken. */
    private static void observeRate(TokenBucket bucket, Double reportedRate) {
        if (reportedRate != null) {
            bucket.lowerRateTo(reportedRate);
        }
    }

    private JsonNode parse(String body) {
        try {
            return body == null || body.isBlank() ? null : objectMapper.readTree(body);
        } catch (IOException e) {
            return null;
        }
    }

    private static String errorCode(JsonNode json) {
        JsonNode first = json == null ? null : json.path("errors").path(0);
        return first == null || first.isMissingNode() ? "" : first.path("code").asText("");
    }

    private static String message(JsonNode json) {
        JsonNode first = json == null ? null : json.path("errors").path(0);
        return first == null || first.isMissingNode()
                ? ""
                : first.path("message").asText("");
    }

    private static Double rate(String header) {
        if (header == null || header.isBlank()) {
            return null;
        }
        try {
            return Double.valueOf(header.trim());
        } catch (NumberFormatException e) {
            return null;
        }
    }

    static String enc(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8).replace("+", "%20");
    }

    private void count(String store, String operation, String result) {
        Counter.builder("tally.amazon.calls")
                .description("Selling Partner API calls, by operation and answer")
                .tags("store", store, "operation", operation, "result", result)
                .register(meters)
                .increment();
    }
}
