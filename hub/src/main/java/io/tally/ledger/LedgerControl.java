package io.tally.ledger;

import io.tally.policy.TallyProperties;
import java.util.concurrent.atomic.AtomicBoolean;
import org.apache.camel.Exchange;
import org.apache.camel.Predicate;
import org.springframework.stereotype.Component;

/**
 * Whether inbox events are applied to the ledger now. Paused, events are still accepted and stored (senders are
 * answered as usual) and wait in the inbox; resuming applies the backlog. Starts as {@code tally.ledger.apply-enabled}.
 * As a Predicate it is the ledger-submit route's filter (a plain Java call per event, no bean-method lookup).
 */
@Component("ledgerControl")
public class LedgerControl implements Predicate {

    private final AtomicBoolean applying;

    public LedgerControl(TallyProperties properties) {
        this.applying = new AtomicBoolean(properties.ledger().applyEnabled());
    }

    public boolean isApplying() {
        return applying.get();
    }

    @Override
    public boolean matches(Exchange exchange) {
        return isApplying();
    }

    public void pause() {
        applying.set(false);
    }

    /** @return true when it was paused */
    public boolean resume() {
        return !applying.getAndSet(true);
    }
}
