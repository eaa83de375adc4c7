package io.tally.db;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import io.tally.policy.TallyProperties;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import javax.sql.DataSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Condition;
import org.springframework.context.annotation.ConditionContext;
import org.springframework.context.annotation.Conditional;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.type.AnnotatedTypeMetadata;
import org.springframework.util.StringUtils;

/**
 * With no {@code spring.datasource.url}, Tally runs a real PostgreSQL (embedded binaries) whose data lives in
 * {@code tally.embedded-db.data-dir}, so stock survives a restart. With a URL, Spring Boot's own DataSource is used.
 */
@Configuration(proxyBeanMethods = false)
@Conditional(EmbeddedPostgresConfiguration.NoDatasourceUrl.class)
public class EmbeddedPostgresConfiguration {

    private static final Logger log = LoggerFactory.getLogger(EmbeddedPostgresConfiguration.class);

    /**
     * Claims the data folder before PostgreSQL starts on it, and gives it up only after PostgreSQL has stopped (Spring
     * destroys the database bean, which depends on this one, first).
     */
    @Bean(destroyMethod = "close")
    DataDirOwnership embeddedDataDirOwnership(TallyProperties properties) throws IOException {
        Path dataDir = properties.embeddedDb().dataDir().toAbsolutePath().normalize();
        Files.createDirectories(dataDir);
        DataDirOwnership ownership = DataDirOwnership.claim(dataDir);
        try {
            // The folder's previous owner is gone: a PostgreSQL still running on it is that owner's orphan.
            stopOrphanedServer(dataDir);
        } catch (IOException | RuntimeException e) {
            ownership.close();
            throw e;
        }
        return ownership;
    }

    @Bean(destroyMethod = "close")
    EmbeddedPostgres embeddedPostgres(TallyProperties properties, DataDirOwnership ownership) throws IOException {
        Path dataDir = properties.embeddedDb().dataDir().toAbsolutePath().normalize();
        EmbeddedPostgres.Builder builder = EmbeddedPostgres.builder()
                .setDataDirectory(dataDir)
                .setCleanDataDirectory(false)
                // Spring closes it (destroyMethod) once Camel has stopped; its own JVM hook would stop PostgreSQL
                // while routes (pollers, ledger batches) still finish their work, leaving them blocked on the pool.
                .setRegisterShutdownHook(false)
                // The embedded binaries start with fsync off (a test default); Tally acknowledges events only
                // once they are durable, so durability is switched back on.
                .setServerConfig("fsync", "on")
                .setServerConfig("synchronous_commit", "on")
                .setServerConfig("full_page_writes", "on")
                .setServerConfig("max_connections", "200")
                .setServerConfig("shared_buffers", "128MB")
                // Lets concurrent commits share one WAL flush; each still waits for its flush.
                .setServerConfig("commit_delay", "100")
                .setServerConfig("commit_siblings", "4");
        if (properties.embeddedDb().port() > 0) {
            requirePortFree(properties.embeddedDb().port());
            builder.setPort(properties.embeddedDb().port());
        }
        EmbeddedPostgres postgres = builder.start();
        log.info(
                "Embedded PostgreSQL running: jdbc:postgresql://localhost:{}/postgres (user postgres), data in {}",
                postgres.getPort(),
                dataDir);
        return postgres;
    }

    @Bean
    DataSource dataSource(EmbeddedPostgres postgres) {
        HikariConfig config = new HikariConfig();
        config.setJdbcUrl(postgres.getJdbcUrl("postgres", "postgres"));
        config.setPoolName("tally-embedded");
        config.setMaximumPoolSize(40);
        return new HikariDataSource(config);
    }

    /**
     * A fixed port taken by another PostgreSQL (another hub's) must stop the start: its server would fail to bind, and
     * the start-up check, which only connects to the port, would take the other server for ours, so this hub would
     * book stock into another database and lose it when that one stops.
     */
    static void requirePortFree(int port) {
        try (java.net.ServerSocket probe = new java.net.ServerSocket()) {
            probe.setReuseAddress(true);
            probe.bind(new java.net.InetSocketAddress(java.net.InetAddress.getLoopbackAddress(), port));
        } catch (IOException e) {
            throw new IllegalStateException(
                    "tally.embedded-db.port " + port + " is already in use (another hub's"
                            + " PostgreSQL?): stop it, or choose a free port (0 picks one)",
                    e);
        }
    }

    /**
     * A hub killed without its shutdown hooks (kill -9, a crashed JVM) leaves its PostgreSQL running on the data
     * folder, and the next start would fail on the lock file. Called only once {@link DataDirOwnership} has found the
     * folder's owner gone, so such a server is an orphan: stop it cleanly first. A stale lock file of a dead server is
     * left to PostgreSQL, which ignores it.
     */
    static void stopOrphanedServer(Path dataDir) throws IOException {
        Path pidFile = dataDir.resolve("postmaster.pid");
        if (!Files.exists(pidFile)) {
            return;
        }
        long pid;
        try {
            pid = Long.parseLong(Files.readAllLines(pidFile).get(0).trim());
        } catch (RuntimeException e) {
            return;
        }
        ProcessHandle.of(pid)
                .filter(process -> process.info()
                        .commandLine()
                        .map(line -> line.contains("postgres") && line.contains(dataDir.toString()))
                        .orElse(false))
                .ifPresent(process -> {
                    log.warn("PostgreSQL (pid {}) from an earlier run still holds {}; stopping it", pid, dataDir);
                    process.destroy(); // SIGTERM: PostgreSQL's smart shutdown
                    try {
                        process.onExit().get(30, java.util.concurrent.TimeUnit.SECONDS);
                    } catch (Exception e) {
                        throw new IllegalStateException(
                                "PostgreSQL pid " + pid + " on " + dataDir + " did not stop; stop it and start again",
                                e);
                    }
                });
    }

    static class NoDatasourceUrl implements Condition {
        @Override
        public boolean matches(ConditionContext context, AnnotatedTypeMetadata metadata) {
            return !StringUtils.hasText(context.getEnvironment().getProperty("spring.datasource.url"));
        }
    }
}
