package io.tally.channel.http;

import java.util.LinkedHashMap;
import java.util.Map;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.tally.push.PushCommand;
import io.tally.push.RejectedPushException;
import io.tally.push.RetryablePushException;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import org.apache.camel.Exchange;
import org.springframework.stereotype.Component;

/** Contract C2: the generic channel's push body, and what its answer means. */
@Component("httpChannelPush")
public class HttpChannelPush {

    private final ObjectMapper objectMapper;
    private final long maxRetryAfterMs;
    private final MeterRegistry meters;

    public HttpChannelPush(ObjectMapper objectMapper, io.tally.policy.TallyProperties properties,
            MeterRegistry meters) {
        this.objectMapper = objectMapper;
        this.maxRetryAfterMs = properties.push().maxBackoffMs();
        this.meters = meters;
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

    /** Any 2xx is success; 429 and 5xx are retried (honouring Retry-After); other answers are final. */
    public void checkResponse(Exchange exchange) {
        int status = exchange.getMessage().getHeader(Exchange.HTTP_RESPONSE_CODE, 0, Integer.class);
        PushCommand command = exchange.getProperty("pushCommand", PushCommand.class);
        String result = status >= 200 && status < 300 ? "success"
                : status == 429 ? "rate_limited" : status >= 500 ? "server_error" : "refused";
        Counter.builder("tally.pushes")
                .description("Push requests answered by a channel, by answer")
                .tags("store", command == null ? "unknown" : command.store(), "result", result)
                .register(meters).increment();
        if (status >= 200 && status < 300) {
            return;
        }
        String detail = "push answered HTTP " + status;
        if (status == 429 || status >= 500) {
            Long retryAfter = retryAfterMillis(exchange.getMessage().getHeader("Retry-After", String.class));
            if (retryAfter != null) {
                // Read by Camel's redelivery: the channel said when to come back.
                exchange.getIn().setHeader(Exchange.REDELIVERY_DELAY, Math.min(retryAfter, maxRetryAfterMs));
            }
            throw new RetryablePushException(detail);
        }
        throw new RejectedPushException(detail);
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
