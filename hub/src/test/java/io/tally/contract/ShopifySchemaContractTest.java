package io.tally.contract;

import static org.assertj.core.api.Assertions.assertThat;

import graphql.ParseAndValidate;
import graphql.language.Document;
import graphql.language.FragmentSpread;
import graphql.language.InlineFragment;
import graphql.language.OperationDefinition;
import graphql.language.Selection;
import graphql.language.SelectionSet;
import graphql.parser.Parser;
import graphql.schema.GraphQLArgument;
import graphql.schema.GraphQLCompositeType;
import graphql.schema.GraphQLEnumType;
import graphql.schema.GraphQLEnumValueDefinition;
import graphql.schema.GraphQLFieldsContainer;
import graphql.schema.GraphQLInputObjectType;
import graphql.schema.GraphQLNamedType;
import graphql.schema.GraphQLObjectType;
import graphql.schema.GraphQLSchema;
import graphql.schema.GraphQLType;
import graphql.schema.GraphQLTypeUtil;
import graphql.validation.ValidationError;
import io.tally.sandbox.shopify.ShopifySchemas;
import java.io.IOException;
import java.io.InputStream;
import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.UUID;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * Tally's Shopify connector and Shopify simulator against Shopify's own Admin GraphQL schema (API 2026-04, from the
 * pinned npm package {@code @shopify/dev-mcp}; see {@link ShopifyVendorSchema}).
 *
 * <ul>
 * <li>every GraphQL document the hub sends validates against the vendor schema. The documents are taken from where
 *     the connector defines them (its {@code static final String} constants), not copied here;</li>
 * <li>the simulator runs the pinned vendor file itself (its schema has every vendor type, field and argument with
 *     the same types), every field it implements exists there, and every field the hub selects is one the simulator
 *     implements (the rest answer "not implemented by the Tally simulator").</li>
 * </ul>
 */
class ShopifySchemaContractTest {

    /** Operations the connector is known to send: if one disappears from the scan, the scan is broken. */
    private static final List<String> KNOWN_OPERATIONS = List.of(
            "TallyCatalog",
            "TallyProduct",
            "TallyLevel",
            "TallyPrimaryLocation",
            "TallyLocations",
            "TallySetAvailable",
            "TallyReverseFulfillmentOrder");

    @Test
    void theVendorSchemaIsThePinnedPackage() {
        ShopifyVendorSchema.Pin pin = ShopifyVendorSchema.pin();
        assertThat(ShopifyVendorSchema.integrityOf(pin.tarball())).isEqualTo(pin.integrity());
        GraphQLSchema vendor = ShopifyVendorSchema.schema();
        assertThat(vendor.getQueryType().getName()).isEqualTo("QueryRoot");
        assertThat(vendor.getMutationType().getFieldDefinition("inventorySetQuantities"))
                .isNotNull();
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
                failures.put(
                        document.getKey(),
                        errors.stream().map(ValidationError::getDescription).toList());
            }
        }
        assertThat(failures).as("documents Shopify's 2026-04 schema refuses").isEmpty();
        // Print what each operation needs from the app (Shopify's requiredAccess on the root fields it selects).
        for (Map.Entry<String, String> document : documents.entrySet()) {
            OperationDefinition op = Parser.parse(document.getValue())
                    .getDefinitionsOfType(OperationDefinition.class)
                    .get(0);
            String root = op.getOperation() == OperationDefinition.Operation.MUTATION ? "Mutation" : "QueryRoot";
            op.getSelectionSet()
                    .getSelectionsOfType(graphql.language.Field.class)
                    .forEach(f -> System.out.println("shopify-contract: " + document.getKey() + " " + root + "."
                            + f.getName() + " requires " + ShopifyVendorSchema.requiredAccess(root, f.getName())));
        }
    }

    @Test
    void theSimulatorRunsThePinnedVendorFile() throws IOException {
        ShopifyVendorSchema.Pin pin = ShopifyVendorSchema.pin();
        assertThat(ShopifyVendorSchema.integrityOf(pin.tarball())).isEqualTo(pin.integrity());
        try (InputStream simulators = ShopifySchemas.vendorFile()) {
            assertThat(simulators.readAllBytes())
                    .as("the simulators jar's schema file is the pinned package's " + pin.file())
                    .isEqualTo(Files.readAllBytes(pin.schemaFile()));
        }
    }

    @Test
    void theSimulatorsSchemaHasShopifysTypesFieldsAndArguments() {
        GraphQLSchema simulator = ShopifySchemas.simulator();
        GraphQLSchema vendor = ShopifyVendorSchema.schema();
        List<String> problems = new ArrayList<>();
        for (GraphQLNamedType theirs : vendor.getAllTypesAsList()) {
            GraphQLNamedType ours = (GraphQLNamedType) simulator.getType(theirs.getName());
            if (ours == null || !ours.getClass().equals(theirs.getClass())) {
                problems.add("type " + theirs.getName() + " differs");
            } else if (!signature(ours).equals(signature(theirs))) {
                problems.add("type " + theirs.getName() + ": " + signature(ours) + " here, " + signature(theirs)
                        + " at Shopify");
            }
        }
        assertThat(simulator.getAllTypesAsList()).hasSameSizeAs(vendor.getAllTypesAsList());
        assertThat(arguments(simulator.getDirective("idempotent").getArguments()))
                .isEqualTo(arguments(vendor.getDirective("idempotent").getArguments()))
                .isEqualTo("key: String!");
        assertThat(problems)
                .as("the simulator's schema against Shopify's 2026-04 schema")
                .isEmpty();
    }

    /** Guards the wiring: graphql-java ignores a fetcher wired to a field the schema lacks (a misspelt name). */
    @Test
    void everyFieldTheSimulatorImplementsIsInShopifysSchema() {
        GraphQLSchema vendor = ShopifyVendorSchema.schema();
        List<String> problems = new ArrayList<>();
        Map<String, Set<String>> implemented = ShopifySchemas.implementedFields();
        implemented.forEach((type, fields) -> {
            if (!(vendor.getType(type) instanceof GraphQLObjectType object)) {
                problems.add("type " + type + " is not an object type of Shopify's schema");
                return;
            }
            fields.stream()
                    .filter(field -> object.getFieldDefinition(field) == null)
                    .sorted()
                    .forEach(field -> problems.add(type + "." + field + " is not in Shopify's schema"));
        });
        assertThat(implemented.get("QueryRoot")).contains("products", "productVariants", "location", "node", "nodes");
        assertThat(implemented.get("Mutation"))
                .containsExactlyInAnyOrder("inventorySetQuantities", "inventoryAdjustQuantities");
        assertThat(problems).isEmpty();
    }

    /** What the hub asks of Shopify, the simulator answers: no document of the hub's reaches an unimplemented field. */
    @Test
    void everyFieldTheHubSelectsIsImplementedByTheSimulator() throws Exception {
        GraphQLSchema simulator = ShopifySchemas.simulator();
        Set<String> selected = new TreeSet<>();
        Map<String, Set<String>> arguments = new TreeMap<>();
        for (String document : hubDocuments().values()) {
            Document parsed = Parser.parse(document);
            for (OperationDefinition op : parsed.getDefinitionsOfType(OperationDefinition.class)) {
                GraphQLObjectType root = op.getOperation() == OperationDefinition.Operation.MUTATION
                        ? simulator.getMutationType()
                        : simulator.getQueryType();
                collectFields(simulator, root, op.getSelectionSet(), selected, arguments);
            }
        }
        Map<String, Set<String>> implemented = ShopifySchemas.implementedFields();
        assertThat(selected)
                .contains(
                        "QueryRoot.productVariants",
                        "ProductVariant.inventoryItem",
                        "Mutation.inventorySetQuantities",
                        "InventorySetQuantitiesUserError.code");
        assertThat(selected.stream()
                        .filter(f -> !implemented
                                .getOrDefault(f.substring(0, f.indexOf('.')), Set.of())
                                .contains(f.substring(f.indexOf('.') + 1)))
                        .toList())
                .as("fields the hub selects that the simulator does not implement")
                .isEmpty();
        Map<String, Set<String>> implementedArguments = ShopifySchemas.implementedArguments();
        assertThat(arguments.entrySet().stream()
                        .filter(a -> !implementedArguments
                                .getOrDefault(a.getKey(), Set.of())
                                .containsAll(a.getValue()))
                        .toList())
                .as("arguments the hub sends that the simulator does not implement")
                .isEmpty();
    }

    /**
     * {@code Type.field} for every field a selection reaches, and the arguments it passes (the hub's documents use no
     * fragment spreads).
     */
    private static void collectFields(
            GraphQLSchema schema,
            GraphQLCompositeType parent,
            SelectionSet selections,
            Set<String> out,
            Map<String, Set<String>> arguments) {
        for (Selection<?> selection : selections.getSelections()) {
            if (selection instanceof graphql.language.Field field
                    && !field.getName().startsWith("__")) {
                out.add(parent.getName() + "." + field.getName());
                field.getArguments()
                        .forEach(argument -> arguments
                                .computeIfAbsent(parent.getName() + "." + field.getName(), f -> new TreeSet<>())
                                .add(argument.getName()));
                GraphQLType type = GraphQLTypeUtil.unwrapAll(((GraphQLFieldsContainer) parent)
                        .getFieldDefinition(field.getName())
                        .getType());
                if (field.getSelectionSet() != null && type instanceof GraphQLCompositeType child) {
                    collectFields(schema, child, field.getSelectionSet(), out, arguments);
                }
            } else if (selection instanceof InlineFragment fragment) {
                GraphQLCompositeType on = fragment.getTypeCondition() == null
                        ? parent
                        : (GraphQLCompositeType)
                                schema.getType(fragment.getTypeCondition().getName());
                collectFields(schema, on, fragment.getSelectionSet(), out, arguments);
            } else if (selection instanceof FragmentSpread spread) {
                throw new IllegalStateException("fragment spread ..." + spread.getName() + ": extend collectFields");
            }
        }
    }

    /** A type's fields with their types and arguments, its input fields or its enum values, as text. */
    private static String signature(GraphQLNamedType type) {
        if (type instanceof GraphQLFieldsContainer fields) {
            return fields.getFieldDefinitions().stream()
                    .map(f -> f.getName() + "(" + arguments(f.getArguments()) + "): "
                            + GraphQLTypeUtil.simplePrint(f.getType()))
                    .sorted()
                    .collect(Collectors.joining(", "));
        }
        if (type instanceof GraphQLInputObjectType input) {
            return input.getFieldDefinitions().stream()
                    .map(f -> f.getName() + ": " + GraphQLTypeUtil.simplePrint(f.getType()))
                    .sorted()
                    .collect(Collectors.joining(", "));
        }
        if (type instanceof GraphQLEnumType values) {
            return values.getValues().stream()
                    .map(GraphQLEnumValueDefinition::getName)
                    .sorted()
                    .collect(Collectors.joining(", "));
        }
        return type.getName();
    }

    private static String arguments(List<GraphQLArgument> arguments) {
        return arguments.stream()
                .map(a -> a.getName() + ": " + GraphQLTypeUtil.simplePrint(a.getType()))
                .sorted()
                .collect(Collectors.joining(", "));
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
            Class<?> type = Class.forName(
                    "io.tally.channel.shopify." + simple.replace('/', '.'),
                    false,
                    ShopifySchemaContractTest.class.getClassLoader());
            for (Field field : type.getDeclaredFields()) {
                if (field.getType() != String.class
                        || !Modifier.isStatic(field.getModifiers())
                        || !Modifier.isFinal(field.getModifiers())) {
                    continue;
                }
                field.setAccessible(true);
                String text = ((String) field.get(null)).strip();
                if (!text.startsWith("query") && !text.startsWith("mutation")) {
                    continue;
                }
                String filled =
                        text.contains("%s") ? text.formatted(UUID.randomUUID().toString()) : text;
                Document document = Parser.parse(filled);
                for (OperationDefinition op : document.getDefinitionsOfType(OperationDefinition.class)) {
                    documents.put(op.getName() == null ? simple + "." + field.getName() : op.getName(), filled);
                }
            }
        }
        return documents;
    }
}
