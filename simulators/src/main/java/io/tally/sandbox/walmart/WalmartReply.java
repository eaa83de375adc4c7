package io.tally.sandbox.walmart;

import java.util.Map;

/** One answer of the simulated Walmart API: status, body (JSON, or a ready string), extra headers, content type. */
record WalmartReply(int status, Object body, Map<String, String> headers, String contentType) {
    WalmartReply(int status, Object body) {
        this(status, body, Map.of(), "application/json");
    }
}
