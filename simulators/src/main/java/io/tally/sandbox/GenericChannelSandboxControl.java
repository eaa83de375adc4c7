package io.tally.sandbox;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpExchange;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Map;

/**
 * Controls for people trying the sandbox by hand: {@code GET /_sandbox/levels} (what the channel shows per
 * listing), {@code POST /_sandbox/outage?status=503} (answer every push with that status) and
 * {@code POST /_sandbox/recover}.
 */
final class GenericChannelSandboxControl {

    private final ObjectMapper mapper;
    private final GenericChannelLedger ledger;
    private final GenericChannelFaults faults;

    GenericChannelSandboxControl(ObjectMapper mapper, GenericChannelLedger ledger, GenericChannelFaults faults) {
        this.mapper = mapper;
        this.ledger = ledger;
        this.faults = faults;
    }

    void handle(HttpExchange ex) throws IOException {
        try (ex) {
            ex.getRequestBody().readAllBytes();
            String path = ex.getRequestURI().getPath();
            String query = ex.getRequestURI().getQuery() == null
                    ? ""
                    : ex.getRequestURI().getQuery();
            String answer;
            int status = 200;
            if (path.equals("/_sandbox/levels") && "GET".equals(ex.getRequestMethod())) {
                Map<String, Integer> levels = ledger.levels();
                answer = mapper.writeValueAsString(levels);
            } else if (path.equals("/_sandbox/outage") && "POST".equals(ex.getRequestMethod())) {
                int failWith = query.startsWith("status=") ? Integer.parseInt(query.substring(7)) : 503;
                faults.failAlways(failWith);
                answer = "{\"outage\":" + failWith + "}";
            } else if (path.equals("/_sandbox/recover") && "POST".equals(ex.getRequestMethod())) {
                faults.recover();
                answer = "{\"outage\":null}";
            } else {
                status = 404;
                answer =
                        "{\"error\":\"GET /_sandbox/levels, POST /_sandbox/outage?status=503, POST /_sandbox/recover\"}";
            }
            byte[] bytes = answer.getBytes(StandardCharsets.UTF_8);
            ex.getResponseHeaders().set("Content-Type", "application/json");
            ex.sendResponseHeaders(status, bytes.length);
            try (OutputStream out = ex.getResponseBody()) {
                out.write(bytes);
            }
        } catch (NumberFormatException e) {
            ex.sendResponseHeaders(400, -1);
        }
    }
}
