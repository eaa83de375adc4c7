package io.tally.sandbox.shopify;

import graphql.ExecutionInput;
import graphql.ExecutionResult;
import graphql.GraphQL;
import graphql.GraphQLError;
import graphql.ParseAndValidate;
import graphql.ParseAndValidateResult;
import graphql.execution.RawVariables;
import graphql.language.OperationDefinition;
import graphql.normalized.ExecutableNormalizedOperation;
import graphql.normalized.ExecutableNormalizedOperationFactory;
import graphql.schema.GraphQLSchema;
import graphql.schema.idl.RuntimeWiring;
import graphql.validation.ValidationError;
import io.tally.sandbox.shopify.ShopState.VariantState;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The Admin GraphQL endpoint of the simulator: Shopify's own Admin API 2026-04 schema ({@link ShopifyAdminSchema},
 * the introspection file shipped in the npm package {@code @shopify/dev-mcp} 1.16.0), executed by graphql-java so a
 * wrong query fails validation the way it would against Shopify, plus Shopify's calculated query cost. The simulator
 * implements the part the hub uses (the fetchers wired by {@link ShopifyQueryRoot}, {@link ShopifyObjectWiring} and
 * {@link ShopifyInventoryMutations}, and {@link #MAP_BACKED}); any other field of Shopify's
 * schema answers a GraphQL error saying the simulator does not implement it. {@code ShopifySchemaContractTest}
 * checks that every field implemented here is in Shopify's schema.
 *
 * <p>The schema is large (3,000+ types), so it is built once per JVM ({@link #shared()}); the fetchers keep no
 * state of their own (shop and API version come in the request's GraphQL context).
 *
 * <p>Cost (approximating Shopify's documented rules): scalars and enums 0, an object 1, a list of objects
 * 1 per element (sized by its list argument, e.g. {@code ids}), a connection {@code 2 + first × cost of one
 * node} ({@code pageInfo} and {@code cursor} free), each mutation field 10. The actual cost replaces
 * {@code first} by the number of nodes returned.
 */
final class ShopifyGraphQl {

    // The request pipeline only: the fetchers are wired by ShopifyQueryRoot, ShopifyObjectWiring and
    // ShopifyInventoryMutations (with ShopifyInventoryPayloads), helped by ShopifyFetchers; ShopifyQueryCost prices
    // requests and ShopifyScalars defines DateTime and Money.

    /**
     * The fields the simulator answers from the maps it builds (connections, edges, page info, quantities and the
     * mutation payloads) through graphql-java's property fetcher. Every other field it answers is wired by a fetcher;
     * whatever Shopify's schema has beyond both answers "not implemented by the Tally simulator".
     */
    static final Map<String, Set<String>> MAP_BACKED = mapBacked();

    /**
     * Per wired {@code Type.field}, the arguments its fetcher reads; a field not listed reads none. Shopify's schema
     * allows more (sortKey, reverse, last, before, ...): the simulator refuses those rather than ignore them.
     */
    static final Map<String, Set<String>> ARGUMENTS = Map.ofEntries(
            Map.entry("QueryRoot.location", Set.of("id")),
            Map.entry("QueryRoot.locations", Set.of("first", "after")),
            Map.entry("QueryRoot.products", Set.of("first", "after", "query")),
            Map.entry("QueryRoot.product", Set.of("id")),
            Map.entry("QueryRoot.productVariants", Set.of("first", "after", "query")),
            Map.entry("QueryRoot.productVariant", Set.of("id")),
            Map.entry("QueryRoot.inventoryItem", Set.of("id")),
            Map.entry("QueryRoot.node", Set.of("id")),
            Map.entry("QueryRoot.nodes", Set.of("ids")),
            Map.entry("QueryRoot.reverseFulfillmentOrder", Set.of("id")),
            Map.entry("Product.variants", Set.of("first", "after")),
            Map.entry("InventoryItem.inventoryLevel", Set.of("locationId")),
            Map.entry("InventoryItem.inventoryLevels", Set.of("first", "after")),
            Map.entry("Location.inventoryLevel", Set.of("inventoryItemId")),
            Map.entry("Location.inventoryLevels", Set.of("first", "after")),
            Map.entry("InventoryLevel.quantities", Set.of("names")),
            Map.entry("ReverseFulfillmentOrder.lineItems", Set.of("first", "after")),
            Map.entry("Mutation.inventorySetQuantities", Set.of("input")),
            Map.entry("Mutation.inventoryAdjustQuantities", Set.of("input")));

    private static Map<String, Set<String>> mapBacked() {
        Map<String, Set<String>> fields = new LinkedHashMap<>();
        fields.put("PageInfo", Set.of("hasNextPage", "hasPreviousPage", "startCursor", "endCursor"));
        for (String node :
                List.of("Product", "ProductVariant", "Location", "InventoryLevel", "ReverseFulfillmentOrderLineItem")) {
            fields.put(node + "Connection", Set.of("edges", "nodes", "pageInfo"));
            fields.put(node + "Edge", Set.of("cursor", "node"));
        }
        fields.put("InventoryQuantity", Set.of("name", "quantity", "updatedAt"));
        fields.put("InventoryAdjustmentGroup", Set.of("id", "createdAt", "reason", "referenceDocumentUri", "changes"));
        fields.put(
                "InventoryChange",
                Set.of("name", "delta", "quantityAfterChange", "ledgerDocumentUri", "item", "location"));
        for (String mutation : List.of("InventorySetQuantities", "InventoryAdjustQuantities")) {
            fields.put(mutation + "Payload", Set.of("inventoryAdjustmentGroup", "userErrors"));
            fields.put(mutation + "UserError", Set.of("code", "field", "message"));
        }
        return Map.copyOf(fields);
    }

    static final int MAX_QUERY_COST = 1000;

    /** The InventoryItem object: Shopify keeps it 1:1 with the variant, so it is a view on the variant. */
    record ItemRef(VariantState variant) {}

    /** A FulfillmentLineItem: the simulator keeps one per returned order line, as a view on the return line. */
    record FulfillmentLineRef(ShopState.ReturnLineState returnLine) {}

    /** What the HTTP layer answers: the JSON body and HTTP status. */
    record Answer(
            int status,
            Map<String, Object> body,
            boolean mutation,
            boolean throttled,
            int requestedCost,
            int actualCost) {}

    private static final Pattern FIELD_UNDEFINED = Pattern.compile("Field '([^']+)' in type '([^']+)' is undefined");

    private final GraphQLSchema schema;
    private final GraphQL graphQL;
    private final Map<String, Set<String>> implemented;
    private final ShopifyQueryCost queryCost;

    /** Built on first use: every simulator in the JVM shares the one executable schema. */
    private static final class Shared {
        static final ShopifyGraphQl INSTANCE = new ShopifyGraphQl();
    }

    static ShopifyGraphQl shared() {
        return Shared.INSTANCE;
    }

    private ShopifyGraphQl() {
        RuntimeWiring wiring = new ShopifyObjectWiring()
                .addTo(RuntimeWiring.newRuntimeWiring()
                        .scalar(ShopifyScalars.dateTime())
                        .scalar(ShopifyScalars.money())
                        .type(ShopifyQueryRoot.wiring()))
                .type(new ShopifyInventoryMutations().wiring())
                .build();
        schema = ShopifyAdminSchema.executable(
                wiring,
                MAP_BACKED,
                ARGUMENTS,
                env -> env.getSchema().getObjectType(ShopifyObjectWiring.objectType(env.getObject())));
        graphQL = GraphQL.newGraphQL(schema).build();
        Map<String, Set<String>> fields = new LinkedHashMap<>();
        wiring.getDataFetchers().forEach((type, fetchers) -> {
            if (!fetchers.isEmpty()) {
                fields.put(type, Set.copyOf(fetchers.keySet()));
            }
        });
        MAP_BACKED.forEach((type, mapFields) -> fields.merge(type, mapFields, (a, b) -> {
            Set<String> both = new HashSet<>(a);
            both.addAll(b);
            return Set.copyOf(both);
        }));
        implemented = Map.copyOf(fields);
        queryCost = new ShopifyQueryCost(schema);
    }

    GraphQLSchema schema() {
        return schema;
    }

    /** Per type, the fields the simulator answers (wired fetchers and {@link #MAP_BACKED}); the rest are not implemented. */
    Map<String, Set<String>> implementedFields() {
        return implemented;
    }

    // ------------------------------------------------------------------ request

    /** Validate, price, charge and run one request for a shop (auth and faults are checked by the caller). */
    Answer execute(Shop shop, String version, String query, Map<String, Object> variables, String operationName) {
        Map<String, Object> vars = variables == null ? Map.of() : variables;
        Map<String, Object> ctx = new HashMap<>();
        ctx.put("shop", shop);
        ctx.put("version", version);
        ExecutionInput input = ExecutionInput.newExecutionInput()
                .query(query == null ? "" : query)
                .variables(vars)
                .operationName(operationName)
                .graphQLContext(ctx)
                .build();
        ParseAndValidateResult pv = ParseAndValidate.parseAndValidate(schema, input);
        if (pv.isFailure()) {
            return errors(
                    shop,
                    pv.getErrors().stream().map(ShopifyGraphQl::shopifyError).toList(),
                    false,
                    0);
        }
        ExecutableNormalizedOperation op;
        try {
            op = ExecutableNormalizedOperationFactory.createExecutableNormalizedOperationWithRawVariables(
                    schema, pv.getDocument(), operationName, RawVariables.of(vars));
        } catch (RuntimeException e) {
            Map<String, Object> err = new LinkedHashMap<>();
            err.put("message", e.getMessage());
            return errors(shop, List.of(err), false, 0);
        }
        boolean mutation = op.getOperation() == OperationDefinition.Operation.MUTATION;
        int requested = mutation
                ? 10 * op.getTopLevelFields().size()
                : (int) Math.round(op.getTopLevelFields().stream()
                        .mapToDouble(f -> queryCost.cost(f, null, false))
                        .sum());
        if (requested > MAX_QUERY_COST) {
            Map<String, Object> err = new LinkedHashMap<>();
            err.put(
                    "message",
                    "Query cost is " + requested + ", which exceeds the single query max cost limit (" + MAX_QUERY_COST
                            + ").");
            err.put("extensions", Map.of("code", "MAX_COST_EXCEEDED", "cost", requested, "maxCost", MAX_QUERY_COST));
            return errors(shop, List.of(err), mutation, requested);
        }
        if (!shop.charge(requested)) {
            Map<String, Object> err = new LinkedHashMap<>();
            err.put("message", "Throttled");
            Map<String, Object> ext = new LinkedHashMap<>();
            ext.put("code", "THROTTLED");
            ext.put("documentation", "https://shopify.dev/api/usage/rate-limits");
            err.put("extensions", ext);
            Map<String, Object> body = new LinkedHashMap<>();
            body.put("errors", List.of(err));
            body.put("extensions", Map.of("cost", ShopifyQueryCost.extension(shop, requested, 0)));
            return new Answer(200, body, mutation, true, requested, 0);
        }
        ExecutionResult result = graphQL.execute(input);
        Object data = result.getData();
        int actual = mutation
                ? requested
                : (int) Math.round(op.getTopLevelFields().stream()
                        .mapToDouble(f ->
                                queryCost.cost(f, data instanceof Map<?, ?> m ? m.get(f.getResultKey()) : null, true))
                        .sum());
        actual = Math.min(actual, requested);
        shop.refund(requested - actual);
        Map<String, Object> body = new LinkedHashMap<>(result.toSpecification());
        body.put("extensions", Map.of("cost", ShopifyQueryCost.extension(shop, requested, actual)));
        return new Answer(200, body, mutation, false, requested, actual);
    }

    private Answer errors(Shop shop, List<Map<String, Object>> errs, boolean mutation, int requested) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("errors", errs);
        body.put("extensions", Map.of("cost", ShopifyQueryCost.extension(shop, requested, 0)));
        return new Answer(200, body, mutation, false, requested, 0);
    }

    /** graphql-java's error, with Shopify's wording and code for an undefined field. */
    private static Map<String, Object> shopifyError(GraphQLError e) {
        Map<String, Object> spec = new LinkedHashMap<>(e.toSpecification());
        if (e instanceof ValidationError ve) {
            Matcher m = FIELD_UNDEFINED.matcher(ve.getDescription() == null ? "" : ve.getDescription());
            if (m.find()) {
                spec.put("message", "Field '" + m.group(1) + "' doesn't exist on type '" + m.group(2) + "'");
                spec.put(
                        "extensions",
                        Map.of("code", "undefinedField", "typeName", m.group(2), "fieldName", m.group(1)));
            }
        }
        return spec;
    }
}
