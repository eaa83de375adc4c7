package io.tally.channel.ratelimit;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.io.UncheckedIOException;
import javax.sql.DataSource;
import org.flywaydb.core.Flyway;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * A real PostgreSQL for the bucket tests, migrated by the hub's own Flyway scripts, started once per test JVM. It
 * commits durably, as the hub's embedded database does, so that a measured call costs what it costs in the hub.
 */
final class BucketDatabase {

    private static DataSource dataSource;

    private BucketDatabase() {}

    static synchronized DataSource dataSource() {
        if (dataSource == null) {
            try {
                EmbeddedPostgres postgres = EmbeddedPostgres.builder()
                        .setServerConfig("fsync", "on")
                        .setServerConfig("synchronous_commit", "on")
                        .start();
                // Pooled as in the hub: a call borrows a connection, it does not open one.
                HikariConfig pool = new HikariConfig();
                pool.setJdbcUrl(postgres.getJdbcUrl("postgres", "postgres"));
                pool.setMaximumPoolSize(8);
                dataSource = new HikariDataSource(pool);
                Flyway.configure()
                        .dataSource(dataSource)
                        .locations("classpath:db/migration")
                        .load()
                        .migrate();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        return dataSource;
    }

    /** Every bucket forgotten: each test starts from the configured limits, as after a first start. */
    static void clear() {
        new JdbcTemplate(dataSource()).update("TRUNCATE " + DatabaseBucketStore.TABLE);
    }
}
