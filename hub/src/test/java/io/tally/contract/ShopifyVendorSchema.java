package io.tally.contract;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import graphql.introspection.IntrospectionResultToSchema;
import graphql.language.Document;
import graphql.schema.GraphQLSchema;
import graphql.schema.idl.SchemaParser;
import graphql.schema.idl.TypeDefinitionRegistry;
import graphql.schema.idl.UnExecutableSchemaGenerator;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.zip.GZIPInputStream;

/**
 * Shopify's own Admin GraphQL schema for one API version, as Shopify ships it in the npm package
 * {@code @shopify/dev-mcp} ({@code dist/data/admin_<version>.json.gz}: the introspection result). The build fetches
 * the package (pom.xml, {@code fetch-shopify-schema}); this class refuses any tarball whose integrity differs from
 * the pin in {@code contracts/shopify/dev-mcp.lock}, so the contract is exactly the pinned vendor file.
 */
final class ShopifyVendorSchema {

    static final Path CONTRACTS = Path.of(System.getProperty("tally.build.directory", "target"), "shopify-contracts");
    static final Path LOCK = Path.of("contracts", "shopify", "dev-mcp.lock");

    private static GraphQLSchema cached;
    private static Map<String, Object> cachedIntrospection;

    private ShopifyVendorSchema() {}

    /** The pin: package, version, integrity and the schema file inside the tarball. */
    record Pin(String name, String version, String integrity, String file) {

        Path tarball() {
            return CONTRACTS.resolve(name.replace("@", "").replace('/', '-') + "-" + version + ".tgz");
        }

        Path schemaFile() {
            return CONTRACTS.resolve(file);
        }
    }

    static Pin pin() {
        try {
            for (String line : Files.readAllLines(LOCK)) {
                if (!line.isBlank() && !line.startsWith("#")) {
                    String[] parts = line.trim().split("\\s+");
                    return new Pin(parts[0], parts[1], parts[2], parts[3]);
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        throw new IllegalStateException(LOCK + " names no package");
    }

    /** sha512 of the fetched tarball in npm's integrity notation. */
    static String integrityOf(Path tarball) {
        try {
            MessageDigest digest = MessageDigest.getInstance("SHA-512");
            return "sha512-" + Base64.getEncoder().encodeToString(digest.digest(Files.readAllBytes(tarball)));
        } catch (IOException e) {
            throw new UncheckedIOException(
                    "the Shopify schema package is missing: run `mvn generate-test-resources` "
                            + "(needs npm); expected " + tarball,
                    e);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    static synchronized Map<String, Object> introspection() {
        if (cachedIntrospection == null) {
            Pin pin = pin();
            String actual = integrityOf(pin.tarball());
            if (!actual.equals(pin.integrity())) {
                throw new IllegalStateException(pin.tarball() + " is not the pinned " + pin.name() + " " + pin.version()
                        + ": integrity " + actual + ", pinned " + pin.integrity());
            }
            try (InputStream in = new GZIPInputStream(Files.newInputStream(pin.schemaFile()))) {
                Map<String, Object> answer = new ObjectMapper().readValue(in, new TypeReference<>() {});
                @SuppressWarnings("unchecked")
                Map<String, Object> data = (Map<String, Object>) answer.get("data");
                cachedIntrospection = data;
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        return cachedIntrospection;
    }

    static synchronized GraphQLSchema schema() {
        if (cached == null) {
            Document sdl = new IntrospectionResultToSchema().createSchemaDefinition(introspection());
            TypeDefinitionRegistry registry = new SchemaParser().buildRegistry(sdl);
            cached = UnExecutableSchemaGenerator.makeUnExecutableSchema(registry);
        }
        return cached;
    }

    /** What the vendor's introspection says a root field needs (Shopify's {@code requiredAccess} extension). */
    @SuppressWarnings("unchecked")
    static String requiredAccess(String rootType, String field) {
        Map<String, Object> schema = (Map<String, Object>) introspection().get("__schema");
        for (Map<String, Object> type : (List<Map<String, Object>>) schema.get("types")) {
            if (rootType.equals(type.get("name"))) {
                for (Map<String, Object> f : (List<Map<String, Object>>) type.get("fields")) {
                    if (field.equals(f.get("name"))) {
                        return (String) f.get("requiredAccess");
                    }
                }
            }
        }
        return null;
    }
}
