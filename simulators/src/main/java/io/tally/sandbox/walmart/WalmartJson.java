package io.tally.sandbox.walmart;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import com.sun.net.httpserver.HttpExchange;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;

/**
 * JSON shared by the simulator's parts: Walmart's error envelope
 * {@code {"errors":[{code, field, description, info, severity, category, causes}]}} and writing a response.
 */
final class WalmartJson {

    final ObjectMapper mapper = new ObjectMapper()
            .registerModule(new JavaTimeModule())
            .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS);

    void send(HttpExchange ex, WalmartReply r) throws IOException {
        byte[] bytes =
                r.body() instanceof String s ? s.getBytes(StandardCharsets.UTF_8) : mapper.writeValueAsBytes(r.body());
        ex.getResponseHeaders().set("Content-Type", r.contentType());
        r.headers().forEach((k, v) -> ex.getResponseHeaders().set(k, v));
        try {
            ex.sendResponseHeaders(r.status(), bytes.length);
            try (OutputStream out = ex.getResponseBody()) {
                out.write(bytes);
            }
        } catch (IOException e) {
            // client went away
        }
    }

    WalmartReply invalidParam(String field, String info) {
        return new WalmartReply(
                400, errors("INVALID_REQUEST_PARAM.GMP_GATEWAY_API", field, "Invalid request parameter", info));
    }

    ObjectNode errors(String code, String field, String description, String info) {
        ObjectNode root = mapper.createObjectNode();
        ObjectNode e = root.putArray("errors").addObject();
        e.put("code", code);
        e.put("field", field);
        e.put("description", description);
        e.put("info", info);
        e.put("severity", "ERROR");
        e.put("category", code.startsWith("SYSTEM") || code.startsWith("SERVICE") ? "SYSTEM" : "DATA");
        e.putArray("causes");
        e.putObject("errorIdentifiers");
        return root;
    }
}
