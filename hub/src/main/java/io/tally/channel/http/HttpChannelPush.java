package io.tally.channel.http;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.tally.connector.PushCommand;
import io.tally.connector.PushOutcome;
import io.tally.push.RejectedPushException;
import io.tally.push.RetryablePushException;
import io.tally.push.ThrottledPushException;
import java.util.LinkedHashMap;
import java.util.Map;
import org.apache.camel.Exchange;
import org.springframework.stereotype.Component;

/** Contract C2: the generic channel's push body, and what its answer means. */
@Component("httpChannelPush")
public class HttpChannelPush {

    private final ObjectMapper objectMapper;
    private static final int MAX_ANSWER = 200;

    private final long maxRetryAfterMs;

    public HttpChannelPush(ObjectMapper objectMapper, io.tally.policy.TallyProperties properties) {
        this.objectMapper = objectMapper;
        this.maxRetryAfterMs = properties.push().maxBackoffMs();
    }

    public String requestBody(PushCommand command) throws JsonProcessingException {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("store", command.store());
        body.put("ref", command.ref());
        body.put("sku", command.sku());
        body.put("available", command.level());
        body.put("version", command.version());
        return objectMapper.writeValueAsString(body);
    }

    /**
     * Any 2xx is success; 429 is throttled and 5xx a failure, both retried (honouring Retry-After); other answers are
     * final. The exception names the status and the start of the channel's answer (results and log:
     * {@link io.tally.push.PushResult}, {@link io.tally.push.PushEpisodes}).
     *
     * @return confirmed, without a channel time (the generic channel has no clock of its own for levels)
     */
    public PushOutcome checkResponse(Exchange exchange) {
        int status = exchange.getMessage().getHeader(Exchange.HTTP_RESPONSE_CODE, 0, Integer.class);
        if (status >= 200 && status < 300) {
            return PushOutcome.confirmed();
        }
        String detail = "HTTP " + status + answerOf(exchange);
        if (status == 429 || status >= 500) {
            Long retryAfter = retryAfterMillis(exchange.getMessage().getHeader("Retry-After", String.class));
            if (retryAfter != null) {
                // Read by Camel's redelivery: the channel said when to come back.
                exchange.getIn().setHeader(Exchange.REDELIVERY_DELAY, Math.min(retryAfter, maxRetryAfterMs));
            }
            throw status == 429 ? new ThrottledPushException(detail) : new RetryablePushException(detail);
        }
        throw new RejectedPushException(detail);
    }

    /** The start of the channel's answer body, quoted on one line (empty when it sent none). */
    static String answerOf(Exchange exchange) {
        String body;
        try {
            body = exchange.getMessage().getBody(String.class);
        } catch (RuntimeException e) {
            return "";
        }
        if (body == null || body.isBlank()) {
            return "";
        }
        String line = body.replaceAll("\\s+", " ").trim();
        return " \"" + (line.length() > MAX_ANSWER ? line.substring(0, MAX_ANSWER) + "…" : line) + "\"";
    }

    static Long retryAfterMillis(String header) {
        if (header == null || header.isBlank()) {
            return null;
        }
        try {
            return Math.max(0, (long) (Double.parseDouble(header.trim()) * 1000));
        } catch (NumberFormatException e) {
            return null; // an HTTP date: fall back to the exponential backoff
        }
    }
}
