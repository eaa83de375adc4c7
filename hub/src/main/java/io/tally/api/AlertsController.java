package io.tally.api;

import io.tally.alerts.AlertDelivery;
import java.util.List;
import java.util.Map;
import org.springframework.http.ResponseEntity;
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
    ResponseEntity<List<Map<String, Object>>> recent(
            @RequestParam(required = false) Integer limit, @RequestParam(required = false) Long before) {
        int size = Pages.limit(limit, 100);
        return Pages.beforeId(alerts.recent(size + 1, before), size);
    }
}
