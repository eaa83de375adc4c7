package io.tally.api;

import io.tally.alerts.AlertDelivery;
import java.util.List;
import java.util.Map;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/** The alerts raised, newest first, with their delivery to tally.alerts.url. */
@RestController
@RequestMapping("/api/alerts")
class AlertsController {

    private final AlertDelivery alerts;

    AlertsController(AlertDelivery alerts) {
        this.alerts = alerts;
    }

    @GetMapping
    List<Map<String, Object>> recent(@RequestParam(defaultValue = "100") int limit) {
        if (limit < 1 || limit > 1000) {
            throw new IllegalArgumentException("limit must be between 1 and 1000");
        }
        return alerts.recent(limit);
    }
}
