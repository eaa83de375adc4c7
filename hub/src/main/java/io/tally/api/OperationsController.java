package io.tally.api;

import io.tally.dispatch.Dispatch;
import io.tally.push.DeadLetterService;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;
import org.springframework.http.HttpStatus;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.ResponseStatus;
import org.springframework.web.bind.annotation.RestController;

/** Dead-lettered pushes: listed for review and redriven on request. */
@RestController
@RequestMapping("/api")
class OperationsController {

    private final DeadLetterService deadLetters;
    private final Dispatch dispatch;

    OperationsController(DeadLetterService deadLetters, Dispatch dispatch) {
        this.deadLetters = deadLetters;
        this.dispatch = dispatch;
    }

    @GetMapping("/dead-letters")
    org.springframework.http.ResponseEntity<List<Map<String, Object>>> deadLetters(
            @RequestParam(required = false) String status,
            @RequestParam(required = false) Integer limit,
            @RequestParam(required = false) Long before) {
        io.tally.event.InputRules.checkId("status", status, io.tally.event.InputRules.MAX_KEY_LENGTH);
        int size = Pages.limit(limit, 100);
        return Pages.beforeId(deadLetters.list(status, size + 1, before), size);
    }

    @PostMapping("/dead-letters/{id}/redrive")
    @ResponseStatus(HttpStatus.ACCEPTED)
    Map<String, Object> redrive(@PathVariable long id) {
        long listingId = deadLetters.redrive(id).orElseThrow(() -> new NoSuchElementException("no dead letter " + id));
        dispatch.push(List.of(listingId));
        return Map.of("status", "redriven", "id", id);
    }
}
