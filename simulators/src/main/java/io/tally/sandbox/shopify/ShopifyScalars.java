package io.tally.sandbox.shopify;

import graphql.schema.Coercing;
import graphql.schema.GraphQLScalarType;
import java.time.Instant;

/** The custom scalars of Shopify's Admin schema the simulator answers with: DateTime and Money. */
final class ShopifyScalars {

    private ShopifyScalars() {}

    static GraphQLScalarType dateTime() {
        return GraphQLScalarType.newScalar()
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
    }

    // Shopify's Money scalar is a decimal amount serialised as a string, e.g. "19.99" (2026-04 schema).
    static GraphQLScalarType money() {
        return GraphQLScalarType.newScalar()
                .name("Money")
                .description("A decimal amount, as a string")
                .coercing(graphql.Scalars.GraphQLString.getCoercing())
                .build();
    }
}
