package io.tally.sandbox.shopify;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import graphql.ExecutionInput;
import graphql.ExecutionResult;
import graphql.GraphQL;
import graphql.GraphQLError;
import graphql.GraphqlErrorBuilder;
import graphql.ParseAndValidate;
import graphql.ParseAndValidateResult;
import graphql.execution.DataFetcherResult;
import graphql.execution.RawVariables;
import graphql.execution.directives.QueryAppliedDirective;
import graphql.execution.directives.QueryAppliedDirectiveArgument;
import graphql.language.OperationDefinition;
import graphql.normalized.ExecutableNormalizedField;
import graphql.normalized.ExecutableNormalizedOperation;
import graphql.normalized.ExecutableNormalizedOperationFactory;
import graphql.schema.Coercing;
import graphql.schema.DataFetchingEnvironment;
import graphql.schema.GraphQLEnumType;
import graphql.schema.GraphQLScalarType;
import graphql.schema.GraphQLSchema;
import graphql.schema.GraphQLType;
import graphql.schema.GraphQLTypeUtil;
import graphql.schema.idl.RuntimeWiring;
import graphql.schema.idl.TypeRuntimeWiring;
import graphql.validation.ValidationError;
import io.tally.sandbox.shopify.Shop.LevelState;
import io.tally.sandbox.shopify.Shop.LocationState;
import io.tally.sandbox.shopify.Shop.ProductState;
import io.tally.sandbox.shopify.Shop.VariantState;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.function.ToLongFunction;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The Admin GraphQL endpoint of the simulator: Shopify's own Admin API 2026-04 schema ({@link ShopifyAdminSchema},
 * the introspection file shipped in the npm package {@code @shopify/dev-mcp} 1.16.0), executed by graphql-java so a
 * wrong query fails validation the way it would against Shopify, plus Shopify's calculated query cost. The simulator
 * implements the part the hub uses (the fetchers below and {@link #MAP_BACKED}); any other field of Shopify's
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

    /**
     * The fields the simulator answers from the maps it builds (connections, edges, page info, quantities and the
     * mutation payloads) through graphql-java's property fetcher. Every other field it answers is wired below;
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

    /** Reasons Shopify accepts for inventory changes (channels.md §1.4). */
    static final Set<String> REASONS = Set.of(
            "correction",
            "cycle_count_available",
            "damaged",
            "movement_created",
            "movement_updated",
            "movement_received",
            "movement_canceled",
            "other",
            "promotion",
            "quality_control",
            "received",
            "reservation_created",
            "reservation_deleted",
            "reservation_updated",
            "restock",
            "safety_stock",
            "shrinkage");

    /** Quantity names a level can be read with; the simulator keeps committed and the rest at 0. */
    static final Set<String> QUANTITY_NAMES = Set.of(
            "available", "on_hand", "committed", "incoming", "reserved", "damaged", "quality_control", "safety_stock");

    static final int MAX_QUERY_COST = 1000;
    static final int MAX_PAGE = 250;

    /** The InventoryItem object: Shopify keeps it 1:1 with the variant, so it is a view on the variant. */
    record ItemRef(VariantState variant) {}

    /** A FulfillmentLineItem: the simulator keeps one per returned order line, as a view on the return line. */
    record FulfillmentLineRef(Shop.ReturnLineState returnLine) {}

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
    private final ObjectMapper canonical =
            new ObjectMapper().configure(SerializationFeature.ORDER_MAP_ENTRIES_BY_KEYS, true);

    /** Built on first use: every simulator in the JVM shares the one executable schema. */
    private static final class Shared {
        static final ShopifyGraphQl INSTANCE = new ShopifyGraphQl();
    }

    static ShopifyGraphQl shared() {
        return Shared.INSTANCE;
    }

    private ShopifyGraphQl() {
        GraphQLScalarType dateTime = GraphQLScalarType.newScalar()
                .name("DateTime")
                .description("ISO-8601 date and time, UTC")
                .coercing(new Coercing<Object, String>() {
                    @Override
                    @SuppressWarnings("deprecation")
                    public String serialize(Object o) {
                        // Whole seconds, as Shopify sends them ("2019-09-07T15:50:00Z",
                        // https://shopify.dev/docs/api/admin-graphql/latest/scalars/DateTime): two changes in one
                        // second carry the same time, which Tally must cope with.
                        return o instanceof Instant i
                                ? i.truncatedTo(java.time.temporal.ChronoUnit.SECONDS)
                                        .toString()
                                : String.valueOf(o);
                    }

                    @Override
                    @SuppressWarnings("deprecation")
                    public Object parseValue(Object o) {
                        return Instant.parse(String.valueOf(o));
                    }

                    @Override
                    @SuppressWarnings("deprecation")
                    public Object parseLiteral(Object o) {
                        return Instant.parse(((graphql.language.StringValue) o).getValue());
                    }
                })
                .build();
        RuntimeWiring wiring = RuntimeWiring.newRuntimeWiring()
                .scalar(dateTime)
                // Shopify's Money scalar is a decimal amount serialised as a string, e.g. "19.99" (2026-04 schema).
                .scalar(GraphQLScalarType.newScalar()
                        .name("Money")
                        .description("A decimal amount, as a string")
                        .coercing(graphql.Scalars.GraphQLString.getCoercing())
                        .build())
                .type(queryWiring())
                .type(TypeRuntimeWiring.newTypeWiring("Shop")
                        .dataFetcher(
                                "id",
                                env -> "gid://shopify/Shop/"
                                        + Math.abs((long) shop(env).name().hashCode()))
                        .dataFetcher("name", env -> shop(env).name())
                        .dataFetcher("myshopifyDomain", env -> shop(env).domain()))
                .type(TypeRuntimeWiring.newTypeWiring("Product")
                        .dataFetcher("id", env -> Shop.gid("Product", this.<ProductState>src(env).id))
                        .dataFetcher("title", env -> this.<ProductState>src(env).title)
                        .dataFetcher("handle", env -> this.<ProductState>src(env).handle)
                        .dataFetcher("status", env -> this.<ProductState>src(env).status)
                        .dataFetcher("tags", env -> locked(env, () -> List.copyOf(this.<ProductState>src(env).tags)))
                        .dataFetcher(
                                "totalInventory",
                                env -> locked(
                                        env,
                                        () -> this.<ProductState>src(env).variants.stream()
                                                .flatMap(v -> shop(env).levelsOf(v).stream())
                                                .mapToLong(l -> l.available)
                                                .sum()))
                        .dataFetcher("createdAt", env -> this.<ProductState>src(env).createdAt)
                        .dataFetcher("updatedAt", env -> this.<ProductState>src(env).updatedAt)
                        .dataFetcher(
                                "variants",
                                env -> locked(
                                        env,
                                        () -> connection(
                                                env, List.copyOf(this.<ProductState>src(env).variants), v -> v.id))))
                .type(TypeRuntimeWiring.newTypeWiring("ProductVariant")
                        .dataFetcher("id", env -> Shop.gid("ProductVariant", this.<VariantState>src(env).id))
                        .dataFetcher("title", env -> this.<VariantState>src(env).title)
                        .dataFetcher("sku", env -> this.<VariantState>src(env).sku)
                        .dataFetcher("barcode", env -> this.<VariantState>src(env).barcode)
                        .dataFetcher("price", env -> this.<VariantState>src(env).price)
                        .dataFetcher("product", env -> this.<VariantState>src(env).product)
                        .dataFetcher("inventoryItem", env -> new ItemRef(src(env)))
                        .dataFetcher(
                                "inventoryQuantity",
                                env -> locked(env, () -> (int) shop(env).levelsOf(src(env)).stream()
                                        .mapToLong(l -> l.available)
                                        .sum()))
                        .dataFetcher("updatedAt", env -> this.<VariantState>src(env).updatedAt))
                .type(TypeRuntimeWiring.newTypeWiring("InventoryItem")
                        .dataFetcher(
                                "id",
                                env -> Shop.gid(
                                        "InventoryItem", this.<ItemRef>src(env).variant().itemId))
                        .dataFetcher("sku", env -> this.<ItemRef>src(env).variant().sku)
                        .dataFetcher("tracked", env -> this.<ItemRef>src(env).variant().tracked)
                        .dataFetcher("variant", env -> this.<ItemRef>src(env).variant())
                        .dataFetcher(
                                "inventoryLevel",
                                env -> locked(env, () -> {
                                    Long loc = parseGid(env.getArgument("locationId"), "Location");
                                    return loc == null
                                            ? null
                                            : shop(env)
                                                    .level(
                                                            this.<ItemRef>src(env)
                                                                    .variant()
                                                                    .itemId,
                                                            loc);
                                }))
                        .dataFetcher(
                                "inventoryLevels",
                                env -> locked(
                                        env,
                                        () -> connection(
                                                env,
                                                shop(env)
                                                        .levelsOf(this.<ItemRef>src(env)
                                                                .variant()),
                                                l -> l.location.id))))
                .type(TypeRuntimeWiring.newTypeWiring("Location")
                        .dataFetcher("id", env -> Shop.gid("Location", this.<LocationState>src(env).id))
                        .dataFetcher("name", env -> this.<LocationState>src(env).name)
                        .dataFetcher("isActive", env -> this.<LocationState>src(env).active)
                        .dataFetcher(
                                "inventoryLevel",
                                env -> locked(env, () -> {
                                    Long item = parseGid(env.getArgument("inventoryItemId"), "InventoryItem");
                                    return item == null ? null : shop(env).level(item, this.<LocationState>src(env).id);
                                }))
                        .dataFetcher(
                                "inventoryLevels",
                                env -> locked(env, () -> {
                                    LocationState loc = src(env);
                                    return connection(
                                            env,
                                            shop(env).levels.values().stream()
                                                    .filter(l -> l.location == loc)
                                                    .toList(),
                                            l -> l.variant.itemId);
                                })))
                .type(TypeRuntimeWiring.newTypeWiring("InventoryLevel")
                        .dataFetcher("id", env -> this.<LevelState>src(env).gid())
                        .dataFetcher("location", env -> this.<LevelState>src(env).location)
                        .dataFetcher("item", env -> new ItemRef(this.<LevelState>src(env).variant))
                        .dataFetcher("updatedAt", env -> this.<LevelState>src(env).updatedAt)
                        .dataFetcher("quantities", env -> locked(env, () -> quantities(env))))
                .type(TypeRuntimeWiring.newTypeWiring("ReverseFulfillmentOrder")
                        .dataFetcher(
                                "id", env -> Shop.gid("ReverseFulfillmentOrder", this.<Shop.ReturnState>src(env).rfoId))
                        .dataFetcher("order", env -> this.<Shop.ReturnState>src(env).order)
                        .dataFetcher(
                                "lineItems",
                                env -> locked(
                                        env,
                                        () -> connection(
                                                env,
                                                List.copyOf(this.<Shop.ReturnState>src(env).lines),
                                                l -> l.rfoLineId))))
                .type(TypeRuntimeWiring.newTypeWiring("ReverseFulfillmentOrderLineItem")
                        .dataFetcher(
                                "id",
                                env -> Shop.gid(
                                        "ReverseFulfillmentOrderLineItem",
                                        this.<Shop.ReturnLineState>src(env).rfoLineId))
                        .dataFetcher("totalQuantity", env -> this.<Shop.ReturnLineState>src(env).quantity)
                        .dataFetcher("fulfillmentLineItem", env -> new FulfillmentLineRef(src(env)))
                        .dataFetcher(
                                "dispositions",
                                env -> locked(
                                        env, () -> List.copyOf(this.<Shop.ReturnLineState>src(env).dispositions))))
                .type(TypeRuntimeWiring.newTypeWiring("ReverseFulfillmentOrderDisposition")
                        .dataFetcher(
                                "id",
                                env -> Shop.gid(
                                        "ReverseFulfillmentOrderDisposition", this.<Shop.DispositionState>src(env).id))
                        .dataFetcher("createdAt", env -> this.<Shop.DispositionState>src(env).createdAt)
                        .dataFetcher("location", env -> this.<Shop.DispositionState>src(env).location)
                        .dataFetcher("quantity", env -> this.<Shop.DispositionState>src(env).quantity)
                        .dataFetcher("type", env -> this.<Shop.DispositionState>src(env).type))
                .type(TypeRuntimeWiring.newTypeWiring("FulfillmentLineItem")
                        .dataFetcher(
                                "id",
                                env -> Shop.gid(
                                        "FulfillmentLineItem",
                                        this.<FulfillmentLineRef>src(env).returnLine().fulfillmentLineId))
                        .dataFetcher(
                                "quantity",
                                env -> this.<FulfillmentLineRef>src(env).returnLine().line.quantity)
                        .dataFetcher(
                                "lineItem",
                                env -> this.<FulfillmentLineRef>src(env).returnLine().line))
                .type(TypeRuntimeWiring.newTypeWiring("LineItem")
                        .dataFetcher("id", env -> Shop.gid("LineItem", this.<Shop.LineState>src(env).id))
                        .dataFetcher("sku", env -> this.<Shop.LineState>src(env).sku)
                        .dataFetcher("quantity", env -> this.<Shop.LineState>src(env).quantity)
                        .dataFetcher("variant", env -> this.<Shop.LineState>src(env).variant))
                .type(TypeRuntimeWiring.newTypeWiring("Order")
                        .dataFetcher("id", env -> Shop.gid("Order", this.<Shop.OrderState>src(env).id))
                        .dataFetcher("name", env -> this.<Shop.OrderState>src(env).name))
                .type(TypeRuntimeWiring.newTypeWiring("Mutation")
                        .dataFetcher("inventorySetQuantities", env -> mutation(env, true))
                        .dataFetcher("inventoryAdjustQuantities", env -> mutation(env, false)))
                .build();
        schema = ShopifyAdminSchema.executable(
                wiring, MAP_BACKED, ARGUMENTS, env -> env.getSchema().getObjectType(objectType(env.getObject())));
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
    }

    /** The object type of a simulator value, for every interface (Node, ...) and union of Shopify's schema. */
    static String objectType(Object o) {
        return o instanceof ProductState
                ? "Product"
                : o instanceof VariantState
                        ? "ProductVariant"
                        : o instanceof ItemRef
                                ? "InventoryItem"
                                : o instanceof LocationState
                                        ? "Location"
                                        : o instanceof LevelState
                                                ? "InventoryLevel"
                                                : o instanceof Shop.ReturnState
                                                        ? "ReverseFulfillmentOrder"
                                                        : o instanceof Shop.ReturnLineState
                                                                ? "ReverseFulfillmentOrderLineItem"
                                                                : o instanceof Shop.DispositionState
                                                                        ? "ReverseFulfillmentOrderDisposition"
                                                                        : o instanceof FulfillmentLineRef
                                                                                ? "FulfillmentLineItem"
                                                                                : o instanceof Shop.LineState
                                                                                        ? "LineItem"
                                                                                        : o instanceof Shop.OrderState
                                                                                                ? "Order"
                                                                                                : "Shop";
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
                        .mapToDouble(f -> cost(f, null, false))
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
            body.put("extensions", Map.of("cost", cost(shop, requested, 0)));
            return new Answer(200, body, mutation, true, requested, 0);
        }
        ExecutionResult result = graphQL.execute(input);
        Object data = result.getData();
        int actual = mutation
                ? requested
                : (int) Math.round(op.getTopLevelFields().stream()
                        .mapToDouble(f -> cost(f, data instanceof Map<?, ?> m ? m.get(f.getResultKey()) : null, true))
                        .sum());
        actual = Math.min(actual, requested);
        shop.refund(requested - actual);
        Map<String, Object> body = new LinkedHashMap<>(result.toSpecification());
        body.put("extensions", Map.of("cost", cost(shop, requested, actual)));
        return new Answer(200, body, mutation, false, requested, actual);
    }

    private Answer errors(Shop shop, List<Map<String, Object>> errs, boolean mutation, int requested) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("errors", errs);
        body.put("extensions", Map.of("cost", cost(shop, requested, 0)));
        return new Answer(200, body, mutation, false, requested, 0);
    }

    private static Map<String, Object> cost(Shop shop, int requested, int actual) {
        Map<String, Object> c = new LinkedHashMap<>();
        c.put("requestedQueryCost", requested);
        c.put("actualQueryCost", actual);
        c.put("throttleStatus", shop.throttleStatus());
        return c;
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

    // ------------------------------------------------------------------ cost

    private double cost(ExecutableNormalizedField f, Object value, boolean actual) {
        GraphQLType t = f.getType(schema);
        GraphQLType named = GraphQLTypeUtil.unwrapAll(t);
        if (named instanceof GraphQLScalarType || named instanceof GraphQLEnumType) {
            return 0;
        }
        String typeName = GraphQLTypeUtil.simplePrint(named);
        if (typeName.endsWith("Connection")) {
            double c = 2;
            if (!actual) {
                Object first = f.getResolvedArguments().get("first");
                int n = first instanceof Number num ? num.intValue() : 0;
                double perNode = 0;
                for (ExecutableNormalizedField child : f.getChildren()) {
                    if (child.getName().equals("edges")) {
                        for (ExecutableNormalizedField node : child.getChildren()) {
                            if (node.getName().equals("node")) {
                                perNode += cost(node, null, false);
                            }
                        }
                    } else if (child.getName().equals("nodes")) {
                        perNode += 1 + childCost(child, null, false);
                    }
                }
                return c + n * perNode;
            }
            if (!(value instanceof Map<?, ?> conn)) {
                return c;
            }
            for (ExecutableNormalizedField child : f.getChildren()) {
                Object list = conn.get(child.getResultKey());
                if (!(list instanceof List<?> items)) {
                    continue;
                }
                for (Object item : items) {
                    if (child.getName().equals("edges") && item instanceof Map<?, ?> edge) {
                        for (ExecutableNormalizedField node : child.getChildren()) {
                            if (node.getName().equals("node")) {
                                c += cost(node, edge.get(node.getResultKey()), true);
                            }
                        }
                    } else if (child.getName().equals("nodes") && item != null) {
                        c += 1 + childCost(child, item, true);
                    }
                }
            }
            return c;
        }
        if (GraphQLTypeUtil.isList(GraphQLTypeUtil.unwrapNonNull(t))) {
            if (actual) {
                double c = 0;
                if (value instanceof List<?> items) {
                    for (Object item : items) {
                        c += item == null ? 0 : 1 + childCost(f, item, true);
                    }
                }
                return c;
            }
            int n = 1;
            for (Object arg : f.getResolvedArguments().values()) {
                if (arg instanceof List<?> l) {
                    n = Math.max(1, l.size());
                }
            }
            return n * (1 + childCost(f, null, false));
        }
        return 1 + childCost(f, value, actual);
    }

    private double childCost(ExecutableNormalizedField f, Object value, boolean actual) {
        double c = 0;
        for (ExecutableNormalizedField child : f.getChildren()) {
            Object v = actual && value instanceof Map<?, ?> m ? m.get(child.getResultKey()) : null;
            c += cost(child, v, actual);
        }
        return c;
    }

    // ------------------------------------------------------------------ queries

    private TypeRuntimeWiring.Builder queryWiring() {
        return TypeRuntimeWiring.newTypeWiring("QueryRoot")
                .dataFetcher("shop", env -> shop(env))
                .dataFetcher(
                        "location",
                        env -> locked(env, () -> {
                            String id = env.getArgument("id");
                            if (id == null) {
                                return shop(env).primary();
                            }
                            Long loc = parseGid(id, "Location");
                            return loc == null ? null : shop(env).location(loc);
                        }))
                .dataFetcher(
                        "locations",
                        env -> locked(env, () -> connection(env, List.copyOf(shop(env).locations), l -> l.id)))
                .dataFetcher(
                        "products",
                        env -> locked(env, () -> {
                            String q = env.getArgument("query");
                            return connection(
                                    env,
                                    shop(env).products.values().stream()
                                            .filter(p -> q == null
                                                    || p.variants.stream().anyMatch(v -> matches(p, v, q)))
                                            .toList(),
                                    p -> p.id);
                        }))
                .dataFetcher(
                        "product",
                        env -> locked(env, () -> {
                            Long id = parseGid(env.getArgument("id"), "Product");
                            return id == null ? null : shop(env).products.get(id);
                        }))
                .dataFetcher(
                        "productVariants",
                        env -> locked(env, () -> {
                            String q = env.getArgument("query");
                            return connection(
                                    env,
                                    shop(env).variants.values().stream()
                                            .filter(v -> q == null || matches(v.product, v, q))
                                            .toList(),
                                    v -> v.id);
                        }))
                .dataFetcher(
                        "productVariant",
                        env -> locked(env, () -> {
                            Long id = parseGid(env.getArgument("id"), "ProductVariant");
                            return id == null ? null : shop(env).variants.get(id);
                        }))
                .dataFetcher(
                        "inventoryItem",
                        env -> locked(env, () -> {
                            Long id = parseGid(env.getArgument("id"), "InventoryItem");
                            VariantState v =
                                    id == null ? null : shop(env).variantsByItem.get(id);
                            return v == null ? null : new ItemRef(v);
                        }))
                .dataFetcher(
                        "reverseFulfillmentOrder",
                        env -> locked(env, () -> {
                            Long id = parseGid(env.getArgument("id"), "ReverseFulfillmentOrder");
                            return id == null ? null : shop(env).returnByReverseFulfillmentOrder(id);
                        }))
                .dataFetcher("node", env -> locked(env, () -> node(shop(env), env.getArgument("id"))))
                .dataFetcher(
                        "nodes",
                        env -> locked(env, () -> {
                            List<String> ids = env.getArgument("ids");
                            List<Object> out = new ArrayList<>();
                            for (String id : ids) {
                                out.add(node(shop(env), id));
                            }
                            return out;
                        }));
    }

    /**
     * Shopify search syntax, reduced: {@code sku:X}, {@code barcode:X}, {@code title:X}, {@code handle:X}
     * (AND-ed, quotes allowed); a bare word matches the title.
     */
    private static boolean matches(ProductState p, VariantState v, String q) {
        for (String term : q.trim().split("\\s+(?=(?:[^\"]*\"[^\"]*\")*[^\"]*$)")) {
            if (term.isEmpty() || term.equalsIgnoreCase("AND")) {
                continue;
            }
            int colon = term.indexOf(':');
            String key = colon < 0 ? "title" : term.substring(0, colon);
            String val = (colon < 0 ? term : term.substring(colon + 1)).replace("\"", "");
            boolean ok = switch (key) {
                case "sku" -> val.equals(v.sku);
                case "barcode" -> val.equals(v.barcode);
                case "handle" -> val.equals(p.handle);
                case "id" -> val.equals(Long.toString(p.id));
                default -> p.title.toLowerCase(Locale.ROOT).contains(val.toLowerCase(Locale.ROOT));
            };
            if (!ok) {
                return false;
            }
        }
        return true;
    }

    private static Object node(Shop shop, String gid) {
        if (gid == null || !gid.startsWith("gid://shopify/")) {
            return null;
        }
        String rest = gid.substring("gid://shopify/".length());
        int slash = rest.indexOf('/');
        if (slash < 0) {
            return null;
        }
        String type = rest.substring(0, slash);
        if (type.equals("InventoryLevel")) {
            Matcher m = Pattern.compile("^(\\d+)\\?inventory_item_id=(\\d+)$").matcher(rest.substring(slash + 1));
            return m.matches() ? shop.level(Long.parseLong(m.group(2)), Long.parseLong(m.group(1))) : null;
        }
        Long id = parseGid(gid, type);
        if (id == null) {
            return null;
        }
        return switch (type) {
            case "Product" -> shop.products.get(id);
            case "ProductVariant" -> shop.variants.get(id);
            case "InventoryItem" ->
                shop.variantsByItem.get(id) == null ? null : new ItemRef(shop.variantsByItem.get(id));
            case "Location" -> shop.location(id);
            default -> null;
        };
    }

    private Object quantities(DataFetchingEnvironment env) {
        LevelState l = src(env);
        List<String> names = env.getArgument("names");
        List<Map<String, Object>> out = new ArrayList<>();
        for (String n : names) {
            if (!QUANTITY_NAMES.contains(n)) {
                return DataFetcherResult.newResult()
                        .error(GraphqlErrorBuilder.newError(env)
                                .message("Invalid quantity name: '" + n + "'. Valid names are " + QUANTITY_NAMES)
                                .build())
                        .build();
            }
            Map<String, Object> q = new LinkedHashMap<>();
            q.put("name", n);
            q.put("quantity", n.equals("available") || n.equals("on_hand") ? (int) l.available : 0);
            q.put("updatedAt", l.updatedAt);
            out.add(q);
        }
        return out;
    }

    /** A Relay connection over items sorted by id; the cursor is base64 JSON with {@code last_id}, as Shopify's. */
    private <T> Object connection(DataFetchingEnvironment env, List<T> items, ToLongFunction<T> key) {
        Integer first = env.getArgument("first");
        String after = env.getArgument("after");
        if (first == null) {
            return DataFetcherResult.newResult()
                    .error(GraphqlErrorBuilder.newError(env)
                            .message("you must provide one of first or last")
                            .build())
                    .build();
        }
        if (first > MAX_PAGE || first < 0) {
            return DataFetcherResult.newResult()
                    .error(GraphqlErrorBuilder.newError(env)
                            .message("The first argument must be between 0 and " + MAX_PAGE + ".")
                            .build())
                    .build();
        }
        List<T> sorted = new ArrayList<>(items);
        sorted.sort((a, b) -> Long.compare(key.applyAsLong(a), key.applyAsLong(b)));
        int start = 0;
        boolean hasPrevious = false;
        if (after != null) {
            Long lastId = decodeCursor(after);
            if (lastId == null) {
                return DataFetcherResult.newResult()
                        .error(GraphqlErrorBuilder.newError(env)
                                .message("Invalid cursor for current pagination sort.")
                                .build())
                        .build();
            }
            while (start < sorted.size() && key.applyAsLong(sorted.get(start)) <= lastId) {
                start++;
            }
            hasPrevious = start > 0;
        }
        int end = Math.min(sorted.size(), start + first);
        List<T> page = sorted.subList(start, end);
        List<Map<String, Object>> edges = new ArrayList<>();
        for (T item : page) {
            Map<String, Object> e = new LinkedHashMap<>();
            e.put("cursor", encodeCursor(key.applyAsLong(item)));
            e.put("node", item);
            edges.add(e);
        }
        Map<String, Object> pageInfo = new LinkedHashMap<>();
        pageInfo.put("hasNextPage", end < sorted.size());
        pageInfo.put("hasPreviousPage", hasPrevious);
        pageInfo.put("startCursor", page.isEmpty() ? null : encodeCursor(key.applyAsLong(page.get(0))));
        pageInfo.put("endCursor", page.isEmpty() ? null : encodeCursor(key.applyAsLong(page.get(page.size() - 1))));
        Map<String, Object> conn = new LinkedHashMap<>();
        conn.put("edges", edges);
        conn.put("nodes", List.copyOf(page));
        conn.put("pageInfo", pageInfo);
        return conn;
    }

    static String encodeCursor(long id) {
        return Base64.getEncoder()
                .encodeToString(
                        ("{\"last_id\":" + id + ",\"last_value\":\"" + id + "\"}").getBytes(StandardCharsets.UTF_8));
    }

    static Long decodeCursor(String cursor) {
        try {
            String json = new String(Base64.getDecoder().decode(cursor), StandardCharsets.UTF_8);
            Matcher m = Pattern.compile("\"last_id\":(\\d+)").matcher(json);
            return m.find() ? Long.parseLong(m.group(1)) : null;
        } catch (IllegalArgumentException e) {
            return null;
        }
    }

    /** The numeric id of {@code gid://shopify/<type>/<id>}, or null when it is not one. */
    static Long parseGid(String gid, String type) {
        String prefix = "gid://shopify/" + type + "/";
        if (gid == null || !gid.startsWith(prefix)) {
            return null;
        }
        String rest = gid.substring(prefix.length());
        int q = rest.indexOf('?');
        if (q >= 0) {
            rest = rest.substring(0, q);
        }
        try {
            return Long.parseLong(rest);
        } catch (NumberFormatException e) {
            return null;
        }
    }

    // ------------------------------------------------------------------ mutations

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
                Shop.IdempotentEntry previous = shop.idempotency.get(key);
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
                shop.idempotency.put(key, new Shop.IdempotentEntry(field, arguments, payload));
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
            shop.changeLevel(level, quantity);
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
            shop.changeLevel(level, level.available + delta);
            out.add(change("available", delta, level));
            onHand.add(change("on_hand", delta, level));
        }
        out.addAll(onHand);
        return payload(group(shop, reason, ref, out), List.of());
    }

    /**
     * An omitted {@code changeFromQuantity}. Shopify's 2026-04 schema (description of
     * {@code InventoryQuantityInput.changeFromQuantity} and {@code InventoryChangeInput.changeFromQuantity}) says
     * "This field is mandatory: you must explicitly pass in a value, even if that value is {@code null}, or the
     * mutation returns an error", but names no error code, and neither user-error enum has one for it. So the
     * simulator answers a user error without a code (the {@code code} field is nullable) rather than invent one.
     */
    private static Map<String, Object> changeFromQuantityMissing(List<String> field) {
        return userError(null, field, "changeFromQuantity must be given explicitly, even if its value is null.");
    }

    private static void checkReasonAndRef(String reason, String ref, List<Map<String, Object>> errors) {
        if (!REASONS.contains(reason)) {
            errors.add(userError("INVALID_REASON", List.of("input", "reason"), "The specified reason is invalid."));
        }
        if (ref != null && !ref.matches("^[a-zA-Z][a-zA-Z0-9+.-]*://\\S+$")) {
            errors.add(userError(
                    "INVALID_REFERENCE_DOCUMENT",
                    List.of("input", "referenceDocumentUri"),
                    "The specified reference document is invalid."));
        }
    }

    private static LevelState resolveLevel(
            Shop shop, Map<String, Object> q, List<String> path, List<Map<String, Object>> errors) {
        Long item = parseGid((String) q.get("inventoryItemId"), "InventoryItem");
        Long loc = parseGid((String) q.get("locationId"), "Location");
        boolean ok = true;
        if (item == null || !shop.variantsByItem.containsKey(item)) {
            errors.add(userError(
                    "INVALID_INVENTORY_ITEM",
                    append(path, "inventoryItemId"),
                    "The specified inventory item could not be found."));
            ok = false;
        }
        if (loc == null || shop.location(loc) == null) {
            errors.add(userError(
                    "INVALID_LOCATION", append(path, "locationId"), "The specified location could not be found."));
            ok = false;
        }
        if (!ok) {
            return null;
        }
        LevelState level = shop.level(item, loc);
        if (level == null) {
            errors.add(userError(
                    "ITEM_NOT_STOCKED_AT_LOCATION",
                    append(path, "inventoryItemId"),
                    "The specified inventory item is not stocked at the location."));
        }
        return level;
    }

    private static List<String> append(List<String> path, String last) {
        List<String> p = new ArrayList<>(path);
        p.add(last);
        return p;
    }

    private static Map<String, Object> change(String name, long delta, LevelState level) {
        Map<String, Object> c = new LinkedHashMap<>();
        c.put("name", name);
        c.put("delta", (int) delta);
        c.put("quantityAfterChange", (int) level.available);
        c.put("ledgerDocumentUri", null);
        c.put("item", new ItemRef(level.variant));
        c.put("location", level.location);
        return c;
    }

    private static Map<String, Object> group(Shop shop, String reason, String ref, List<Map<String, Object>> changes) {
        Map<String, Object> g = new LinkedHashMap<>();
        g.put("id", Shop.gid("InventoryAdjustmentGroup", shop.newId()));
        g.put("createdAt", Instant.now());
        g.put("reason", reason);
        g.put("referenceDocumentUri", ref);
        g.put("changes", changes);
        return g;
    }

    private static Map<String, Object> payload(Map<String, Object> group, List<Map<String, Object>> errors) {
        Map<String, Object> p = new LinkedHashMap<>();
        p.put("inventoryAdjustmentGroup", group);
        p.put("userErrors", errors);
        return p;
    }

    private static Map<String, Object> userError(String code, List<String> field, String message) {
        Map<String, Object> e = new LinkedHashMap<>();
        e.put("code", code);
        e.put("field", field);
        e.put("message", message);
        return e;
    }

    /** {@code version >= floor} for {@code YYYY-MM} versions; {@code unstable} counts as newest. */
    static boolean atLeast(String version, String floor) {
        return version == null || version.equals("unstable") || version.compareTo(floor) >= 0;
    }

    // ------------------------------------------------------------------ helpers

    private static Shop shop(DataFetchingEnvironment env) {
        return env.getGraphQlContext().get("shop");
    }

    @SuppressWarnings("unchecked")
    private <T> T src(DataFetchingEnvironment env) {
        return (T) env.getSource();
    }

    private static <T> T locked(DataFetchingEnvironment env, java.util.function.Supplier<T> s) {
        synchronized (shop(env).lock) {
            return s.get();
        }
    }
}
