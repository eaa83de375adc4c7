package io.tally.sandbox.shopify;

import static io.tally.sandbox.shopify.ShopifyFetchers.shop;
import static io.tally.sandbox.shopify.ShopifyInventoryPayloads.change;
import static io.tally.sandbox.shopify.ShopifyInventoryPayloads.changeFromQuantityMissing;
import static io.tally.sandbox.shopify.ShopifyInventoryPayloads.checkReasonAndRef;
import static io.tally.sandbox.shopify.ShopifyInventoryPayloads.group;
import static io.tally.sandbox.shopify.ShopifyInventoryPayloads.payload;
import static io.tally.sandbox.shopify.ShopifyInventoryPayloads.resolveLevel;
import static io.tally.sandbox.shopify.ShopifyInventoryPayloads.userError;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import graphql.GraphqlErrorBuilder;
import graphql.execution.DataFetcherResult;
import graphql.execution.directives.QueryAppliedDirective;
import graphql.execution.directives.QueryAppliedDirectiveArgument;
import graphql.schema.DataFetchingEnvironment;
import graphql.schema.idl.TypeRuntimeWiring;
import io.tally.sandbox.shopify.ShopState.LevelState;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The Mutation fields the simulator implements, {@code inventorySetQuantities} (with its compare-and-set) and
 * {@code inventoryAdjustQuantities}, both under Shopify's {@code @idempotent} directive. Each checks its whole input
 * first (all or nothing) and only then changes the levels, under the shop's lock.
 */
final class ShopifyInventoryMutations {

    private final ObjectMapper canonical =
            new ObjectMapper().configure(SerializationFeature.ORDER_MAP_ENTRIES_BY_KEYS, true);

    TypeRuntimeWiring.Builder wiring() {
        return TypeRuntimeWiring.newTypeWiring("Mutation")
                .dataFetcher("inventorySetQuantities", env -> mutation(env, true))
                .dataFetcher("inventoryAdjustQuantities", env -> mutation(env, false));
    }

    private Object mutation(DataFetchingEnvironment env, boolean set) {
        Shop shop = shop(env);
        String version = env.getGraphQlContext().get("version");
        String field = env.getField().getName();
        String key = null;
        for (QueryAppliedDirective d : env.getQueryDirectives().getImmediateAppliedDirective("idempotent")) {
            QueryAppliedDirectiveArgument arg = d.getArgument("key");
            if (arg != null && arg.getValue() != null) {
                key = arg.getValue().toString();
            }
        }
        if (key == null && shop.settings().requireIdempotencyKey()) {
            return DataFetcherResult.newResult()
                    .error(GraphqlErrorBuilder.newError(env)
                            .message(
                                    "The @idempotent directive is required for this mutation: add @idempotent(key: \"<unique key>\") "
                                            + "to the " + field + " field.")
                            .extensions(Map.of("code", "IDEMPOTENCY_KEY_REQUIRED"))
                            .build())
                    .build();
        }
        String arguments;
        try {
            arguments = canonical.writeValueAsString(env.getArguments());
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
        synchronized (shop.lock) {
            if (key != null) {
                ShopState.IdempotentEntry previous = shop.idempotency.get(key);
                if (previous != null) {
                    if (previous.field().equals(field) && previous.arguments().equals(arguments)) {
                        return previous.payload();
                    }
                    return payload(
                            null,
                            List.of(userError(
                                    "IDEMPOTENCY_KEY_PARAMETER_MISMATCH",
                                    null,
                                    "The same idempotency key cannot be used with different operation parameters.")));
                }
            }
            Map<String, Object> input = env.getArgument("input");
            Map<String, Object> payload =
                    set ? setQuantities(shop, version, input) : adjustQuantities(shop, version, input);
            if (key != null) {
                shop.idempotency.put(key, new ShopState.IdempotentEntry(field, arguments, payload));
            }
            return payload;
        }
    }

    private Map<String, Object> setQuantities(Shop shop, String version, Map<String, Object> input) {
        List<Map<String, Object>> errors = new ArrayList<>();
        String name = (String) input.get("name");
        String reason = (String) input.get("reason");
        String ref = (String) input.get("referenceDocumentUri");
        boolean casMandatory = atLeast(version, "2026-04");
        if (!"available".equals(name) && !"on_hand".equals(name)) {
            errors.add(userError(
                    "INVALID_NAME",
                    List.of("input", "name"),
                    "The quantity name must be either 'available' or 'on_hand'."));
        }
        checkReasonAndRef(reason, ref, errors);
        @SuppressWarnings("unchecked")
        List<Map<String, Object>> quantities = (List<Map<String, Object>>) input.get("quantities");
        List<LevelState> targets = new ArrayList<>();
        Set<LevelState> seen = new HashSet<>();
        for (int i = 0; i < quantities.size(); i++) {
            Map<String, Object> q = quantities.get(i);
            String idx = Integer.toString(i);
            LevelState level = resolveLevel(shop, q, List.of("input", "quantities", idx), errors);
            targets.add(level);
            int quantity = ((Number) q.get("quantity")).intValue();
            if (quantity > 1_000_000_000) {
                errors.add(userError(
                        "INVALID_QUANTITY_TOO_HIGH",
                        List.of("input", "quantities", idx, "quantity"),
                        "The quantity can't be higher than 1,000,000,000."));
            } else if (quantity < -1_000_000_000) {
                errors.add(userError(
                        "INVALID_QUANTITY_TOO_LOW",
                        List.of("input", "quantities", idx, "quantity"),
                        "The quantity can't be lower than -1,000,000,000."));
            } else if (quantity < 0 && "on_hand".equals(name)) {
                errors.add(userError(
                        "INVALID_QUANTITY_NEGATIVE",
                        List.of("input", "quantities", idx, "quantity"),
                        "The quantity can't be negative."));
            }
            if (level == null) {
                continue;
            }
            if (!seen.add(level)) {
                errors.add(userError(
                        "NO_DUPLICATE_INVENTORY_ITEM_ID_GROUP_ID_PAIR",
                        List.of("input", "quantities", idx),
                        "The combination of inventoryItemId and locationId must be unique."));
            }
            long current = level.available;
            if (q.containsKey("changeFromQuantity")) {
                Object cfq = q.get("changeFromQuantity");
                if (cfq != null && ((Number) cfq).longValue() != current) {
                    errors.add(userError(
                            "CHANGE_FROM_QUANTITY_STALE",
                            List.of("input", "quantities", idx, "changeFromQuantity"),
                            "The changeFromQuantity value does not match persisted value."));
                }
            } else if (casMandatory) {
                errors.add(changeFromQuantityMissing(List.of("input", "quantities", idx, "changeFromQuantity")));
            }
        }
        if (!errors.isEmpty()) {
            return payload(null, errors);
        }
        List<Map<String, Object>> changes = new ArrayList<>();
        List<Map<String, Object>> onHandChanges = new ArrayList<>();
        for (int i = 0; i < quantities.size(); i++) {
            LevelState level = targets.get(i);
            long quantity = ((Number) quantities.get(i).get("quantity")).longValue();
            long delta = quantity - level.available;
            shop.inventory.changeLevel(level, quantity);
            changes.add(change("available", delta, level));
            onHandChanges.add(change("on_hand", delta, level));
        }
        changes.addAll(onHandChanges);
        return payload(group(shop, reason, ref, changes), List.of());
    }

    private Map<String, Object> adjustQuantities(Shop shop, String version, Map<String, Object> input) {
        List<Map<String, Object>> errors = new ArrayList<>();
        String name = (String) input.get("name");
        String reason = (String) input.get("reason");
        String ref = (String) input.get("referenceDocumentUri");
        if (!"available".equals(name)) {
            errors.add(userError(
                    "INVALID_QUANTITY_NAME",
                    List.of("input", "name"),
                    "The simulator only tracks the 'available' quantity; name must be 'available'."));
        }
        checkReasonAndRef(reason, ref, errors);
        @SuppressWarnings("unchecked")
        List<Map<String, Object>> changes = (List<Map<String, Object>>) input.get("changes");
        List<LevelState> targets = new ArrayList<>();
        Map<LevelState, Long> after = new LinkedHashMap<>();
        for (int i = 0; i < changes.size(); i++) {
            Map<String, Object> c = changes.get(i);
            String idx = Integer.toString(i);
            LevelState level = resolveLevel(shop, c, List.of("input", "changes", idx), errors);
            targets.add(level);
            Object ledger = c.get("ledgerDocumentUri");
            if (ledger != null
                    && (ledger.toString().startsWith("gid://shopify/")
                            || !ledger.toString().contains("://"))) {
                errors.add(userError(
                        "INVALID_LEDGER_DOCUMENT",
                        List.of("input", "changes", idx, "ledgerDocumentUri"),
                        "The ledger document URI must be a non-Shopify URI with a scheme."));
            }
            if (!c.containsKey("changeFromQuantity") && atLeast(version, "2026-04")) {
                errors.add(changeFromQuantityMissing(List.of("input", "changes", idx, "changeFromQuantity")));
            }
            if (level == null) {
                continue;
            }
            Object cfq = c.get("changeFromQuantity");
            long base = after.getOrDefault(level, level.available);
            if (cfq != null && ((Number) cfq).longValue() != base) {
                errors.add(userError(
                        "CHANGE_FROM_QUANTITY_STALE",
                        List.of("input", "changes", idx, "changeFromQuantity"),
                        "The changeFromQuantity value does not match persisted value."));
            }
            long next = base + ((Number) c.get("delta")).longValue();
            if (next > 1_000_000_000L) {
                errors.add(userError(
                        "INVALID_QUANTITY_TOO_HIGH",
                        List.of("input", "changes", idx, "delta"),
                        "The quantity can't be higher than 1,000,000,000."));
            }
            after.put(level, next);
        }
        if (!errors.isEmpty()) {
            return payload(null, errors);
        }
        List<Map<String, Object>> out = new ArrayList<>();
        List<Map<String, Object>> onHand = new ArrayList<>();
        for (int i = 0; i < changes.size(); i++) {
            LevelState level = targets.get(i);
            long delta = ((Number) changes.get(i).get("delta")).longValue();
            shop.inventory.changeLevel(level, level.available + delta);
            out.add(change("available", delta, level));
            onHand.add(change("on_hand", delta, level));
        }
        out.addAll(onHand);
        return payload(group(shop, reason, ref, out), List.of());
    }

    /** {@code version >= floor} for {@code YYYY-MM} versions; {@code unstable} counts as newest. */
    static boolean atLeast(String version, String floor) {
        return version == null || version.equals("unstable") || version.compareTo(floor) >= 0;
    }
}
