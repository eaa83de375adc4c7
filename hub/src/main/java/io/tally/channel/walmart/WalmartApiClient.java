package io.tally.channel.walmart;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.tally.channel.ratelimit.ChannelRateLimiter;
import io.tally.channel.ratelimit.Limit;
import io.tally.channel.ratelimit.TokenBucket;
import io.tally.push.RejectedPushException;
import io.tally.push.RetryablePushException;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;

/**
 * Walmart Marketplace API calls: every call carries {@code WM_SEC.ACCESS_TOKEN} (a cached, refreshed token),
 * {@code WM_SVC.NAME} and a new {@code WM_QOS.CORRELATION_ID}. Calls are paced per store and operation (client side,
 * a token bucket that refills gradually, as Walmart describes its limits: a full minute's calls may go at once) and a
 * 429 sets the bucket to Walmart's {@code x-current-token-count} and is waited out until Walmart's
 * {@code x-next-replenish-time}, within {@code max-throttle-wait-ms}; beyond that it is handed back as retryable.
 * Failures come out as the push pipeline's two kinds: retryable (429, 5xx, timeouts) and final (credentials, bad
 * request, unknown SKU).
 */
@Component
public class WalmartApiClient {

    private static final Logger log = LoggerFactory.getLogger(WalmartApiClient.class);

    /** The Walmart operations Tally calls, each with its own rate limit. */
    public enum Operation {
        UPDATE_INVENTORY,
        GET_INVENTORY,
        GET_ORDERS
    }

    private static final long MIN_429_BACKOFF_MS = 100;
    private static final long MAX_429_BACKOFF_MS = 3200;

    private final WalmartStores stores;
    private final WalmartTokens tokens;
    private final WalmartHttp http;
    private final ObjectMapper objectMapper;
    private final MeterRegistry meters;
    private final WalmartProperties properties;
    private final ChannelRateLimiter limiter;

    public WalmartApiClient(
            WalmartStores stores,
            WalmartTokens tokens,
            WalmartHttp http,
            ObjectMapper objectMapper,
            MeterRegistry meters,
            WalmartProperties properties,
            ChannelRateLimiter limiter) {
        this.limiter = limiter;
        this.stores = stores;
        this.tokens = tokens;
        this.http = http;
        this.objectMapper = objectMapper;
        this.meters = meters;
        this.properties = properties;
    }

    /** @param pathAndQuery e.g. {@code /v3/orders?limit=100}, already encoded */
    public JsonNode get(String store, Operation operation, String pathAndQuery) {
        return call(store, operation, "GET", pathAndQuery, null);
    }

    public JsonNode put(String store, Operation operation, String pathAndQuery, Object body) {
        try {
            return call(store, operation, "PUT", pathAndQuery, objectMapper.writeValueAsString(body));
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    private JsonNode call(String store, Operation operation, String method, String pathAndQuery, String body) {
        TokenBucket pace = limiter.bucket("walmart/" + store + "/" + operation, Limit.perMinute(perMinute(operation)));
        long deadline = System.currentTimeMillis() + properties.maxThrottleWaitMs();
        boolean tokenRenewed = false;
        int throttledInARow = 0;
        while (true) {
            waitFor(pace, deadline, store, operation);
            String token = tokens.token(store);
            HttpResponse<String> response = send(store, operation, method, pathAndQuery, body, token);
            int status = response.statusCode();
            if (status == 401 && !tokenRenewed) {
                // The token lapsed early (clock skew) or was revoked: one more try with a new one.
                count(store, operation, "token_refused");
                tokens.invalidate(store, token);
                tokenRenewed = true;
                continue;
            }
            if (status == 429) {
                count(store, operation, "rate_limited");
                // Walmart's replenish time, but never sooner than a backoff that doubles with each 429 in a row:
                // a token that is back in 12 ms is gone again at once when other callers share the limit.
                long backoff = Math.min(MAX_429_BACKOFF_MS, MIN_429_BACKOFF_MS << Math.min(throttledInARow++, 5));
                long wait = Math.max(
                        backoff,
                        pace.throttledUntil(
                                header(response, "x-current-token-count"),
                                header(response, "x-next-replenish-time", "x-next-replenishment-time")));
                if (System.currentTimeMillis() + wait > deadline) {
                    throw new WalmartThrottledException(
                            "Walmart store " + store + " is throttling " + operation + " (HTTP 429); room again in "
                                    + wait + " ms",
                            wait);
                }
                log.debug("Walmart store {} throttled {}; waiting {} ms", store, operation, wait);
                sleep(wait);
                continue;
            }
            return judge(store, operation, method, pathAndQuery, response);
        }
    }

    private void waitFor(TokenBucket pace, long deadline, String store, Operation operation) {
        while (true) {
            long waitNanos = pace.takeOrNanosToWait(1);
            if (waitNanos == 0) {
                return;
            }
            long wait = Math.max(1, TimeUnit.NANOSECONDS.toMillis(waitNanos + 999_999));
            if (System.currentTimeMillis() + wait > deadline) {
                count(store, operation, "paced_out");
                throw new WalmartThrottledException(
                        "Walmart store " + store + ": no room for " + operation + " (" + pace.describe() + ") within "
                                + properties.maxThrottleWaitMs() + " ms",
                        wait);
            }
            sleep(wait);
        }
    }

    private HttpResponse<String> send(
            String store, Operation operation, String method, String pathAndQuery, String body, String token) {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(stores.apiBase(store) + pathAndQuery))
                .timeout(http.timeout())
                .header("Accept", "application/json")
                .header(WalmartHttp.ACCESS_TOKEN, token)
                .header(WalmartHttp.SERVICE_NAME, http.serviceName())
                .header(WalmartHttp.CORRELATION_ID, WalmartHttp.correlationId());
        if (body == null) {
            request.method(method, HttpRequest.BodyPublishers.noBody());
        } else {
            request.header("Content-Type", "application/json")
                    .method(method, HttpRequest.BodyPublishers.ofString(body));
        }
        try {
            return http.client().send(request.build(), HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            count(store, operation, "io_error");
            throw new RetryablePushException(
                    "Walmart store " + store + " unreachable (" + method + " " + pathAndQuery + "): " + e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new RetryablePushException("interrupted while calling Walmart");
        }
    }

    private JsonNode judge(
            String store, Operation operation, String method, String pathAndQuery, HttpResponse<String> response) {
        int status = response.statusCode();
        String what = "Walmart store " + store + " answered HTTP " + status + " to " + method + " " + pathAndQuery;
        if (status >= 200 && status < 300) {
            count(store, operation, "ok");
            try {
                String text = response.body();
                return text == null || text.isBlank() ? objectMapper.createObjectNode() : objectMapper.readTree(text);
            } catch (IOException e) {
                throw new RetryablePushException(
                        what + " with a body that is not JSON: " + WalmartHttp.abbreviate(response.body()));
            }
        }
        if (status >= 500) {
            count(store, operation, "server_error");
            throw new RetryablePushException(what);
        }
        String detail = what + ": " + WalmartHttp.abbreviate(response.body());
        if (status == 401 || status == 403) {
            count(store, operation, "unauthorized");
            throw new RejectedPushException(detail + " (check the store's client id/secret and API permissions)");
        }
        if (status == 404) {
            count(store, operation, "not_found");
            throw new WalmartNotFoundException(detail, errorCodes(response.body()));
        }
        count(store, operation, "refused");
        throw new RejectedPushException(detail);
    }

    /**
     * The {@code code} of each error in a Walmart error body. Walmart's JSON errors are
     * {@code {"errors":[{code, description, info, severity, category, causes, errorIdentifiers}]}} (error-codes page,
     * highsidelabs/walmart-api-php Error404 model); SDKs that convert the XML answer also show
     * {@code {"errors":{"error":[...]}}} (makanaleu/wmt-marketplace-sdk lib/error.d.ts), so both are read.
     */
    private List<String> errorCodes(String body) {
        List<String> codes = new ArrayList<>();
        if (body == null || body.isBlank()) {
            return codes;
        }
        try {
            JsonNode errors = objectMapper.readTree(body).path("errors");
            JsonNode list = errors.isArray() ? errors : errors.path("error");
            for (JsonNode error : list) {
                String code = WalmartJson.text(error, "code");
                if (code != null) {
                    codes.add(code);
                }
            }
        } catch (IOException e) {
            // not JSON: no codes
        }
        return codes;
    }

    private double perMinute(Operation operation) {
        return switch (operation) {
            case UPDATE_INVENTORY -> properties.inventoryUpdatesPerMinute();
            case GET_INVENTORY -> properties.inventoryReadsPerMinute();
            case GET_ORDERS -> properties.orderReadsPerMinute();
        };
    }

    /** Header values Walmart sends as numbers (names matched case-insensitively by the JDK client). */
    private static Long header(HttpResponse<?> response, String... names) {
        for (String name : names) {
            Optional<String> value = response.headers().firstValue(name);
            if (value.isPresent()) {
                try {
                    return (long) Double.parseDouble(value.get().trim());
                } catch (NumberFormatException e) {
                    return null;
                }
            }
        }
        return null;
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new RetryablePushException("interrupted while waiting for Walmart's rate limit");
        }
    }

    private void count(String store, Operation operation, String result) {
        Counter.builder("tally.walmart.calls")
                .description("Walmart Marketplace API calls, by operation and answer")
                .tags(
                        "store",
                        store,
                        "operation",
                        operation.name().toLowerCase(java.util.Locale.ROOT),
                        "result",
                        result)
                .register(meters)
                .increment();
    }
}
