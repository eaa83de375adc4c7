package io.tally.sandbox.shopify;

import graphql.normalized.ExecutableNormalizedField;
import graphql.schema.GraphQLEnumType;
import graphql.schema.GraphQLScalarType;
import graphql.schema.GraphQLSchema;
import graphql.schema.GraphQLType;
import graphql.schema.GraphQLTypeUtil;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Shopify's calculated query cost, approximated (the rules are in {@link ShopifyGraphQl}'s header): the requested
 * cost of a field from its arguments, the actual cost from the data returned, and the {@code cost} extension.
 */
final class ShopifyQueryCost {

    private final GraphQLSchema schema;

    ShopifyQueryCost(GraphQLSchema schema) {
        this.schema = schema;
    }

    /** The {@code extensions.cost} of an answer, with the shop's {@code throttleStatus}. */
    static Map<String, Object> extension(Shop shop, int requested, int actual) {
        Map<String, Object> c = new LinkedHashMap<>();
        c.put("requestedQueryCost", requested);
        c.put("actualQueryCost", actual);
        c.put("throttleStatus", shop.throttleStatus());
        return c;
    }

    double cost(ExecutableNormalizedField f, Object value, boolean actual) {
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
}
