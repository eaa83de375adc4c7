package io.tally.scenario;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A real PostgreSQL (zonky's embedded binaries) that a fault test owns: on a fixed port and data folder, so that after
 * {@link #kill()} (SIGKILL of the postmaster, as a crash or an OOM kill would do) {@link #restart()} brings the same
 * database back on the same address, after PostgreSQL's own crash recovery.
 */
final class KillablePostgres implements AutoCloseable {

    private final Path dataDir;
    private final int port;
    private EmbeddedPostgres server;

    KillablePostgres(Path dataDir) {
        this.dataDir = dataDir;
        this.port = freePort();
        this.server = start();
    }

    String jdbcUrl() {
        return "jdbc:postgresql://localhost:" + port + "/postgres";
    }

    private EmbeddedPostgres start() {
        try {
            Files.createDirectories(dataDir);
            return EmbeddedPostgres.builder()
                    .setDataDirectory(dataDir)
                    .setCleanDataDirectory(false)
                    .setRegisterShutdownHook(false)
                    .setPort(port)
                    // As a production server runs: commits are durable, so a crash loses no acknowledged commit.
                    .setServerConfig("fsync", "on")
                    .setServerConfig("synchronous_commit", "on")
                    .setServerConfig("full_page_writes", "on")
                    .setServerConfig("max_connections", "100")
                    .setPGStartupWait(Duration.ofSeconds(30))
                    .start();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** SIGKILL to the postmaster; returns once it and every backend it had started have exited. */
    void kill() {
        long pid;
        try {
            pid = Long.parseLong(
                    Files.readAllLines(dataDir.resolve("postmaster.pid")).get(0).trim());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        ProcessHandle postmaster =
                ProcessHandle.of(pid).orElseThrow(() -> new IllegalStateException("no postmaster " + pid));
        List<ProcessHandle> backends = postmaster.children().toList();
        postmaster.destroyForcibly();
        try {
            postmaster.onExit().get(10, TimeUnit.SECONDS);
            // Backends see their postmaster die and exit; the next postmaster cannot start while they hold its memory.
            for (ProcessHandle backend : backends) {
                backend.onExit().get(10, TimeUnit.SECONDS);
            }
        } catch (Exception e) {
            throw new IllegalStateException("PostgreSQL did not exit after SIGKILL", e);
        }
    }

    /** A new postmaster on the same data folder and port (the old one's lock is released first). */
    void restart() {
        closeQuietly(server);
        server = start();
    }

    @Override
    public void close() {
        closeQuietly(server);
    }

    private static void closeQuietly(EmbeddedPostgres postgres) {
        try {
            postgres.close(); // after a kill, pg_ctl stop finds no server: zonky logs it and releases its lock
        } catch (IOException | RuntimeException e) {
            // nothing left to stop
        }
    }

    static int freePort() {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
