package io.tally.ledger;

import java.util.concurrent.atomic.AtomicBoolean;

import io.tally.policy.TallyProperties;
import org.springframework.stereotype.Component;

/**
 * Whether inbox events are applied to the ledger now. Paused, events are still accepted and stored (senders are
 * answered as usual) and wait in the inbox; resuming applies the backlog. Starts as {@code tally.ledger.apply-enabled}.
 */
@Component("ledgerControl")
public class LedgerControl {

    private final AtomicBoolean applying;

    public LedgerControl(TallyProperties properties) {
        this.applying = new AtomicBoolean(properties.ledger().applyEnabled());
    }

    public boolean isApplying() {
        return applying.get();
    }

    public void pause() {
        applying.set(false);
    }

    /** @return true when it was paused */
    public boolean resume() {
        return !applying.getAndSet(true);
    }
}
