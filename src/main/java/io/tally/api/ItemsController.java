package io.tally.api;

import java.util.List;
import java.util.Map;

import io.tally.catalog.CatalogService;
import io.tally.event.KeyKind;
import io.tally.ledger.LedgerRepository;
import io.tally.ledger.LedgerService;
import io.tally.ledger.StockItemRepository;
import io.tally.support.Dispatch;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.PutMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/** Stock items: their count, listings and ledger; manual adjustments and counts; bundles. */
@RestController
@RequestMapping("/api")
class ItemsController {

    static final int MAX_LEDGER_PAGE = 100_000;

    private final ItemViews views;
    private final LedgerRepository ledger;
    private final LedgerService ledgerService;
    private final StockItemRepository items;
    private final CatalogService catalog;
    private final Dispatch dispatch;

    ItemsController(ItemViews views, LedgerRepository ledger, LedgerService ledgerService, StockItemRepository items,
            CatalogService catalog, Dispatch dispatch) {
        this.views = views;
        this.ledger = ledger;
        this.ledgerService = ledgerService;
        this.items = items;
        this.catalog = catalog;
        this.dispatch = dispatch;
    }

    @GetMapping("/items")
    List<Map<String, Object>> items(@RequestParam(defaultValue = "500") int limit) {
        return views.items(Math.max(1, Math.min(limit, 10_000)));
    }

    @GetMapping("/items/{key}")
    Map<String, Object> item(@PathVariable String key) {
        return views.item(KeyKind.SKU.normalize(key));
    }

    @GetMapping("/items/{key}/ledger")
    List<Map<String, Object>> ledger(@PathVariable String key, @RequestParam(defaultValue = "100") int limit,
            @RequestParam(required = false) Long before) {
        if (limit < 1 || limit > MAX_LEDGER_PAGE) {
            throw new IllegalArgumentException("limit must be between 1 and " + MAX_LEDGER_PAGE);
        }
        String itemKey = KeyKind.SKU.normalize(key);
        views.item(itemKey); // 404 for an unknown item rather than an empty page
        return ledger.entries(itemKey, limit, before);
    }

    record AdjustmentRequest(Long delta, String reason, String reference) {
    }

    @PostMapping("/items/{key}/adjustments")
    Map<String, Object> adjust(@PathVariable String key, @RequestBody AdjustmentRequest request) {
        if (request.delta() == null || request.delta() == 0) {
            throw new IllegalArgumentException("delta is required and must not be 0");
        }
        String itemKey = KeyKind.SKU.normalize(key);
        views.item(itemKey);
        dispatch.push(ledgerService.adjust(itemKey, request.delta(), request.reason(), request.reference()));
        return views.item(itemKey);
    }

    record CountRequest(Long onHand, String reason) {
    }

    @PutMapping("/items/{key}/on-hand")
    Map<String, Object> count(@PathVariable String key, @RequestBody CountRequest request) {
        if (request.onHand() == null || request.onHand() < 0) {
            throw new IllegalArgumentException("onHand is required and must be >= 0");
        }
        String itemKey = KeyKind.SKU.normalize(key);
        items.createIfAbsent(itemKey);
        dispatch.push(ledgerService.count(itemKey, request.onHand(), request.reason()));
        return views.item(itemKey);
    }

    record BundleRequest(Map<String, Integer> components) {
    }

    @PutMapping("/bundles/{key}")
    Map<String, Object> bundle(@PathVariable String key, @RequestBody BundleRequest request) {
        dispatch.push(catalog.defineBundle(key, request.components()));
        return views.item(KeyKind.SKU.normalize(key));
    }
}
