package io.tally.alerts;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.tally.policy.TallyProperties;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.jdbc.core.namedparam.MapSqlParameterSource;
import org.springframework.jdbc.core.namedparam.NamedParameterJdbcTemplate;
import org.springframework.stereotype.Component;

/**
 * POSTs undelivered alerts, oldest first, one JSON object each, to {@code tally.alerts.url}. A 2xx answer marks the
 * alert sent; anything else is counted on the alert and retried on the next run. The first failure ends a run (the
 * endpoint is down: the rest would fail too), so an outage costs one attempt per run, not one per alert.
 */
@Component
public class AlertDelivery {

    private static final Logger log = LoggerFactory.getLogger(AlertDelivery.class);
    private static final int BATCH = 100;

    private final NamedParameterJdbcTemplate jdbc;
    private final TallyProperties.Alerts settings;
    private final ObjectMapper json;
    private final HttpClient http;

    public AlertDelivery(NamedParameterJdbcTemplate jdbc, TallyProperties properties, ObjectMapper json) {
        this.jdbc = jdbc;
        this.settings = properties.alerts();
        this.json = json;
        this.http = HttpClient.newBuilder()
                .version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(Duration.ofMillis(settings.timeoutMs()))
                .build();
    }

    /** @return alerts delivered by this run */
    public int deliver() {
        if (settings.url() == null || settings.url().isBlank()) {
            return 0;
        }
        List<Map<String, Object>> pending = jdbc.queryForList("""
                SELECT id, kind, subject, detail, raised_at FROM alert WHERE sent_at IS NULL ORDER BY id LIMIT :batch
                """, new MapSqlParameterSource("batch", BATCH));
        int sent = 0;
        for (Map<String, Object> alert : pending) {
            long id = ((Number) alert.get("id")).longValue();
            String failure = post(alert);
            if (failure == null) {
                jdbc.update(
                        "UPDATE alert SET sent_at = now(), attempts = attempts + 1, last_error = NULL WHERE id = :id",
                        Map.of("id", id));
                sent++;
            } else {
                jdbc.update(
                        "UPDATE alert SET attempts = attempts + 1, last_error = :error WHERE id = :id",
                        Map.of("id", id, "error", failure));
                log.warn(
                        "alert {} could not be delivered to {}: {}; retried on the next run",
                        id,
                        settings.url(),
                        failure);
                break;
            }
        }
        return sent;
    }

    /** @return null when delivered, else why not */
    private String post(Map<String, Object> alert) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("id", alert.get("id"));
        body.put("kind", alert.get("kind"));
        body.put("subject", alert.get("subject"));
        body.put("detail", alert.get("detail"));
        Object raised = alert.get("raised_at");
        body.put(
                "raisedAt",
                raised instanceof java.sql.Timestamp t ? t.toInstant().toString() : String.valueOf(raised));
        body.put("source", "tally");
        try {
            HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(settings.url()))
                    .timeout(Duration.ofMillis(settings.timeoutMs()))
                    .header("Content-Type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofByteArray(json.writeValueAsBytes(body)));
            if (settings.token() != null && !settings.token().isBlank()) {
                request.header("Authorization", "Bearer " + settings.token());
            }
            HttpResponse<Void> response = http.send(request.build(), HttpResponse.BodyHandlers.discarding());
            int status = response.statusCode();
            return status >= 200 && status < 300 ? null : "HTTP " + status;
        } catch (IOException | IllegalArgumentException e) {
            return e.getClass().getSimpleName() + (e.getMessage() == null ? "" : ": " + e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return "interrupted";
        }
    }

    /** The newest alerts with their delivery state (GET /api/alerts); {@code before} continues a page. */
    public List<Map<String, Object>> recent(int limit, Long before) {
        return jdbc.queryForList("""
                SELECT id, kind, subject, detail, raised_at AS "raisedAt", sent_at AS "sentAt", attempts,
                       last_error AS "lastError"
                FROM alert WHERE CAST(:before AS bigint) IS NULL OR id < :before ORDER BY id DESC LIMIT :limit
                """, new MapSqlParameterSource("limit", limit).addValue("before", before));
    }
}
