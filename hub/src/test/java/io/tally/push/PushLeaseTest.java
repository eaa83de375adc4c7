package io.tally.push;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.tally.TallyApplication;
import io.tally.catalog.ListingPushState;
import io.tally.catalog.ListingPushState.PlannedPush;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import org.apache.camel.CamelContext;
import org.apache.camel.api.management.ManagedCamelContext;
import org.apache.camel.api.management.mbean.ManagedRouteMBean;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * One writer per listing, in the database (ListingPushState on an embedded PostgreSQL): two hubs (two lease owners)
 * cannot both claim a listing, a lease that ran out is taken over, and a push of an older target cannot confirm after
 * a newer one. The owners are made up here; the listings belong to a store no hub config names, so no push of the hub
 * itself touches them.
 */
@SpringBootTest(classes = TallyApplication.class, webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
class PushLeaseTest {

    static final long LEASE_MS = 60_000;

    @DynamicPropertySource
    static void hub(DynamicPropertyRegistry r) throws IOException {
        Path root = Path.of("target", "test-data").toAbsolutePath();
        Files.createDirectories(root);
        String dataDir =
                Files.createTempDirectory(root, "push-lease-").resolve("pg").toString();
        r.add("tally.embedded-db.data-dir", () -> dataDir);
        r.add("tally.admin-token", () -> "push-lease-token");
        r.add("tally.push.sweep-interval-ms", () -> "3600000");
        r.add("tally.reconcile.interval-ms", () -> "3600000");
    }

    @Autowired
    ListingPushState pushState;

    @Autowired
    JdbcTemplate jdbc;

    @Autowired
    CamelContext camel;

    private final UUID hubA = UUID.randomUUID();
    private final UUID hubB = UUID.randomUUID();

    /** The start-up push sweep writes listings too: it has run before these tests touch any. */
    @BeforeEach
    void startupRecoveryDone() {
        ManagedCamelContext managed = camel.getCamelContextExtension().getContextPlugin(ManagedCamelContext.class);
        if (managed == null) {
            // No JMX for this context (another context in this test JVM may hold the management names): the route's
            // timer fires 0.5 s after start; wait until the context has run well past that and nothing is in flight.
            await().atMost(Duration.ofSeconds(60))
                    .until(() -> camel.getUptime().toMillis() > 5_000
                            && camel.getInflightRepository().size("ledger-startup-recovery") == 0);
            return;
        }
        ManagedRouteMBean recovery = managed.getManagedRoute("ledger-startup-recovery");
        await().atMost(Duration.ofSeconds(60))
                .until(() -> recovery.getExchangesTotal() >= 1 && recovery.getExchangesInflight() == 0);
    }

    @Test
    void twoOwnersCannotBothClaimAListing() {
        long id = listing("two-owners", 5);

        Optional<PlannedPush> byA = pushState.markInFlight(id, hubA, LEASE_MS);
        Optional<PlannedPush> byB = pushState.markInFlight(id, hubB, LEASE_MS);

        assertThat(byA).map(PlannedPush::target).contains(5L);
        assertThat(byB).as("a listing leased by a live owner is skipped").isEmpty();
        assertThat(lease(id)).containsEntry("push_lease_owner", hubA);
        // The owner's own retry claims again (and renews the lease).
        assertThat(pushState.markInFlight(id, hubA, LEASE_MS)).isPresent();
    }

    @Test
    void aLeaseThatRanOutIsTakenOver() {
        long id = listing("expired", 6);
        assertThat(pushState.markInFlight(id, hubA, LEASE_MS)).isPresent();
        // Hub A died mid-push: its lease ran out a second ago.
        jdbc.update("UPDATE listing SET push_lease_until = now() - INTERVAL '1 second' WHERE id = ?", id);

        assertThat(pushState.markInFlight(id, hubB, LEASE_MS))
                .map(PlannedPush::target)
                .contains(6L);
        assertThat(lease(id)).containsEntry("push_lease_owner", hubB);
        assertThat(pushState.markInFlight(id, hubA, LEASE_MS))
                .as("A came back: B holds it now")
                .isEmpty();
    }

    @Test
    void anOlderTargetsConfirmIsRefusedAfterANewerOne() {
        long id = listing("older-confirm", 5);
        PlannedPush old = pushState.markInFlight(id, hubA, LEASE_MS).orElseThrow();
        // A's push stalls past its lease; the target moves on and B pushes the newer one.
        jdbc.update(
                "UPDATE listing SET target = 8, target_version = 2, push_lease_until = now() - INTERVAL '1 second'"
                        + " WHERE id = ?",
                id);
        PlannedPush newer = pushState.markInFlight(id, hubB, LEASE_MS).orElseThrow();
        assertThat(newer.targetVersion()).isEqualTo(2);

        boolean newerLanded = confirm(newer, hubB);
        boolean olderLanded = confirm(old, hubA);

        assertThat(newerLanded).isTrue();
        assertThat(olderLanded).isFalse();
        assertThat(lease(id))
                .containsEntry("last_pushed", 8L)
                .containsEntry("synced_level", 8L)
                .containsEntry("last_pushed_version", 2L)
                .containsEntry("push_lease_owner", null)
                .containsEntry("push_lease_until", null);
    }

    @Test
    void aConfirmOfTheSameOrANewerVersionLands() {
        long id = listing("same-version", 3);
        PlannedPush first = pushState.markInFlight(id, hubA, LEASE_MS).orElseThrow();
        assertThat(confirm(first, hubA)).isTrue();
        // Forgotten (a redrive): the same target version is pushed and confirmed again.
        pushState.forgetSynced(id);
        PlannedPush again = pushState.markInFlight(id, hubA, LEASE_MS).orElseThrow();

        assertThat(confirm(again, hubA)).isTrue();
        assertThat(lease(id)).containsEntry("synced_level", 3L).containsEntry("last_pushed_version", 1L);
    }

    @Test
    void abandoningOrDeadLetteringAPushReleasesItsLease() {
        long abandoned = listing("abandoned", 4);
        long failed = listing("failed", 4);
        assertThat(pushState.markInFlight(abandoned, hubA, LEASE_MS)).isPresent();
        assertThat(pushState.markInFlight(failed, hubA, LEASE_MS)).isPresent();

        pushState.clearInFlight(abandoned, hubA);
        pushState.markFailed(failed, hubA);

        assertThat(lease(abandoned)).containsEntry("push_lease_owner", null).containsEntry("inflight_level", null);
        assertThat(lease(failed)).containsEntry("push_lease_owner", null).containsEntry("push_failed", true);
        assertThat(pushState.markInFlight(abandoned, hubB, LEASE_MS)).isPresent();
        assertThat(pushState.markInFlight(failed, hubB, LEASE_MS)).isPresent();
    }

    @Test
    void anOwnerReleasesOnlyItsOwnLease() {
        long id = listing("not-mine", 2);
        assertThat(pushState.markInFlight(id, hubA, LEASE_MS)).isPresent();

        pushState.releaseLease(id, hubB);
        pushState.clearInFlight(id, hubB);

        assertThat(lease(id)).containsEntry("push_lease_owner", hubA);
        assertThat(pushState.markInFlight(id, hubB, LEASE_MS)).isEmpty();
    }

    // ------------------------------------------------------------------ helpers

    private boolean confirm(PlannedPush push, UUID owner) {
        return pushState.recordConfirmed(
                push.listingId(), push.targetVersion(), push.target(), false, push.knownLevel(), Instant.now(), owner);
    }

    /** A listing whose target (version 1) its channel does not hold yet, of a store no hub pushes to. */
    private long listing(String ref, long target) {
        return jdbc.queryForObject("""
                INSERT INTO listing (store, ref, sku, target, target_version) VALUES ('lease-test', ?, ?, ?, 1)
                RETURNING id
                """, Long.class, ref, ref.toUpperCase(java.util.Locale.ROOT), target);
    }

    private Map<String, Object> lease(long id) {
        return jdbc.queryForMap(
                "SELECT push_lease_owner, push_lease_until, last_pushed, synced_level, last_pushed_version,"
                        + " inflight_level, push_failed FROM listing WHERE id = ?",
                id);
    }
}
