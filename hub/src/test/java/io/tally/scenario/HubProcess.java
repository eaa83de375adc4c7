package io.tally.scenario;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.tally.TallyApplication;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A hub as production runs it: a JVM of its own, started from the project folder (config/, routes/) on the test
 * classpath, on ports of its own, logging to a file. {@link #kill()} is SIGKILL: no shutdown hook, nothing drained.
 */
final class HubProcess implements AutoCloseable {

    final int port;
    final int managementPort;
    private final Path log;
    private final Process process;

    private HubProcess(int port, int managementPort, Path log, Process process) {
        this.port = port;
        this.managementPort = managementPort;
        this.log = log;
        this.process = process;
    }

    /** Starts a hub on {@code postgres} with these extra arguments ({@code --key=value}), on free or given ports. */
    static HubProcess start(
            KillablePostgres postgres, String token, int port, int managementPort, Path log, List<String> args)
            throws IOException {
        String classpath = System.getProperty("surefire.test.class.path", System.getProperty("java.class.path"));
        List<String> command = new ArrayList<>(List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-XX:TieredStopAtLevel=1",
                "-Xmx512m",
                "-cp",
                classpath,
                TallyApplication.class.getName(),
                "--server.port=" + port,
                "--management.server.port=" + managementPort,
                "--spring.datasource.url=" + postgres.jdbcUrl(),
                "--spring.datasource.username=postgres",
                "--spring.datasource.password=",
                "--tally.admin-token=" + token));
        command.addAll(args);
        Process process = new ProcessBuilder(command)
                .directory(Path.of("").toAbsolutePath().toFile())
                .redirectErrorStream(true)
                .redirectOutput(log.toFile())
                .start();
        return new HubProcess(port, managementPort, log, process);
    }

    static HubProcess start(KillablePostgres postgres, String token, Path log, List<String> args) throws IOException {
        return start(postgres, token, KillablePostgres.freePort(), KillablePostgres.freePort(), log, args);
    }

    TallyClient client(String token) {
        return new TallyClient("http://127.0.0.1:" + port, token);
    }

    /** Waits until the management port answers health 200; prints the log's tail when it never does. */
    HubProcess awaitUp() {
        try {
            await().atMost(Duration.ofSeconds(360))
                    .pollInterval(Duration.ofMillis(250))
                    .ignoreExceptions()
                    .untilAsserted(() -> {
                        assertThat(process.isAlive()).as("hub process alive").isTrue();
                        TallyClient probe = new TallyClient("http://127.0.0.1:" + managementPort, null);
                        assertThat(probe.get("/actuator/health").status()).isEqualTo(200);
                    });
        } catch (AssertionError e) {
            printLogTail(60);
            throw e;
        }
        return this;
    }

    void printLogTail(int lines) {
        try {
            List<String> all = Files.readAllLines(log);
            System.out.println("hub log tail (" + log.getFileName() + ")\n"
                    + String.join("\n", all.subList(Math.max(0, all.size() - lines), all.size())));
        } catch (IOException io) {
            throw new UncheckedIOException(io);
        }
    }

    /** SIGKILL, and waits for the process to be gone. */
    void kill() throws InterruptedException {
        process.destroyForcibly();
        assertThat(process.waitFor(10, TimeUnit.SECONDS)).as("killed hub gone").isTrue();
    }

    @Override
    public void close() throws InterruptedException {
        if (process.isAlive()) {
            process.destroyForcibly();
            process.waitFor(10, TimeUnit.SECONDS);
        }
    }
}
