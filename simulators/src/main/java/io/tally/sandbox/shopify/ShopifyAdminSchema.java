package io.tally.sandbox.shopify;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import graphql.GraphqlErrorBuilder;
import graphql.execution.DataFetcherResult;
import graphql.introspection.IntrospectionResultToSchema;
import graphql.language.Argument;
import graphql.language.BooleanValue;
import graphql.language.Document;
import graphql.language.FloatValue;
import graphql.language.IntValue;
import graphql.language.ScalarTypeDefinition;
import graphql.language.StringValue;
import graphql.schema.Coercing;
import graphql.schema.DataFetcher;
import graphql.schema.GraphQLScalarType;
import graphql.schema.GraphQLSchema;
import graphql.schema.PropertyDataFetcher;
import graphql.schema.TypeResolver;
import graphql.schema.idl.FieldWiringEnvironment;
import graphql.schema.idl.InterfaceWiringEnvironment;
import graphql.schema.idl.RuntimeWiring;
import graphql.schema.idl.ScalarInfo;
import graphql.schema.idl.SchemaGenerator;
import graphql.schema.idl.SchemaParser;
import graphql.schema.idl.UnionWiringEnvironment;
import graphql.schema.idl.WiringFactory;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Map;
import java.util.Set;
import java.util.zip.GZIPInputStream;

/**
 * Shopify's Admin GraphQL schema, API 2026-04, exactly as Shopify ships it: the introspection result
 * {@code dist/data/admin_2026-04.json.gz} of the npm package {@code @shopify/dev-mcp}, pinned in
 * {@code contracts/shopify/dev-mcp.lock}. The simulators build fetches the package, refuses it unless its integrity
 * is the pinned one ({@code simulators/build/CheckNpmIntegrity.java}) and puts the file in the jar next to this
 * class, so the sandbox (jar only) and the tests run the same vendor schema.
 *
 * <p>Executed with the simulator's wiring: a field it neither wires nor builds as a map answers a GraphQL error
 * "not implemented by the Tally simulator" rather than a silent null.
 */
final class ShopifyAdminSchema {

    static final String FILE = "admin_2026-04.json.gz";
    static final String NOT_IMPLEMENTED = "NOT_IMPLEMENTED";

    private ShopifyAdminSchema() {}

    /** The vendor file's bytes, gzip-compressed as shipped. */
    static InputStream file() {
        InputStream in = ShopifyAdminSchema.class.getResourceAsStream(FILE);
        if (in == null) {
            throw new IllegalStateException("Shopify's schema " + FILE + " is not on the classpath: the simulators "
                    + "build puts it there (simulators/pom.xml, fetch-shopify-schema; needs npm)");
        }
        return in;
    }

    /** The vendor introspection as a schema document (types, fields, arguments, directives, descriptions). */
    static Document document() {
        try (InputStream in = new GZIPInputStream(file())) {
            Map<String, Object> answer = new ObjectMapper().readValue(in, new TypeReference<>() {});
            @SuppressWarnings("unchecked")
            Map<String, Object> data = (Map<String, Object>) answer.get("data");
            return new IntrospectionResultToSchema().createSchemaDefinition(data);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * The executable vendor schema. {@code mapBacked}: per type, the fields the simulator answers from the maps it
     * builds (payloads, connections) through graphql-java's property fetcher; {@code arguments}: per wired
     * {@code Type.field}, the arguments its fetcher reads (any other argument Shopify's schema allows is refused, not
     * ignored); {@code objects} resolves every interface and union to the object type of a simulator value.
     */
    static GraphQLSchema executable(
            RuntimeWiring wiring,
            Map<String, Set<String>> mapBacked,
            Map<String, Set<String>> arguments,
            TypeResolver objects) {
        Document document = document();
        RuntimeWiring complete = wiring.transform(builder -> {
            // Scalars the simulator never reads or writes still need an implementation: pass values through.
            for (ScalarTypeDefinition scalar : document.getDefinitionsOfType(ScalarTypeDefinition.class)) {
                if (!ScalarInfo.isGraphqlSpecifiedScalar(scalar.getName())
                        && !wiring.getScalars().containsKey(scalar.getName())) {
                    builder.scalar(opaque(scalar.getName()));
                }
            }
            builder.wiringFactory(new WiringFactory() {
                @Override
                public boolean providesTypeResolver(InterfaceWiringEnvironment environment) {
                    return true;
                }

                @Override
                public TypeResolver getTypeResolver(InterfaceWiringEnvironment environment) {
                    return objects;
                }

                @Override
                public boolean providesTypeResolver(UnionWiringEnvironment environment) {
                    return true;
                }

                @Override
                public TypeResolver getTypeResolver(UnionWiringEnvironment environment) {
                    return objects;
                }

                @Override
                public boolean providesDataFetcher(FieldWiringEnvironment environment) {
                    return wired(environment) != null;
                }

                @Override
                public DataFetcher<?> getDataFetcher(FieldWiringEnvironment environment) {
                    String type = environment.getParentType().getName();
                    String field = environment.getFieldDefinition().getName();
                    return onlyImplementedArguments(
                            type, field, arguments.getOrDefault(type + "." + field, Set.of()), wired(environment));
                }

                private DataFetcher<?> wired(FieldWiringEnvironment environment) {
                    // getDataFetchers, not getDataFetchersForType: that one adds an empty entry for every type asked.
                    return wiring.getDataFetchers()
                            .getOrDefault(environment.getParentType().getName(), Map.of())
                            .get(environment.getFieldDefinition().getName());
                }

                @Override
                public DataFetcher<?> getDefaultDataFetcher(FieldWiringEnvironment environment) {
                    String type = environment.getParentType().getName();
                    String field = environment.getFieldDefinition().getName();
                    return mapBacked.getOrDefault(type, Set.of()).contains(field)
                            ? PropertyDataFetcher.fetching(field)
                            : notImplemented(type, field);
                }
            });
        });
        return new SchemaGenerator().makeExecutableSchema(new SchemaParser().buildRegistry(document), complete);
    }

    private static DataFetcher<Object> notImplemented(String type, String field) {
        String message = "Field '" + field + "' on type '" + type + "' is in Shopify's schema but not implemented by "
                + "the Tally simulator";
        return env -> DataFetcherResult.newResult()
                .error(GraphqlErrorBuilder.newError(env)
                        .message(message)
                        .extensions(Map.of("code", NOT_IMPLEMENTED))
                        .build())
                .build();
    }

    /** The simulator's fetcher, refusing an argument of Shopify's it would otherwise silently ignore. */
    private static DataFetcher<Object> onlyImplementedArguments(
            String type, String field, Set<String> implemented, DataFetcher<?> fetcher) {
        return env -> {
            for (Argument argument : env.getField().getArguments()) {
                if (!implemented.contains(argument.getName())) {
                    return DataFetcherResult.newResult()
                            .error(GraphqlErrorBuilder.newError(env)
                                    .message("Argument '" + argument.getName() + "' of field '" + field + "' on type '"
                                            + type
                                            + "' is in Shopify's schema but not implemented by the Tally simulator")
                                    .extensions(Map.of("code", NOT_IMPLEMENTED))
                                    .build())
                            .build();
                }
            }
            return fetcher.get(env);
        };
    }

    /** A scalar the simulator does not use (URL, JSON, Decimal, ...): values pass through unchanged. */
    private static GraphQLScalarType opaque(String name) {
        return GraphQLScalarType.newScalar()
                .name(name)
                .coercing(new Coercing<Object, Object>() {
                    @Override
                    @SuppressWarnings("deprecation")
                    public Object serialize(Object value) {
                        return value;
                    }

                    @Override
                    @SuppressWarnings("deprecation")
                    public Object parseValue(Object input) {
                        return input;
                    }

                    @Override
                    @SuppressWarnings("deprecation")
                    public Object parseLiteral(Object input) {
                        return input instanceof StringValue s
                                ? s.getValue()
                                : input instanceof IntValue i
                                        ? i.getValue()
                                        : input instanceof FloatValue f
                                                ? f.getValue()
                                                : input instanceof BooleanValue b ? b.isValue() : input;
                    }
                })
                .build();
    }
}
