package io.tally.api;

import io.tally.dispatch.Dispatch;
import io.tally.event.InputRules;
import io.tally.linking.LinkChange;
import io.tally.linking.LinkingService;
import io.tally.linking.ListingDeclaration;
import java.util.List;
import java.util.Map;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PutMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/** Listings declared by stores that have no catalog API (the generic http channel), and the listing overview. */
@RestController
@RequestMapping("/api/listings")
class ListingsController {

    private final LinkingService catalog;
    private final ItemViews views;
    private final Dispatch dispatch;

    ListingsController(LinkingService catalog, ItemViews views, Dispatch dispatch) {
        this.catalog = catalog;
        this.views = views;
        this.dispatch = dispatch;
    }

    @PutMapping("/{store}/{ref}")
    Map<String, Object> declare(
            @PathVariable String store, @PathVariable String ref, @RequestBody ListingDeclaration declaration) {
        InputRules.checkId("store", store, InputRules.MAX_KEY_LENGTH);
        InputRules.checkId("ref", ref, InputRules.MAX_KEY_LENGTH);
        if (declaration == null) {
            throw new IllegalArgumentException("a JSON object with the listing's sku, barcode or handle is required");
        }
        InputRules.checkId("sku", declaration.sku(), InputRules.MAX_KEY_LENGTH);
        InputRules.checkId("barcode", declaration.barcode(), InputRules.MAX_KEY_LENGTH);
        InputRules.checkId("handle", declaration.handle(), InputRules.MAX_KEY_LENGTH);
        if (declaration.level() != null) {
            InputRules.checkQuantity("level", declaration.level(), false);
        }
        if (declaration.safetyStock() != null) {
            InputRules.checkQuantity("safetyStock", declaration.safetyStock(), false);
        }
        if (declaration.maxAvailable() != null) {
            InputRules.checkQuantity("maxAvailable", declaration.maxAvailable(), false);
        }
        LinkChange change = catalog.declareListing(store, ref, declaration);
        dispatch.applyEvents(change.unparked());
        dispatch.push(change.listingsToPush());
        return views.listing(change.listing());
    }

    @GetMapping
    ResponseEntity<List<Map<String, Object>>> list(
            @RequestParam(required = false) String store,
            @RequestParam(required = false) Integer limit,
            @RequestParam(required = false) String after) {
        InputRules.checkId("store", store, InputRules.MAX_KEY_LENGTH);
        return Pages.byTextKey(
                limit, after, List.of("store", "ref"), (rows, from) -> views.listings(store, rows, from[0], from[1]));
    }
}
