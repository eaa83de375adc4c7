package io.tally.ledger;

import io.tally.event.InboxRepository.PendingEvent;
import io.tally.policy.TallyProperties;
import org.apache.camel.Exchange;
import org.apache.camel.support.ExpressionAdapter;
import org.springframework.stereotype.Component;

/**
 * The aggregator's correlation: events of one stock item always fall in the same partition, so they are batched
 * together; a partition also gathers other items, so spread-out traffic still makes batches of many events.
 * An Expression on a {@link PendingEvent} body, so the aggregator calls it directly (no bean-method lookup per event).
 */
@Component("ledgerPartitions")
public class LedgerPartitions extends ExpressionAdapter {

    private final int partitions;

    public LedgerPartitions(TallyProperties properties) {
        this.partitions = properties.ledger().partitions();
    }

    @Override
    public Object evaluate(Exchange exchange) {
        return of(exchange.getMessage().getBody(PendingEvent.class));
    }

    public String of(PendingEvent event) {
        return "p" + Math.floorMod(event.correlationKey().hashCode(), partitions);
    }
}
