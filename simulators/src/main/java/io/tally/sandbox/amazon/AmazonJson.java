package io.tally.sandbox.amazon;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import java.io.IOException;
import java.io.OutputStream;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.Instant;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.Map;
import java.util.Set;

/** JSON rendering shared by the simulator's parts: Amazon's error list, money, dates, and writing a response. */
final class AmazonJson {

    private static final DateTimeFormatter ISO_SECONDS = DateTimeFormatter.ISO_INSTANT;

    final ObjectMapper mapper = new ObjectMapper()
            .registerModule(new com.fasterxml.jackson.datatype.jsr310.JavaTimeModule())
            .disable(com.fasterxml.jackson.databind.SerializationFeature.WRITE_DATES_AS_TIMESTAMPS);

    void send(HttpExchange ex, int status, Object body, Map<String, String> headers) throws IOException {
        byte[] bytes = mapper.writeValueAsBytes(body);
        ex.getResponseHeaders().set("Content-Type", "application/json");
        headers.forEach((k, v) -> ex.getResponseHeaders().set(k, v));
        try {
            ex.sendResponseHeaders(status, bytes.length);
            try (OutputStream out = ex.getResponseBody()) {
                out.write(bytes);
            }
        } catch (IOException e) {
            // client went away
        }
    }

    ObjectNode money(BigDecimal amount) {
        ObjectNode m = mapper.createObjectNode();
        m.put("CurrencyCode", "USD");
        m.put("Amount", amount.setScale(2, RoundingMode.HALF_UP).toPlainString());
        return m;
    }

    /**
     * 400 for an {@code includedData} value outside the operation's enum. The model documents 400 as "Request has
     * missing or invalid parameters and cannot be parsed." with Amazon's {@code ErrorList} body
     * ({@code {"errors":[{code, message, details?}]}}, code and message required); the wording of the message for
     * this case is the simulator's.
     */
    AmazonReply checkIncludedData(Set<String> included, Set<String> allowed) {
        for (String value : included) {
            if (!allowed.contains(value)) {
                return invalid("Invalid includedData value '" + value + "'. Allowed values: "
                        + String.join(", ", new java.util.TreeSet<>(allowed)) + ".");
            }
        }
        return null;
    }

    AmazonReply invalid(String message) {
        return new AmazonReply(400, errors("InvalidInput", message, ""));
    }

    AmazonReply unauthorized() {
        return new AmazonReply(403, errors("Unauthorized", "Access to requested resource is denied.", ""));
    }

    ObjectNode errors(String code, String message, String details) {
        ObjectNode root = mapper.createObjectNode();
        ObjectNode e = root.putArray("errors").addObject();
        e.put("code", code);
        e.put("message", message);
        e.put("details", details);
        return root;
    }

    static String format(Instant t) {
        return ISO_SECONDS.format(t.truncatedTo(ChronoUnit.SECONDS));
    }

    static String formatRate(double rate) {
        return BigDecimal.valueOf(rate).stripTrailingZeros().toPlainString();
    }
}
