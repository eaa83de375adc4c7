package io.tally.channel.shopify;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.tally.channel.ratelimit.ChannelRateLimiter;
import io.tally.policy.TallyProperties;
import io.tally.push.RejectedPushException;
import io.tally.push.RetryablePushException;
import io.tally.push.ThrottledPushException;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;

/**
 * Shopify Admin GraphQL over HTTP. Paces each store by the cost bucket Shopify reports ({@link ShopifyThrottle}:
 * every call reserves its cost before it is sent, so Tally is not throttled), queues again after a THROTTLED answer
 * whatever its HTTP status, and turns failures into the push
 * pipeline's two kinds: retryable (429, 5xx, timeouts, throttling that outlasts the wait) and final (auth, bad query).
 */
@Component
public class ShopifyAdminClient {

    private static final Logger log = LoggerFactory.getLogger(ShopifyAdminClient.class);

    private final ShopifyStores stores;
    private final ObjectMapper objectMapper;
    private final MeterRegistry meters;
    private final HttpClient http;
    private final Duration timeout;
    private final long maxThrottleWaitMs;
    private final Map<String, ShopifyThrottle> throttles = new ConcurrentHashMap<>();
    private final ChannelRateLimiter limiter;

    public ShopifyAdminClient(
            ShopifyStores stores,
            ObjectMapper objectMapper,
            MeterRegistry meters,
            TallyProperties properties,
            ChannelRateLimiter limiter) {
        this.limiter = limiter;
        this.stores = stores;
        this.objectMapper = objectMapper;
        this.meters = meters;
        this.timeout = Duration.ofMillis(properties.shopify().timeoutMs());
        this.maxThrottleWaitMs = properties.shopify().maxThrottleWaitMs();
        this.http = HttpClient.newBuilder()
                .connectTimeout(timeout)
                .version(HttpClient.Version.HTTP_1_1)
                .build();
    }

    /**
     * Runs one query or mutation.
     *
     * @param expectedCost the points it will be charged (Shopify's rules: 1 per object, connections × first, 10 per
     *                     mutation), used to wait for room in the bucket before sending
     * @return the {@code data} object
     */
    public JsonNode execute(String store, String query, Map<String, Object> variables, double expectedCost) {
        ShopifyThrottle throttle = throttles.computeIfAbsent(store, s -> new ShopifyThrottle(limiter, "shopify/" + s));
        long deadline = System.nanoTime() + maxThrottleWaitMs * 1_000_000L;
        while (true) {
            ShopifyThrottle.Reservation reservation = reserve(store, throttle, query, expectedCost, deadline);
            Answer answer;
            try {
                answer = send(store, query, variables);
            } catch (RuntimeException e) {
                throttle.unanswered(reservation);
                throw e;
            }
            boolean throttled = answer.json() != null && isThrottled(answer.json());
            throttle.answered(
                    query,
                    reservation,
                    answer.json() == null
                            ? null
                            : answer.json().path("extensions").path("cost"),
                    throttled);
            if (!throttled) {
                count(store, "ok");
                return dataOf(store, check(store, answer));
            }
            // Shopify had less than Tally counted (another client of the same app, or lowered limits): the bucket
            // now follows Shopify's figures and the call queues again.
            count(store, "throttled");
            log.debug("Shopify store {} throttled ({})", store, throttle.describe());
        }
    }

    private ShopifyThrottle.Reservation reserve(
            String store, ShopifyThrottle throttle, String query, double expectedCost, long deadline) {
        try {
            return throttle.reserve(query, expectedCost, deadline);
        } catch (ShopifyThrottle.BucketTimeout e) {
            throw new ThrottledPushException("Shopify store " + store + " is throttling (" + throttle.describe()
                    + "); gave up waiting after " + maxThrottleWaitMs + " ms");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new RetryablePushException("interrupted while waiting for Shopify's bucket");
        }
    }

    /** One HTTP answer: its status, raw body and parsed JSON (null when the body is not JSON). */
    private record Answer(int status, String body, JsonNode json) {}

    private Answer send(String store, String query, Map<String, Object> variables) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("query", query);
        body.put("variables", variables);
        HttpResponse<String> response;
        try {
            HttpRequest request = HttpRequest.newBuilder(URI.create(stores.graphqlUrl(store)))
                    .timeout(timeout)
                    .header("Content-Type", "application/json")
                    .header("Accept", "application/json")
                    .header("X-Shopify-Access-Token", stores.accessToken(store))
                    .POST(HttpRequest.BodyPublishers.ofString(objectMapper.writeValueAsString(body)))
                    .build();
            response = http.send(request, HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            count(store, "io_error");
            throw new RetryablePushException("Shopify store " + store + " unreachable: " + e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new RetryablePushException("interrupted while calling Shopify");
        }
        return new Answer(response.statusCode(), response.body(), parse(response.body()));
    }

    /** An answer that is not THROTTLED: its JSON when it is a GraphQL answer, else the failure it stands for. */
    private JsonNode check(String store, Answer answer) {
        int status = answer.status();
        if (status == 429 || status >= 500) {
            count(store, status == 429 ? "rate_limited" : "server_error");
            String answered = "Shopify store " + store + " answered HTTP " + status;
            throw status == 429 ? new ThrottledPushException(answered) : new RetryablePushException(answered);
        }
        if (status == 401 || status == 403) {
            count(store, "unauthorized");
            throw new RejectedPushException("Shopify store " + store + " refused the access token (HTTP " + status
                    + "): check tally.stores." + store + ".credentials.access-token and the app's scopes");
        }
        if (status < 200 || status >= 300 || answer.json() == null) {
            count(store, "refused");
            throw new RejectedPushException(
                    "Shopify store " + store + " answered HTTP " + status + ": " + abbreviate(answer.body()));
        }
        return answer.json();
    }

    private JsonNode parse(String body) {
        try {
            return body == null || body.isBlank() ? null : objectMapper.readTree(body);
        } catch (IOException e) {
            return null;
        }
    }

    private static boolean isThrottled(JsonNode answer) {
        for (JsonNode error : answer.path("errors")) {
            if ("THROTTLED".equals(error.path("extensions").path("code").asText())) {
                return true;
            }
        }
        return false;
    }

    private JsonNode dataOf(String store, JsonNode answer) {
        JsonNode errors = answer.path("errors");
        if (errors.isArray() && !errors.isEmpty()) {
            String code = errors.get(0).path("extensions").path("code").asText("");
            String message = "Shopify store " + store + " rejected the request: " + abbreviate(errors.toString());
            if ("INTERNAL_SERVER_ERROR".equals(code) || "SERVICE_UNAVAILABLE".equals(code)) {
                throw new RetryablePushException(message);
            }
            count(store, "graphql_error");
            throw new RejectedPushException(message);
        }
        return answer.path("data");
    }

    private void count(String store, String result) {
        Counter.builder("tally.shopify.calls")
                .description("Shopify Admin GraphQL calls, by answer")
                .tags("store", store, "result", result)
                .register(meters)
                .increment();
    }

    private static String abbreviate(String s) {
        return s == null ? "" : s.length() > 300 ? s.substring(0, 300) + "…" : s;
    }
}
