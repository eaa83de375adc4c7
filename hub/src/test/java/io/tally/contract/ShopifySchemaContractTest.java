package io.tally.contract;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.stream.Stream;

import graphql.ParseAndValidate;
import graphql.language.Document;
import graphql.language.OperationDefinition;
import graphql.parser.Parser;
import graphql.schema.GraphQLArgument;
import graphql.schema.GraphQLDirective;
import graphql.schema.GraphQLEnumType;
import graphql.schema.GraphQLEnumValueDefinition;
import graphql.schema.GraphQLFieldDefinition;
import graphql.schema.GraphQLFieldsContainer;
import graphql.schema.GraphQLImplementingType;
import graphql.schema.GraphQLInputObjectField;
import graphql.schema.GraphQLInputObjectType;
import graphql.schema.GraphQLNamedType;
import graphql.schema.GraphQLNonNull;
import graphql.schema.GraphQLObjectType;
import graphql.schema.GraphQLSchema;
import graphql.schema.GraphQLTypeUtil;
import graphql.validation.ValidationError;
import io.tally.sandbox.shopify.ShopifySchemas;
import org.junit.jupiter.api.Test;

/**
 * Tally's Shopify connector and Shopify simulator against Shopify's own Admin GraphQL schema (API 2026-04, from the
 * pinned npm package {@code @shopify/dev-mcp}; see {@link ShopifyVendorSchema}).
 *
 * <ul>
 * <li>every GraphQL document the hub sends validates against the vendor schema. The documents are taken from where
 *     the connector defines them (its {@code static final String} constants), not copied here;</li>
 * <li>every type, field, argument, input field, enum value and directive the simulator declares exists in the
 *     vendor schema with the same type, and every input field Shopify requires the simulator requires too.</li>
 * </ul>
 */
class ShopifySchemaContractTest {

    /** Operations the connector is known to send: if one disappears from the scan, the scan is broken. */
    private static final List<String> KNOWN_OPERATIONS = List.of("TallyCatalog", "TallyProduct", "TallyLevel",
            "TallyPrimaryLocation", "TallyLocations", "TallySetAvailable", "TallyReverseFulfillmentOrder");

    @Test
    void theVendorSchemaIsThePinnedPackage() {
        ShopifyVendorSchema.Pin pin = ShopifyVendorSchema.pin();
        assertThat(ShopifyVendorSchema.integrityOf(pin.tarball())).isEqualTo(pin.integrity());
        GraphQLSchema vendor = ShopifyVendorSchema.schema();
        assertThat(vendor.getQueryType().getName()).isEqualTo("QueryRoot");
        assertThat(vendor.getMutationType().getFieldDefinition("inventorySetQuantities")).isNotNull();
    }

    @Test
    void everyDocumentTheHubSendsValidatesAgainstShopifysSchema() throws Exception {
        Map<String, String> documents = hubDocuments();
        assertThat(documents.keySet()).containsAll(KNOWN_OPERATIONS);
        GraphQLSchema vendor = ShopifyVendorSchema.schema();
        Map<String, List<String>> failures = new LinkedHashMap<>();
        for (Map.Entry<String, String> document : documents.entrySet()) {
            List<ValidationError> errors = ParseAndValidate.validate(vendor, Parser.parse(document.getValue()));
            if (!errors.isEmpty()) {
                failures.put(document.getKey(), errors.stream().map(ValidationError::getDescription).toList());
            }
        }
        assertThat(failures).as("documents Shopify's 2026-04 schema refuses").isEmpty();
        // Print what each operation needs from the app (Shopify's requiredAccess on the root fields it selects).
        for (Map.Entry<String, String> document : documents.entrySet()) {
            OperationDefinition op = Parser.parse(document.getValue()).getDefinitionsOfType(OperationDefinition.class).get(0);
            String root = op.getOperation() == OperationDefinition.Operation.MUTATION ? "Mutation" : "QueryRoot";
            op.getSelectionSet().getSelectionsOfType(graphql.language.Field.class).forEach(f -> System.out.println(
                    "shopify-contract: " + document.getKey() + " " + root + "." + f.getName() + " requires "
                            + ShopifyVendorSchema.requiredAccess(root, f.getName())));
        }
    }

    @Test
    void theSimulatorsSchemaIsASubsetOfShopifysWithTheSameTypes() {
        GraphQLSchema simulator = ShopifySchemas.simulator();
        GraphQLSchema vendor = ShopifyVendorSchema.schema();
        List<String> problems = new ArrayList<>();
        for (GraphQLNamedType type : simulator.getAllTypesAsList()) {
            String name = type.getName();
            if (name.startsWith("__") || GraphQLTypeUtil.isScalar(type) && List.of("String", "Int", "Float", "Boolean", "ID")
                    .contains(name)) {
                continue;
            }
            GraphQLNamedType theirs = vendorType(vendor, simulator, type);
            if (theirs == null) {
                problems.add("type " + name + " is not in Shopify's schema");
                continue;
            }
            if (!theirs.getClass().equals(type.getClass())) {
                problems.add("type " + name + " is a " + kind(type) + " here, a " + kind(theirs) + " at Shopify");
                continue;
            }
            if (type instanceof GraphQLImplementingType ours && theirs instanceof GraphQLImplementingType vendors) {
                ours.getInterfaces().forEach(i -> {
                    if (vendors.getInterfaces().stream().noneMatch(v -> v.getName().equals(i.getName()))) {
                        problems.add("type " + name + " implements " + i.getName() + " only here");
                    }
                });
            }
            if (type instanceof GraphQLFieldsContainer ours) {
                compareFields(name, ours, (GraphQLFieldsContainer) theirs, problems);
            } else if (type instanceof GraphQLInputObjectType ours) {
                compareInputFields(name, ours, (GraphQLInputObjectType) theirs, problems);
            } else if (type instanceof GraphQLEnumType ours) {
                for (GraphQLEnumValueDefinition value : ours.getValues()) {
                    if (((GraphQLEnumType) theirs).getValue(value.getName()) == null) {
                        problems.add("enum " + name + " value " + value.getName() + " is not Shopify's");
                    }
                }
            }
        }
        for (GraphQLDirective directive : simulator.getDirectives()) {
            GraphQLDirective theirs = vendor.getDirective(directive.getName());
            if (theirs == null) {
                problems.add("directive @" + directive.getName() + " is not Shopify's");
                continue;
            }
            for (GraphQLArgument arg : directive.getArguments()) {
                GraphQLArgument their = theirs.getArgument(arg.getName());
                if (their == null || !same(arg.getType(), their.getType())) {
                    problems.add("directive @" + directive.getName() + "(" + arg.getName() + ") differs");
                }
            }
        }
        assertThat(problems).as("the simulator's schema against Shopify's 2026-04 schema").isEmpty();
    }

    private static void compareFields(String type, GraphQLFieldsContainer ours, GraphQLFieldsContainer theirs,
            List<String> problems) {
        for (GraphQLFieldDefinition field : ours.getFieldDefinitions()) {
            GraphQLFieldDefinition their = theirs.getFieldDefinition(field.getName());
            if (their == null) {
                problems.add(type + "." + field.getName() + " is not in Shopify's schema");
                continue;
            }
            if (!same(field.getType(), their.getType())) {
                problems.add(type + "." + field.getName() + " is " + GraphQLTypeUtil.simplePrint(field.getType())
                        + " here, " + GraphQLTypeUtil.simplePrint(their.getType()) + " at Shopify");
            }
            for (GraphQLArgument arg : field.getArguments()) {
                GraphQLArgument theirArg = their.getArgument(arg.getName());
                if (theirArg == null) {
                    problems.add(type + "." + field.getName() + "(" + arg.getName() + ") is not Shopify's");
                } else if (!same(arg.getType(), theirArg.getType())) {
                    problems.add(type + "." + field.getName() + "(" + arg.getName() + ") is "
                            + GraphQLTypeUtil.simplePrint(arg.getType()) + " here, "
                            + GraphQLTypeUtil.simplePrint(theirArg.getType()) + " at Shopify");
                }
            }
            for (GraphQLArgument theirArg : their.getArguments()) {
                if (theirArg.getType() instanceof GraphQLNonNull && !theirArg.hasSetDefaultValue()
                        && field.getArgument(theirArg.getName()) == null) {
                    problems.add(type + "." + field.getName() + " lacks Shopify's required argument " + theirArg.getName());
                }
            }
        }
    }

    private static void compareInputFields(String type, GraphQLInputObjectType ours, GraphQLInputObjectType theirs,
            List<String> problems) {
        for (GraphQLInputObjectField field : ours.getFieldDefinitions()) {
            GraphQLInputObjectField their = theirs.getFieldDefinition(field.getName());
            if (their == null) {
                problems.add("input " + type + "." + field.getName() + " is not in Shopify's schema");
            } else if (!same(field.getType(), their.getType())) {
                problems.add("input " + type + "." + field.getName() + " is " + GraphQLTypeUtil.simplePrint(field.getType())
                        + " here, " + GraphQLTypeUtil.simplePrint(their.getType()) + " at Shopify");
            }
        }
        for (GraphQLInputObjectField their : theirs.getFieldDefinitions()) {
            if (their.getType() instanceof GraphQLNonNull && !their.hasSetDefaultValue()
                    && ours.getFieldDefinition(their.getName()) == null) {
                problems.add("input " + type + " lacks Shopify's required field " + their.getName());
            }
        }
    }

    /** Root types are matched by role (the simulator's Query is Shopify's QueryRoot). */
    private static GraphQLNamedType vendorType(GraphQLSchema vendor, GraphQLSchema simulator, GraphQLNamedType type) {
        if (type == simulator.getQueryType()) {
            return vendor.getQueryType();
        }
        if (type == simulator.getMutationType()) {
            return vendor.getMutationType();
        }
        return vendor.getType(type.getName()) instanceof GraphQLNamedType named ? named : null;
    }

    private static boolean same(graphql.schema.GraphQLType a, graphql.schema.GraphQLType b) {
        return GraphQLTypeUtil.simplePrint(a).replace("Query", "QueryRoot").equals(GraphQLTypeUtil.simplePrint(b));
    }

    private static String kind(GraphQLNamedType type) {
        return type.getClass().getSimpleName().replace("GraphQL", "");
    }

    /**
     * The GraphQL operations in the connector's classes: every {@code static final String} of
     * {@code io.tally.channel.shopify} that parses as a query or mutation ({@code %s} placeholders, such as the
     * idempotency key, filled with a sample value), by operation name.
     */
    static Map<String, String> hubDocuments() throws IOException, ReflectiveOperationException {
        Path build = Path.of(System.getProperty("tally.build.directory", "target"));
        Path classes = build.resolve(Path.of("classes", "io", "tally", "channel", "shopify"));
        Map<String, String> documents = new LinkedHashMap<>();
        List<Path> files;
        try (Stream<Path> list = Files.list(classes)) {
            files = list.filter(p -> p.toString().endsWith(".class")).sorted().toList();
        }
        for (Path file : files) {
            String simple = file.getFileName().toString().replace(".class", "");
            Class<?> type = Class.forName("io.tally.channel.shopify." + simple.replace('/', '.'), false,
                    ShopifySchemaContractTest.class.getClassLoader());
            for (Field field : type.getDeclaredFields()) {
                if (field.getType() != String.class || !Modifier.isStatic(field.getModifiers())
                        || !Modifier.isFinal(field.getModifiers())) {
                    continue;
                }
                field.setAccessible(true);
                String text = ((String) field.get(null)).strip();
                if (!text.startsWith("query") && !text.startsWith("mutation")) {
                    continue;
                }
                String filled = text.contains("%s") ? text.formatted(UUID.randomUUID().toString()) : text;
                Document document = Parser.parse(filled);
                for (OperationDefinition op : document.getDefinitionsOfType(OperationDefinition.class)) {
                    documents.put(op.getName() == null ? simple + "." + field.getName() : op.getName(), filled);
                }
            }
        }
        return documents;
    }
}
