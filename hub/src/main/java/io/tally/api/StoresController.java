package io.tally.api;

import io.tally.dispatch.Dispatch;
import io.tally.event.InputRules;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.ResponseStatus;
import org.springframework.web.bind.annotation.RestController;

/** Per-store panel, push history and redrive of a whole store (admin API). */
@RestController
@RequestMapping("/api/stores")
class StoresController {

    private final StoreViews views;
    private final Dispatch dispatch;
    private final SafetyStockAdvice safetyStock;

    StoresController(StoreViews views, Dispatch dispatch, SafetyStockAdvice safetyStock) {
        this.views = views;
        this.dispatch = dispatch;
        this.safetyStock = safetyStock;
    }

    /** The safety stock the store's measured sync lag and the busiest sale rate suggest, next to the configured one. */
    @GetMapping("/{store}/safety-stock")
    Map<String, Object> safetyStock(@PathVariable String store, @RequestParam(defaultValue = "7") int days) {
        InputRules.checkId("store", store, InputRules.MAX_KEY_LENGTH);
        return safetyStock.advise(store, days);
    }

    @GetMapping
    List<Map<String, Object>> stores() {
        return views.stores();
    }

    @GetMapping("/{store}/pushes")
    Map<String, Object> pushes(@PathVariable String store, @RequestParam(defaultValue = "60") int minutes) {
        return views.pushes(store, minutes);
    }

    /** Stock items the store has no listing for (keyset pages by item key, as the other lists). */
    @GetMapping("/{store}/missing-skus")
    ResponseEntity<List<Map<String, Object>>> missingSkus(
            @PathVariable String store,
            @RequestParam(required = false) Integer limit,
            @RequestParam(required = false) String after) {
        InputRules.checkId("store", store, InputRules.MAX_KEY_LENGTH);
        return Pages.byTextKey(
                limit, after, List.of("itemKey"), (rows, from) -> views.missingSkus(store, rows, from[0]));
    }

    /** Re-queues all the store's open dead letters and failed listings; each gets its current target pushed. */
    @PostMapping("/{store}/redrive")
    @ResponseStatus(HttpStatus.ACCEPTED)
    Map<String, Object> redrive(@PathVariable String store) {
        StoreViews.Redrive redrive = views.redriveAll(store);
        dispatch.push(redrive.listings());
        Map<String, Object> answer = new LinkedHashMap<>();
        answer.put("store", redrive.store());
        answer.put("status", "redriven");
        answer.put("deadLetters", redrive.deadLetters());
        answer.put("listings", redrive.listings().size());
        return answer;
    }
}
