package io.tally.api;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.LinkedHashMap;
import java.util.Map;
import org.apache.camel.Exchange;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;

/** RFC 9457 problem+json answers for the Camel HTTP routes (the Spring controllers use ProblemDetail). */
@Component("problemResponses")
public class ProblemResponses {

    private static final Logger log = LoggerFactory.getLogger(ProblemResponses.class);
    public static final String PROBLEM_JSON = "application/problem+json";

    private final ObjectMapper objectMapper;

    public ProblemResponses(ObjectMapper objectMapper) {
        this.objectMapper = objectMapper;
    }

    public void badRequest(Exchange exchange) {
        Throwable cause = exchange.getProperty(Exchange.EXCEPTION_CAUGHT, Throwable.class);
        write(
                exchange,
                400,
                "Bad Request",
                ApiExceptionHandler.safe(cause == null ? null : cause.getMessage(), "invalid request"));
    }

    public void unauthorized(Exchange exchange) {
        Throwable cause = exchange.getProperty(Exchange.EXCEPTION_CAUGHT, Throwable.class);
        write(
                exchange,
                401,
                "Unauthorized",
                ApiExceptionHandler.safe(cause == null ? null : cause.getMessage(), "not authenticated"));
    }

    public void notFound(Exchange exchange) {
        Throwable cause = exchange.getProperty(Exchange.EXCEPTION_CAUGHT, Throwable.class);
        write(
                exchange,
                404,
                "Not Found",
                ApiExceptionHandler.safe(cause == null ? null : cause.getMessage(), "not found"));
    }

    /** Nothing was acknowledged, so the sender keeps the event and retries. */
    public void serverError(Exchange exchange) {
        Throwable cause = exchange.getProperty(Exchange.EXCEPTION_CAUGHT, Throwable.class);
        log.error("request to {} failed", exchange.getIn().getHeader(Exchange.HTTP_URI), cause);
        write(exchange, 500, "Internal Server Error", "the event was not stored; retry later");
    }

    private void write(Exchange exchange, int status, String title, String detail) {
        Map<String, Object> problem = new LinkedHashMap<>();
        problem.put("type", "about:blank");
        problem.put("title", title);
        problem.put("status", status);
        problem.put("detail", detail);
        exchange.getMessage().removeHeaders("*");
        exchange.getMessage().setHeader(Exchange.HTTP_RESPONSE_CODE, status);
        exchange.getMessage().setHeader(Exchange.CONTENT_TYPE, PROBLEM_JSON);
        try {
            exchange.getMessage().setBody(objectMapper.writeValueAsString(problem));
        } catch (JsonProcessingException e) {
            exchange.getMessage().setBody("{\"status\":" + status + "}");
        }
    }
}
