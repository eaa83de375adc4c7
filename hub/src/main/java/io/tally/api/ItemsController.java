package io.tally.api;

import io.tally.dispatch.Dispatch;
import io.tally.event.InputRules;
import io.tally.event.KeyKind;
import io.tally.ledger.LedgerRepository;
import io.tally.ledger.LedgerService;
import io.tally.ledger.StockItemRepository;
import io.tally.linking.LinkingService;
import java.util.List;
import java.util.Map;
import org.springframework.http.ResponseEntity;
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
    private final LinkingService catalog;
    private final Dispatch dispatch;

    ItemsController(
            ItemViews views,
            LedgerRepository ledger,
            LedgerService ledgerService,
            StockItemRepository items,
            LinkingService catalog,
            Dispatch dispatch) {
        this.views = views;
        this.ledger = ledger;
        this.ledgerService = ledgerService;
        this.items = items;
        this.catalog = catalog;
        this.dispatch = dispatch;
    }

    @GetMapping("/items")
    ResponseEntity<List<Map<String, Object>>> items(
            @RequestParam(required = false) Integer limit, @RequestParam(required = false) String after) {
        int size = Pages.limit(limit);
        String[] from = Pages.decode(after, 3);
        Boolean oversold = null;
        Long outOfSync = null;
        if (from != null) {
            try {
                oversold = switch (from[0]) {
                    case "t" -> true;
                    case "f" -> false;
                    default -> throw new NumberFormatException();
                };
                outOfSync = Long.parseLong(from[1]);
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("after is not a cursor from a previous page of this list");
            }
        }
        return Pages.page(
                views.items(size + 1, oversold, outOfSync, from == null ? null : from[2]),
                size,
                row -> Pages.cursor(
                        Boolean.TRUE.equals(row.get("oversold")) ? "t" : "f",
                        String.valueOf(((Number) row.get("outOfSync")).longValue()),
                        (String) row.get("key")));
    }

    @GetMapping("/items/{key}")
    Map<String, Object> item(@PathVariable String key) {
        return views.item(itemKey(key));
    }

    /** The item key of a path, checked by {@link InputRules} (400 with the reason) and normalised. */
    static String itemKey(String raw) {
        InputRules.checkId("item key", raw, InputRules.MAX_KEY_LENGTH);
        if (raw.isBlank()) {
            throw new IllegalArgumentException("item key is required");
        }
        return KeyKind.SKU.normalize(raw);
    }

    @GetMapping("/items/{key}/ledger")
    ResponseEntity<List<Map<String, Object>>> ledger(
            @PathVariable String key,
            @RequestParam(defaultValue = "100") int limit,
            @RequestParam(required = false) Long before) {
        if (limit < 1 || limit > MAX_LEDGER_PAGE) {
            throw new IllegalArgumentException("limit must be between 1 and " + MAX_LEDGER_PAGE);
        }
        String itemKey = itemKey(key);
        views.item(itemKey); // 404 for an unknown item rather than an empty page
        // One row more than asked tells whether Link announces an older page.
        return Pages.page(
                ledger.entries(itemKey, limit + 1, before), limit, "before", row -> String.valueOf(row.get("id")));
    }

    record AdjustmentRequest(Long delta, String reason, String reference) {}

    @PostMapping("/items/{key}/adjustments")
    Map<String, Object> adjust(@PathVariable String key, @RequestBody AdjustmentRequest request) {
        if (request == null || request.delta() == null || request.delta() == 0) {
            throw new IllegalArgumentException("delta is required and must not be 0");
        }
        InputRules.checkQuantity("delta", request.delta(), true);
        InputRules.checkText("reason", request.reason());
        // The reference is part of the ledger entry's unique key: an id, not free text.
        InputRules.checkId("reference", request.reference(), InputRules.MAX_ID_LENGTH);
        String itemKey = itemKey(key);
        views.item(itemKey);
        dispatch.push(ledgerService.adjust(itemKey, request.delta(), request.reason(), request.reference()));
        return views.item(itemKey);
    }

    record CountRequest(Long onHand, String reason) {}

    @PutMapping("/items/{key}/on-hand")
    Map<String, Object> count(@PathVariable String key, @RequestBody CountRequest request) {
        if (request == null || request.onHand() == null || request.onHand() < 0) {
            throw new IllegalArgumentException("onHand is required and must be >= 0");
        }
        InputRules.checkQuantity("onHand", request.onHand(), false);
        InputRules.checkText("reason", request.reason());
        String itemKey = itemKey(key);
        items.createIfAbsent(itemKey);
        dispatch.push(ledgerService.count(itemKey, request.onHand(), request.reason()));
        return views.item(itemKey);
    }

    record BundleRequest(Map<String, Integer> components) {}

    @PutMapping("/bundles/{key}")
    Map<String, Object> bundle(@PathVariable String key, @RequestBody BundleRequest request) {
        String bundleKey = itemKey(key);
        if (request == null || request.components() == null) {
            throw new IllegalArgumentException("components are required, e.g. {\"mug\":1,\"tea\":2}");
        }
        request.components().forEach((component, quantity) -> {
            InputRules.checkId("component key", component, InputRules.MAX_KEY_LENGTH);
            if (quantity != null) {
                InputRules.checkQuantity("quantity of component '" + component + "'", quantity, false);
            }
        });
        dispatch.push(catalog.defineBundle(key, request.components()));
        return views.item(bundleKey);
    }
}
