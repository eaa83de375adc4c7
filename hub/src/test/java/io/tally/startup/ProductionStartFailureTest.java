package io.tally.startup;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * Issue 17, defect 4: the production profile started as an operator starts it (a new JVM, the project root, the
 * environment as its only settings) with a setting missing, or a database that cannot be reached, stops with one
 * ERROR line that says what is wrong and how to fix it, and no stack trace.
 */
class ProductionStartFailureTest {

    private static final List<String> SETTINGS_FROM_ENVIRONMENT = List.of("TALLY_", "SPRING_");

    @Test
    void aMissingSettingOrAnUnreachableDatabaseIsOneActionableLine() throws Exception {
        int closedPort = freePort();
        String unreachable = "jdbc:postgresql://127.0.0.1:" + closedPort + "/tally";
        CompletableFuture<String> missingToken = CompletableFuture.supplyAsync(() -> startProd(Map.of(
                "SPRING_DATASOURCE_URL", unreachable,
                "SPRING_DATASOURCE_USERNAME", "tally",
                "SPRING_DATASOURCE_PASSWORD", "secret-password")));
        CompletableFuture<String> noDatabase = CompletableFuture.supplyAsync(() -> startProd(Map.of(
                "TALLY_ADMIN_TOKEN", "a-production-token",
                "SPRING_DATASOURCE_URL", unreachable,
                "SPRING_DATASOURCE_USERNAME", "tally",
                "SPRING_DATASOURCE_PASSWORD", "secret-password")));

        assertOneActionableLine(
                missingToken.get(), "TALLY_ADMIN_TOKEN is not set.", "Set the environment variable TALLY_ADMIN_TOKEN");
        assertOneActionableLine(
                noDatabase.get(), "PostgreSQL at " + unreachable + " cannot be reached", "set SPRING_DATASOURCE_URL");
        assertThat(noDatabase.get()).doesNotContain("secret-password");
    }

    private static void assertOneActionableLine(String output, String what, String how) {
        List<String> lines = output.lines().toList();
        List<String> problems = lines.stream()
                .filter(l -> l.contains(" ERROR ") || l.contains(" WARN "))
                .toList();
        assertThat(problems).as("ERROR and WARN lines of:%n%s", output).hasSize(1);
        assertThat(problems.get(0)).contains("Tally did not start: ", what, how);
        assertThat(lines)
                .as("no stack trace in:%n%s", output)
                .noneMatch(l -> l.matches("\\s+at [\\w.$]+\\(.*") || l.startsWith("Caused by:"))
                .noneMatch(l -> l.contains("APPLICATION FAILED TO START"));
    }

    /** Runs the hub's main class with the prod profile in a new JVM and returns what it printed. */
    private static String startProd(Map<String, String> settings) {
        try {
            Path output = Files.createTempFile("tally-prod-start-", ".log");
            ProcessBuilder builder = new ProcessBuilder(
                            Path.of(System.getProperty("java.home"), "bin", "java")
                                    .toString(),
                            "-cp",
                            System.getProperty("java.class.path"),
                            "io.tally.TallyApplication")
                    .directory(Path.of("").toAbsolutePath().toFile())
                    .redirectErrorStream(true)
                    .redirectOutput(output.toFile());
            Map<String, String> env = builder.environment();
            env.keySet().removeIf(k -> SETTINGS_FROM_ENVIRONMENT.stream().anyMatch(k::startsWith));
            env.put("SPRING_PROFILES_ACTIVE", "prod");
            env.put("TALLY_PORT", "0");
            env.put("TALLY_MANAGEMENT_PORT", "0");
            env.putAll(settings);
            Process hub = builder.start();
            if (!hub.waitFor(420, TimeUnit.SECONDS)) {
                hub.destroyForcibly();
                throw new AssertionError("the hub neither started nor stopped: " + Files.readString(output));
            }
            assertThat(hub.exitValue()).as("exit code").isNotZero();
            return Files.readString(output, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        }
    }
}
