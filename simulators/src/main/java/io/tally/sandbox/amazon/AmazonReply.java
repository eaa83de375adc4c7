package io.tally.sandbox.amazon;

import java.util.Map;

/** One answer of the simulated SP-API or LWA: status, JSON body and extra headers. */
record AmazonReply(int status, Object body, Map<String, String> headers) {
    AmazonReply(int status, Object body) {
        this(status, body, Map.of());
    }
}
