package io.tally.sandbox.shopify;

import graphql.schema.GraphQLSchema;
import java.io.InputStream;
import java.util.Map;
import java.util.Set;

/** Opens the simulator's executable schema to the contract tests (io.tally.contract). */
public final class ShopifySchemas {

    private ShopifySchemas() {}

    /** Shopify's schema as the simulator executes it (built from the vendor file, once per JVM). */
    public static GraphQLSchema simulator() {
        return ShopifyGraphQl.shared().schema();
    }

    /** Per type, the fields the simulator answers; every other field answers "not implemented". */
    public static Map<String, Set<String>> implementedFields() {
        return ShopifyGraphQl.shared().implementedFields();
    }

    /** Per {@code Type.field}, the arguments the simulator reads; any other argument answers "not implemented". */
    public static Map<String, Set<String>> implementedArguments() {
        return ShopifyGraphQl.ARGUMENTS;
    }

    /** The vendor introspection file the simulator runs (gzip, as in the npm package). */
    public static InputStream vendorFile() {
        return ShopifyAdminSchema.file();
    }
}
