package io.tally.sandbox.shopify;

import graphql.schema.GraphQLSchema;

/** Opens the simulator's executable schema to the contract tests (io.tally.contract). */
public final class ShopifySchemas {

    private ShopifySchemas() {
    }

    public static GraphQLSchema simulator() {
        return new ShopifyGraphQl().schema();
    }
}
