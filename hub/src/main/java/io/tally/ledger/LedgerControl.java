package io.tally.ledger;

import io.tally.policy.TallyProperties;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.camel.Exchange;
import org.apache.camel.Predicate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.dao.DataAccessException;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;

/**
 * Whether inbox events are applied to the ledger now. Paused, events are still accepted and stored (senders are
 * answered as usual) and wait in the inbox; resuming applies the backlog. As a Predicate it is the ledger-submit
 * route's filter (a plain Java call per submitted batch, no bean-method lookup).
 *
 * <p>A pause is the cluster's: it is stored in {@code ledger_control}, so pausing through one replica pauses every
 * replica on the database within {@link #CACHE_MS}, and it outlasts restarts. {@code tally.ledger.apply-enabled=false}
 * pauses only the process it starts, until it is resumed through that process's API.
 */
@Component("ledgerControl")
public class LedgerControl implements Predicate {

    /** How stale a replica's view of the shared pause may be: the filter reads the row at most once per this. */
    static final long CACHE_MS = 1000;

    private static final Logger log = LoggerFactory.getLogger(LedgerControl.class);
    private static final long CACHE_NANOS = TimeUnit.MILLISECONDS.toNanos(CACHE_MS);

    private final JdbcTemplate jdbc;
    private final AtomicBoolean enabledHere;
    private final AtomicLong pausedReadAt = new AtomicLong(System.nanoTime() - CACHE_NANOS);
    private volatile boolean pausedInCluster;

    public LedgerControl(TallyProperties properties, JdbcTemplate jdbc) {
        this.jdbc = jdbc;
        this.enabledHere = new AtomicBoolean(properties.ledger().applyEnabled());
    }

    public boolean isApplying() {
        return enabledHere.get() && !pausedInCluster();
    }

    @Override
    public boolean matches(Exchange exchange) {
        return isApplying();
    }

    public void pause() {
        jdbc.update("UPDATE ledger_control SET paused = TRUE, changed_at = now() WHERE NOT paused");
        remember(true);
    }

    /** @return true when it was paused (in the cluster or in this process) */
    public boolean resume() {
        boolean wasPaused = !isApplying();
        jdbc.update("UPDATE ledger_control SET paused = FALSE, changed_at = now() WHERE paused");
        remember(false);
        enabledHere.set(true);
        return wasPaused;
    }

    private boolean pausedInCluster() {
        long readAt = pausedReadAt.get();
        long now = System.nanoTime();
        // One caller per interval reads the row; the others go on with the value it last read.
        if (now - readAt >= CACHE_NANOS && pausedReadAt.compareAndSet(readAt, now)) {
            try {
                pausedInCluster =
                        Boolean.TRUE.equals(jdbc.queryForObject("SELECT paused FROM ledger_control", Boolean.class));
            } catch (DataAccessException e) {
                // PostgreSQL unreachable: nothing can be applied anyway; keep the last known state.
                log.debug("ledger pause state not read: {}", e.getMessage());
            }
        }
        return pausedInCluster;
    }

    private void remember(boolean paused) {
        pausedInCluster = paused;
        pausedReadAt.set(System.nanoTime());
    }
}
