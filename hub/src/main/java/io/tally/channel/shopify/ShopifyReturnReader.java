package io.tally.channel.shopify;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.springframework.stereotype.Component;

/**
 * Reads a reverse fulfillment order through the Admin GraphQL API: its order, and per line item the order line and
 * variant it returns and its dispositions. A {@code reverse_fulfillment_orders/dispose} webhook names only the
 * reverse fulfillment order line items, so this is how Tally learns what was restocked.
 *
 * <p>Field paths from Shopify's Admin API 2026-04 schema ({@code QueryRoot.reverseFulfillmentOrder},
 * {@code ReverseFulfillmentOrder.order / lineItems}, {@code ReverseFulfillmentOrderLineItem.fulfillmentLineItem /
 * dispositions}, {@code FulfillmentLineItem.lineItem}, {@code LineItem.variant}); the query is validated against that
 * schema by {@code ShopifySchemaContractTest}. Needs the {@code read_returns} scope (the schema's
 * {@code requiredAccess} of {@code reverseFulfillmentOrder}) besides {@code read_orders}.
 */
@Component
public class ShopifyReturnReader {

    static final String REVERSE_FULFILLMENT_ORDER = """
            query TallyReverseFulfillmentOrder($id: ID!, $first: Int!, $after: String) {
              reverseFulfillmentOrder(id: $id) {
                id
                order { id }
                lineItems(first: $first, after: $after) {
                  pageInfo { hasNextPage endCursor }
                  nodes {
                    id
                    fulfillmentLineItem { lineItem { id variant { id } } }
                    dispositions { id type quantity createdAt location { id } }
                  }
                }
              }
            }
            """;

    private static final int PAGE = 50;
    /** Per line item: the item, its fulfillment line, order line, variant and a few dispositions with locations. */
    private static final int POINTS_PER_LINE = 8;

    private final ShopifyAdminClient client;

    public ShopifyReturnReader(ShopifyAdminClient client) {
        this.client = client;
    }

    /**
     * @param rfoId the reverse fulfillment order's numeric id or GID
     * @return {@code {id, order, lineItems: [...all pages' nodes]}}, or null when Shopify knows no such order
     */
    public JsonNode read(String store, String rfoId) {
        String gid = ShopifyCatalogReader.gid("ReverseFulfillmentOrder", rfoId);
        ObjectNode result = null;
        List<JsonNode> lines = new ArrayList<>();
        String after = null;
        do {
            Map<String, Object> variables = new HashMap<>();
            variables.put("id", gid);
            variables.put("first", PAGE);
            variables.put("after", after);
            JsonNode rfo = client.execute(store, REVERSE_FULFILLMENT_ORDER, variables, PAGE * POINTS_PER_LINE + 3)
                    .path("reverseFulfillmentOrder");
            if (!rfo.isObject()) {
                return null;
            }
            if (result == null) {
                result = JsonNodeFactory.instance.objectNode();
                result.set("id", rfo.path("id"));
                result.set("order", rfo.path("order"));
            }
            JsonNode page = rfo.path("lineItems");
            page.path("nodes").forEach(lines::add);
            after = page.path("pageInfo").path("hasNextPage").asBoolean(false)
                    ? page.path("pageInfo").path("endCursor").asText(null)
                    : null;
        } while (after != null);
        result.putArray("lineItems").addAll(lines);
        return result;
    }
}
