package io.tally.ops;

import org.springframework.boot.actuate.health.Health;
import org.springframework.boot.actuate.health.HealthIndicator;

/**
 * The {@code db} health component (bean {@code dbHealthIndicator}, which replaces Spring Boot's own): DOWN as soon as
 * PostgreSQL does not answer a {@code SELECT 1} within the probe's timeout, UP again once it does.
 */
final class DatabaseHealthIndicator implements HealthIndicator {

    private final DatabaseProbe probe;

    DatabaseHealthIndicator(DatabaseProbe probe) {
        this.probe = probe;
    }

    @Override
    public Health health() {
        DatabaseProbe.Result result = probe.check();
        Health.Builder health = result.reachable() ? Health.up() : Health.down().withDetail("error", result.error());
        return health.withDetail("database", "PostgreSQL")
                .withDetail("validationQuery", "SELECT 1")
                .withDetail("responseMillis", result.millis())
                .withDetail("checkedAt", result.at().toString())
                .build();
    }
}
