package io.tally.policy;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.yaml.snakeyaml.Yaml;

/**
 * Every global {@code tally.*} key has its default in one place, {@code config/application.yaml}: the YAML routes read
 * those keys as placeholders, so the file is the one source, and Java binds them without defaults of its own.
 * Per-store keys ({@code tally.stores.<id>.*}) are the exception: their defaults live in {@link StoreProperties}.
 */
class OneDefaultPerKeyTest {

    static final Path APPLICATION_YAML = Path.of("config/application.yaml");
    static final Path SOURCES = Path.of("hub/src/main/java");
    static final Pattern EXPLICIT_DEFAULT = Pattern.compile("@DefaultValue\\((\"[^\"]*\")\\)");
    static final Pattern VALUE_WITH_DEFAULT = Pattern.compile("@Value\\(\"\\$\\{(tally\\.[a-z0-9.-]+):");

    @Test
    void javaGivesNoGlobalKeyADefault() throws IOException {
        List<String> javaDefaults = new ArrayList<>();
        for (JsonNode property : metadata().path("properties")) {
            // A primitive's own zero is reported as its default (no one chose it); explicit ones are found below too.
            JsonNode value = property.path("defaultValue");
            boolean primitiveZero =
                    value.isNumber() && value.asDouble() == 0 || value.isBoolean() && !value.asBoolean();
            String name = property.path("name").asText();
            if (property.has("defaultValue") && !primitiveZero && !name.startsWith("tally.stores")) {
                javaDefaults.add(name + " = " + value);
            }
        }
        try (Stream<Path> files = Files.walk(SOURCES)) {
            for (Path file : files.filter(f -> f.toString().endsWith(".java")).toList()) {
                String source = Files.readString(file);
                Matcher value = VALUE_WITH_DEFAULT.matcher(source);
                while (value.find()) {
                    javaDefaults.add(value.group(1) + " in " + file.getFileName());
                }
                Matcher explicit = EXPLICIT_DEFAULT.matcher(source);
                while (explicit.find() && !file.endsWith("StoreProperties.java")) {
                    javaDefaults.add("@DefaultValue(" + explicit.group(1) + ") in " + file.getFileName());
                }
            }
        }
        assertThat(javaDefaults)
                .as("defaults given in Java as well as in config/application.yaml")
                .isEmpty();
    }

    @Test
    void applicationYamlGivesEveryGlobalKeyItsDefault() throws IOException {
        Set<String> inYaml = new TreeSet<>();
        try (InputStream in = Files.newInputStream(APPLICATION_YAML)) {
            flatten("", new Yaml().load(in), inYaml);
        }
        Set<String> missing = new TreeSet<>();
        for (JsonNode property : metadata().path("properties")) {
            String name = property.path("name").asText();
            boolean map = property.path("type").asText().startsWith("java.util.Map");
            if (name.startsWith("tally.") && !map && !inYaml.contains(name)) {
                missing.add(name);
            }
        }
        assertThat(missing)
                .as("tally.* keys without a value in config/application.yaml")
                .isEmpty();
    }

    /** What spring-boot-configuration-processor generated from the @ConfigurationProperties classes. */
    static JsonNode metadata() throws IOException {
        try (InputStream in =
                OneDefaultPerKeyTest.class.getResourceAsStream("/META-INF/spring-configuration-metadata.json")) {
            assertThat(in).as("configuration metadata on the class path").isNotNull();
            return new ObjectMapper().readTree(in);
        }
    }

    static void flatten(String prefix, Object node, Set<String> keys) {
        if (node instanceof Map<?, ?> map && !map.isEmpty()) {
            map.forEach((key, value) -> flatten(prefix + key + ".", value, keys));
        } else {
            keys.add(prefix.substring(0, prefix.length() - 1));
        }
    }
}
