package io.tally.api;

import io.tally.reconcile.ReconciliationFailedException;
import io.tally.reconcile.ReconciliationReport;
import io.tally.reconcile.ReconciliationService;
import java.util.LinkedHashMap;
import java.util.Map;
import org.springframework.http.HttpStatus;
import org.springframework.http.ProblemDetail;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/** Reconciliation on demand, and the history with its corrections (each one an event or push that was missed). */
@RestController
@RequestMapping("/api")
class ReconciliationController {

    private final ReconciliationService reconciliation;

    ReconciliationController(ReconciliationService reconciliation) {
        this.reconciliation = reconciliation;
    }

    @PostMapping("/reconcile/{store}")
    ReconciliationReport reconcile(@PathVariable String store) {
        io.tally.event.InputRules.checkId("store", store, io.tally.event.InputRules.MAX_KEY_LENGTH);
        return reconciliation.reconcile(store, "api");
    }

    @GetMapping("/reconciliations")
    org.springframework.http.ResponseEntity<Map<String, Object>> history(
            @RequestParam(required = false) String store,
            @RequestParam(required = false) Integer limit,
            @RequestParam(required = false) Long before) {
        io.tally.event.InputRules.checkId("store", store, io.tally.event.InputRules.MAX_KEY_LENGTH);
        int size = Pages.limit(limit, 20);
        java.util.List<Map<String, Object>> runs = reconciliation.recent(store, size + 1, before);
        Map<String, Object> answer = new LinkedHashMap<>();
        answer.put("corrections", reconciliation.correctionsByStore());
        answer.put("runs", runs.size() > size ? runs.subList(0, size) : runs);
        var response = org.springframework.http.ResponseEntity.ok();
        if (runs.size() > size) {
            // Runs are paged as the lists are: newest first, the next page before the last run shown.
            response.header(
                    org.springframework.http.HttpHeaders.LINK,
                    Pages.nextLink(
                            size, "before", String.valueOf(runs.get(size - 1).get("id"))));
        }
        return response.body(answer);
    }

    /** The channel could not be read: a gateway problem, nothing changed. */
    @ExceptionHandler(ReconciliationFailedException.class)
    ProblemDetail channelUnavailable(ReconciliationFailedException e) {
        return ProblemDetail.forStatusAndDetail(HttpStatus.BAD_GATEWAY, e.getMessage());
    }
}
