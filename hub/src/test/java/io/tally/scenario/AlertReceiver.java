package io.tally.scenario;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;

/** An operator's alert endpoint on loopback: records every POSTed alert, or answers an error status when told to. */
final class AlertReceiver {

    private static final ObjectMapper JSON = new ObjectMapper();

    private final HttpServer server;
    private final List<JsonNode> received = new ArrayList<>();
    private final List<String> authorizations = new ArrayList<>();
    private volatile int failWith;

    AlertReceiver() {
        try {
            server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        server.createContext("/alerts", exchange -> {
            byte[] body = exchange.getRequestBody().readAllBytes();
            int status = failWith;
            if (status == 0) {
                synchronized (this) {
                    received.add(JSON.readTree(body));
                    authorizations.add(exchange.getRequestHeaders().getFirst("Authorization"));
                }
                status = 204;
            }
            exchange.sendResponseHeaders(status, -1);
            exchange.close();
        });
        server.start();
    }

    String url() {
        return "http://127.0.0.1:" + server.getAddress().getPort() + "/alerts";
    }

    synchronized List<JsonNode> received(String kind, String subject) {
        return received.stream()
                .filter(a -> kind.equals(a.path("kind").asText())
                        && subject.equals(a.path("subject").asText()))
                .toList();
    }

    synchronized List<String> authorizations() {
        return new ArrayList<>(authorizations);
    }

    void failWith(int status) {
        failWith = status;
    }
}
